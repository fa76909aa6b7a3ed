import { createHash } from 'node:crypto';
import type { TokenPayload } from '../token/claims';

/**
 * Digests by payload: the verified-token cache hands every request of a token the same
 * frozen payload, so a token without `jti` is hashed once, not on every request. A payload
 * object only ever comes from verifying one signed part, so it names one digest.
 */
const digests = new WeakMap<TokenPayload, string>();

/**
 * The id a token is revoked by: its `jti`, or for a token without one (issued before
 * revocation existed, or by another issuer sharing the key) a SHA-256 of its signed part,
 * `header.payload`. Not of the signature: ECDSA signatures are malleable (s and n − s
 * both verify) and base64url has spare bits, so one token can be re-sent with another
 * signature string, while the signed part cannot change without failing verification.
 */
export function revocationId(token: string, payload: TokenPayload): string {
  if (payload.jti !== undefined) return payload.jti;
  let id = digests.get(payload);
  if (id === undefined) {
    const signed = token.slice(0, token.lastIndexOf('.'));
    id = `sha256:${createHash('sha256').update(signed).digest('base64url')}`;
    digests.set(payload, id);
  }
  return id;
}
