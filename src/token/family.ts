import { randomUUID } from 'node:crypto';
import { confirmationClaim } from '../dpop/binding';
import type { HttpExchange } from '../frameworks';
import type { TokenPayload } from './claims';
import { type AccessTokenRequest, carriedClaims, type IssuePolicy, newClaims, stamp } from './issue';
import { refuseUnknownKeys } from './request-keys';

/** What `createTokens` takes: the access token's request without `expiresIn` (each token gets its default lifetime). */
export interface TokenPairRequest extends Omit<AccessTokenRequest, 'expiresIn'> {
  /**
   * What `sessions(sub)` calls this login, for its user to recognise it: a device name, a user
   * agent. Kept in the store, never in a token; control characters removed, at most 200 characters.
   */
  label?: string;
  /**
   * The token request itself (express's `req`, a Koa `ctx`), DPoP on: its `DPoP` proof is checked as
   * on every route (no `ath`: there is no token yet) and both tokens are bound to the proof's key
   * (`cnf.jkt`, RFC 9449 §6), so they work only beside proofs that key signs. A request without a
   * `DPoP` header gets bearer tokens (with `dpop: 'required'`, a 401); a bad proof, a 401.
   */
  dpop?: HttpExchange;
}

/** Claims of a login's access and refresh tokens, in one new family; with `jkt`, both bound to that DPoP key. */
export function pairClaims(
  request: TokenPairRequest,
  accessPolicy: IssuePolicy,
  refreshPolicy: IssuePolicy,
  jkt?: string,
): { access: Record<string, unknown>; refresh: Record<string, unknown> } {
  if (request !== null && typeof request === 'object') refuseUnknownKeys('createTokens', { ...request }, 'pair');
  const { data, scopes, fresh, acr } = request ?? ({} as TokenPairRequest);
  const family = randomUUID();
  const scoped = { ...(scopes === undefined ? {} : { scopes }), ...(acr === undefined ? {} : { acr }) };
  const claims = {
    access: newClaims(
      'createTokens',
      { data, ...scoped, ...(fresh === undefined ? {} : { fresh }) },
      'access',
      accessPolicy,
      family,
    ),
    refresh: newClaims('createTokens', { data, ...scoped }, 'refresh', refreshPolicy, family),
  };
  // One login, one time: the two clock readings may fall in different seconds.
  claims.refresh.auth_time = claims.access.auth_time;
  if (jkt !== undefined) {
    Object.assign(claims.access, confirmationClaim(jkt));
    Object.assign(claims.refresh, confirmationClaim(jkt));
  }
  return claims;
}

/**
 * Claims for the refresh token that replaces `from` (rotation): same data, scopes and
 * family (a token from before families started one of its own `jti`), the family's
 * `generation` now (see `RevocationStore.rotate`), a new `jti`, and the same `exp`, so
 * rotating never stretches a login beyond its `refreshExpiry`.
 */
export function rotatedClaims(
  from: TokenPayload,
  policy: IssuePolicy,
  generation: number,
  keepCsrf = false,
): Record<string, unknown> {
  const { data, csrf } = carriedClaims(from);
  const lifetime = Math.max(1, from.exp - Math.floor(policy.nowMs / 1000));
  const claims = stamp(data, 'refresh', lifetime, policy);
  claims.exp = from.exp;
  claims.fam = from.fam ?? from.jti;
  claims.gen = generation;
  if (keepCsrf && csrf !== undefined) claims.csrf = csrf;
  return claims;
}

/**
 * Claims for a remember-me refresh token from the access token of a cookie login: its
 * data and scopes, its family (or a new one), its CSRF value (so the pages the browser
 * holds keep working after a renewal), a full refresh lifetime. Never fresh.
 */
export function rememberedClaims(from: TokenPayload, policy: IssuePolicy): Record<string, unknown> {
  const { data, csrf } = carriedClaims(from);
  const claims = stamp(data, 'refresh', policy.defaultLifetime, policy);
  claims.fam = from.fam ?? randomUUID();
  if (csrf !== undefined) claims.csrf = csrf;
  return claims;
}
