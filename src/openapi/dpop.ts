import { challengeOf } from '../core/challenges';
import type { DpopSetup } from '../dpop/options';
import type { LoginErrorCode } from '../shared/errors';
import type { OpenApiSecurityScheme } from './types';

/** The `dpop` scheme: a DPoP-bound token with a proof of its key on every request (RFC 9449). */
export function dpopScheme(dpop: DpopSetup): OpenApiSecurityScheme {
  const nonce = dpop.proof.nonces ? ' It carries the server nonce the `DPoP-Nonce` response header last gave.' : '';
  return {
    type: 'http',
    scheme: 'DPoP',
    description:
      'A DPoP-bound token (RFC 9449), as `Authorization: DPoP <token>` with a `DPoP` header: a new proof JWT ' +
      '(`typ: dpop+jwt`) for each request, signed with the key the token is bound to, using one of ' +
      `${dpop.proof.algorithms.join(', ')}.${nonce}`,
  };
}

/**
 * Every `WWW-Authenticate` a refusal with `code` carries, exactly as the manager sends it, in
 * backquotes: with DPoP on it differs for a token sent as `Bearer` and one sent as `DPoP`.
 */
export function challengeExamples(code: LoginErrorCode, dpop: DpopSetup | undefined, scopes?: readonly string[]) {
  const sentAs = dpop ? [false, true] : [false];
  const all = sentAs.map((usedDpop) => challengeOf(code, { dpop, usedDpop, scopes }));
  return [...new Set(all)].map((challenge) => `\`${challenge}\``).join(', ');
}

/** How a `WWW-Authenticate` description starts: which RFCs its challenges come from. */
export const challengeIntro = (dpop: DpopSetup | undefined): string =>
  dpop ? 'The RFC 6750 and RFC 9449 challenges' : 'The RFC 6750 challenge';

/** The `WWW-Authenticate` description of a 401 for a refused token (and, with DPoP, proof). */
export function unauthorizedChallenge(dpop: DpopSetup | undefined): string {
  const token = challengeExamples('signature_invalid', dpop);
  if (!dpop) return `${challengeIntro(dpop)}, e.g. ${token}.`;
  const nonce = dpop.proof.nonces
    ? `; a proof without the current nonce ${challengeExamples('dpop_nonce_required', dpop)}`
    : '';
  return (
    `${challengeIntro(dpop)}, e.g. ${token}; ` +
    `a refused DPoP proof ${challengeExamples('dpop_proof_invalid', dpop)}${nonce}.`
  );
}

/** The `DPoP-Nonce` header of a 401, with server nonces only (RFC 9449 §8). */
export function nonceHeader(dpop: DpopSetup | undefined): Record<string, unknown> {
  if (!dpop?.proof.nonces) return {};
  return {
    'DPoP-Nonce': {
      description: 'With `error="use_dpop_nonce"`: the nonce the next DPoP proof must carry (RFC 9449 §8).',
      schema: { type: 'string' },
    },
  };
}
