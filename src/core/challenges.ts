import { dpopChallenge } from '../dpop/challenge';
import type { DpopSetup } from '../dpop/options';
import { bearerChallenge, type LoginErrorCode } from '../shared/errors';

/** What a refusal's challenge depends on besides its code. */
export interface ChallengeContext {
  /** DPoP, when on: its algorithms (`algs`) and whether every token must be bound. */
  dpop: DpopSetup | undefined;
  /** The request sent its token as `Authorization: DPoP`. */
  usedDpop: boolean;
  /** With `insufficient_scope`: the scopes the route requires. */
  scopes?: readonly string[] | undefined;
  /** `error_description`, with `exposeErrorDescriptions`. */
  description?: string | undefined;
}

/** The RFC 6750 error of a refusal: none without a token, `insufficient_scope`, else `invalid_token`. */
const bearerError = (code: LoginErrorCode) =>
  code === 'token_missing' ? undefined : code === 'insufficient_scope' ? 'insufficient_scope' : 'invalid_token';

/** The RFC 9449 §7.1 error: the proof's own two, else the token's. */
function dpopError(code: LoginErrorCode) {
  if (code === 'dpop_proof_invalid') return 'invalid_dpop_proof';
  return code === 'dpop_nonce_required' ? 'use_dpop_nonce' : bearerError(code);
}

/**
 * `WWW-Authenticate` of a refusal. DPoP off: the RFC 6750 `Bearer` challenge. DPoP on: the
 * `DPoP` challenge (with `algs`) too, after `Bearer` unless DPoP is required (RFC 9449 §7.1,
 * §7.2). The error goes on the scheme the request used, and a proof's error on `DPoP`; the
 * other challenge stays bare, saying only that the scheme is taken.
 */
export function challengeOf(code: LoginErrorCode, context: ChallengeContext): string {
  const { dpop, scopes, description } = context;
  const error = bearerError(code);
  if (!dpop) return bearerChallenge({ error, scopes, description });
  const proofError = code === 'dpop_proof_invalid' || code === 'dpop_nonce_required';
  const onDpop = dpop.required || context.usedDpop || proofError;
  const dpopSays = onDpop ? dpopError(code) : undefined;
  const challenge = dpopChallenge({
    algs: dpop.proof.algorithms,
    ...(dpopSays ? { error: dpopSays, description, scopes } : {}),
  });
  if (dpop.required) return challenge;
  return `${bearerChallenge(onDpop ? {} : { error, scopes, description })}, ${challenge}`;
}

/** Whether the request's `Authorization` header uses the `DPoP` scheme (read only when refusing). */
export const sentAsDpop = (authorization: string | undefined): boolean =>
  authorization !== undefined && /^dpop /i.test(authorization);
