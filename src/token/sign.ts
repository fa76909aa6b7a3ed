import { signatureOf } from '../keys/signature';
import type { RingKey } from '../keys/source';

/** The header and claims of a JWS as UTF-8 JSON in base64url (RFC 7515 §7.1). */
export const segment = (value: object): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/**
 * Signs `claims` as they are (the caller has set `iat` and `exp`), stamping the key's
 * `kid` so verifiers can pick the key. The header is `{"alg","typ","kid"}` in that order,
 * byte for byte what jsonwebtoken wrote before this signer replaced it (so an HS256 or
 * RS256 token is the same string it was). `typ` is `JWT`, or for an access token the
 * manager's `accessTokenType` (RFC 9068's `at+jwt`); refresh tokens never carry that.
 */
export function signToken(
  claims: Record<string, unknown>,
  key: RingKey & { signKey: NonNullable<RingKey['signKey']> },
  accessTokenType?: 'at+jwt',
): string {
  const { algorithm: alg, kid } = key;
  const typ = accessTokenType !== undefined && claims.type !== 'refresh' ? accessTokenType : 'JWT';
  const input = `${segment(headerOf(alg, typ, kid))}.${segment(claims)}`;
  return `${input}.${signatureOf(alg, key.signKey, input)}`;
}

/** The header this library writes: `alg`, `typ` and, when the key has one, `kid`, in that order. */
export const headerOf = (alg: string, typ: string, kid: string | undefined): Record<string, string> =>
  kid === undefined ? { alg, typ } : { alg, typ, kid };
