import { isPlainObject } from '../shared/json';

/** How a token is bound (RFC 9449 §6): not at all (a bearer token), to a key's thumbprint, or unreadably. */
export type TokenBinding = { kind: 'bearer' } | { kind: 'dpop'; jkt: string } | { kind: 'invalid' };

/** A SHA-256 thumbprint in base64url: 43 characters. */
const JKT = /^[A-Za-z0-9_-]{43}$/;

/**
 * The binding a verified token's claims state: no `cnf` is a bearer token; `cnf.jkt` a
 * DPoP-bound one (which must then come with a proof by that key, and never as `Bearer`);
 * a `cnf` that is not an object with a well-formed `jkt` is `invalid` (refuse the token).
 */
export function bindingOf(claims: Record<string, unknown>): TokenBinding {
  const { cnf } = claims;
  if (cnf === undefined) return { kind: 'bearer' };
  if (!isPlainObject(cnf) || typeof cnf.jkt !== 'string' || !JKT.test(cnf.jkt)) return { kind: 'invalid' };
  return { kind: 'dpop', jkt: cnf.jkt };
}

/** The claim that binds a new token to the key of thumbprint `jkt` (RFC 9449 §6.1). */
export const confirmationClaim = (jkt: string): { cnf: { jkt: string } } => ({ cnf: { jkt } });
