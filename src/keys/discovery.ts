import { isPlainObject } from '../shared/json';
import { type FetchLimits, fetchJson, urlProblem } from './fetch-json';
import type { KeyLocation } from './remote-key-set';

/** A JWK Set at a fixed URL. */
export const jwksAt = (url: string): KeyLocation => ({ label: url, jwksUri: async () => url });

/** Where an issuer's OpenID Connect discovery document is (OpenID Connect Discovery 1.0 §4). */
const discoveryUrl = (issuer: string): string => `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;

/**
 * The JWK Set an issuer names in its discovery document. The document's `issuer` must
 * equal the configured one exactly (OpenID Connect Discovery 1.0 §4.3), else a document
 * served by someone else could hand over their keys. The `jwks_uri` found is kept until a
 * fetch of keys fails; then the document is read again with the next fetch.
 */
export function discovered(issuer: string): KeyLocation {
  const url = discoveryUrl(issuer);
  let jwksUri: string | undefined;
  return {
    label: url,
    async jwksUri(limits: FetchLimits): Promise<string> {
      jwksUri ??= jwksUriOf((await fetchJson(url, limits)).json, issuer);
      return jwksUri;
    },
    forget() {
      jwksUri = undefined;
    },
  };
}

function jwksUriOf(document: unknown, issuer: string): string {
  if (!isPlainObject(document)) throw new Error('the discovery document is not a JSON object');
  if (document.issuer !== issuer) {
    throw new Error(
      `the discovery document names issuer ${JSON.stringify(document.issuer)?.slice(0, 200)}, not ${JSON.stringify(issuer)}`,
    );
  }
  const { jwks_uri: uri } = document;
  if (typeof uri !== 'string') throw new Error('the discovery document has no jwks_uri');
  const problem = urlProblem(uri);
  if (problem) throw new Error(`jwks_uri ${problem}`);
  return uri;
}
