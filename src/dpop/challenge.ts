/** What a `WWW-Authenticate: DPoP` challenge says (RFC 9449 §7.1). */
export interface DpopChallenge {
  /** The proof algorithms the server takes, sent as `algs="..."`. */
  algs: readonly string[];
  /** The error: absent when no token was sent at all. */
  error?: 'invalid_token' | 'invalid_dpop_proof' | 'use_dpop_nonce' | 'insufficient_scope';
  /** `error_description`: the library's own fixed sentences only (never attacker-controlled text). */
  description?: string;
  /** With `insufficient_scope`: the scopes the route requires. */
  scopes?: readonly string[];
}

/**
 * Formats `WWW-Authenticate: DPoP ...`, e.g. `DPoP error="invalid_dpop_proof", algs="ES256 EdDSA"`.
 * Algorithm names and scopes are validated configuration and descriptions fixed text, so
 * nothing needs quoting. A route that takes Bearer tokens too sends a `Bearer` challenge beside it.
 */
export function dpopChallenge({ algs, error, description, scopes }: DpopChallenge): string {
  const parts = [
    ...(error ? [`error="${error}"`] : []),
    ...(error && description ? [`error_description="${description}"`] : []),
    ...(error === 'insufficient_scope' && scopes?.length ? [`scope="${scopes.join(' ')}"`] : []),
    `algs="${algs.join(' ')}"`,
  ];
  return `DPoP ${parts.join(', ')}`;
}
