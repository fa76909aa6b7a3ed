/**
 * Why a request or token was refused. Every error this library throws for a
 * failed login carries one as `code`, for the app's error handler and logs.
 */
export type LoginErrorCode =
  | 'token_missing'
  | 'credentials_invalid'
  | 'token_malformed'
  | 'token_too_long'
  | 'signature_invalid'
  | 'algorithm_not_allowed'
  | 'token_expired'
  | 'token_not_yet_valid'
  | 'claim_invalid'
  | 'issuer_invalid'
  | 'audience_invalid'
  | 'user_not_found'
  | 'insufficient_scope'
  | 'token_type_invalid'
  | 'token_revoked'
  | 'fresh_login_required'
  | 'insufficient_user_authentication'
  | 'csrf_failed'
  | 'body_not_parsed'
  | 'store_unavailable'
  | 'login_throttled'
  | 'key_source_unavailable'
  | 'refresh_token_reused'
  | 'user_loader_failed'
  | 'dpop_proof_invalid'
  | 'dpop_nonce_required'
  | 'dpop_required'
  | 'dpop_not_bound';

/** Codes a client can act on (log in again, send the CSRF header, retry); the others stay out of bodies. */
export const PUBLIC_CODES: ReadonlySet<LoginErrorCode> = new Set([
  'insufficient_scope',
  'fresh_login_required',
  'insufficient_user_authentication',
  'csrf_failed',
  'body_not_parsed',
  'store_unavailable',
  'login_throttled',
  'key_source_unavailable',
  'refresh_token_reused',
  'dpop_proof_invalid',
  'dpop_nonce_required',
  'dpop_required',
  'dpop_not_bound',
]);

/** A sentence per reason, for `error_description` when `exposeErrorDescriptions` is on. */
const DESCRIPTIONS: Record<LoginErrorCode, string> = {
  token_missing: 'No token was sent',
  credentials_invalid: 'The username or password is wrong',
  token_malformed: 'The token is malformed',
  token_too_long: 'The token is too long',
  signature_invalid: 'The token signature is invalid',
  algorithm_not_allowed: 'The token algorithm is not allowed',
  token_expired: 'The token expired',
  token_not_yet_valid: 'The token is not valid yet',
  claim_invalid: 'A token claim is missing or invalid',
  issuer_invalid: 'The token issuer is not accepted',
  audience_invalid: 'The token audience is not accepted',
  user_not_found: 'The user of the token does not exist',
  insufficient_scope: 'The token lacks a required scope',
  token_type_invalid: 'This type of token is not accepted here',
  token_revoked: 'The token was revoked',
  fresh_login_required: 'A fresh login is required',
  insufficient_user_authentication: 'A more recent or stronger login is required',
  csrf_failed: 'The CSRF token is missing or invalid',
  body_not_parsed: 'The request body was not parsed',
  store_unavailable: 'The login service is unavailable',
  login_throttled: 'Too many login attempts',
  key_source_unavailable: 'The keys to verify the token are unavailable',
  refresh_token_reused: 'The refresh token was already used',
  user_loader_failed: 'The user could not be loaded',
  dpop_proof_invalid: 'The DPoP proof is missing or invalid',
  dpop_nonce_required: 'The DPoP proof must carry the nonce of the DPoP-Nonce header',
  dpop_required: 'The token must come as Authorization: DPoP with a DPoP proof',
  dpop_not_bound: 'The token is not bound to a DPoP key: send it as a Bearer token',
};

/**
 * The human sentence for a reason; claim names are ours or validated config, and a DPoP `detail`
 * one of the fixed names of a failed check, so they need no quoting.
 */
export function describeFailure(code: LoginErrorCode, claim?: string, detail?: string): string {
  if (code === 'claim_invalid' && claim) return `The token claim ${claim} is missing or invalid`;
  if (code === 'dpop_proof_invalid' && detail) return `The DPoP proof was refused (${detail})`;
  return DESCRIPTIONS[code];
}
