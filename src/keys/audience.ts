import { fail, flag } from '../shared/checks';

/**
 * A verify-only manager (public keys, a JWK Set, `jwksUri`, `discovery`, each `issuers` entry)
 * must check `aud`: its issuer signs tokens for other services too, and without `audience`
 * every one of them would be accepted here (RFC 8725 §3.9). An app that really accepts tokens
 * meant for any audience says so with `anyAudience: true`, the exception. `verifyOnly` is false
 * for a manager that signs its own tokens; `inEntry` says the options are an `issuers` entry's.
 */
export function audienceRule(
  audience: readonly string[] | undefined,
  anyAudience: unknown,
  verifyOnly: boolean,
  inEntry = false,
): void {
  const any = flag('anyAudience', anyAudience, false);
  if (any && audience !== undefined) {
    fail('give `audience` (whom tokens must be for) or `anyAudience: true` (anyone), not both.');
  }
  if (any && !verifyOnly) {
    fail(
      '`anyAudience` is for verify-only managers; this one signs its own tokens, and checks `aud` when `audience` ' +
        'is set. Drop `anyAudience`.',
    );
  }
  if (verifyOnly && !any && audience === undefined) {
    const entry = inEntry ? ' in this entry' : '';
    fail(
      `a verify-only manager must check whom a token is for: set \`audience\`${entry} to this service's ` +
        "identifier (the `aud` its tokens carry, e.g. audience: 'https://api.example.com'), or any token the issuer " +
        'signed for another API is accepted here (RFC 8725 §3.9). A service that really accepts tokens for any ' +
        `audience says so with \`anyAudience: true\`${entry}.`,
    );
  }
}
