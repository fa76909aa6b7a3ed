import { acceptedUntil, endedUntil, type TokenPair } from '../revocation/rotation';
import { sessionLabel } from '../sessions/label';
import { EVENTS, type LoginEvent } from '../shared/events';
import { pairClaims, type TokenPairRequest } from '../token/family';
import { type AccessTokenRequest, newClaims, type RefreshTokenRequest } from '../token/issue';
import type { Authenticator } from './authenticator';
import { boundKey } from './dpop-key';
import { sessionEnded } from './sessions';

/** `manager.createAccessToken(...)`: a signed access token, `defaultExpiry` unless `expiresIn` says otherwise. */
export function createAccessToken(auth: Authenticator<unknown>, request: AccessTokenRequest): string {
  const { minter, options } = auth;
  const claims = newClaims('createAccessToken', request, 'access', minter.issuePolicy(options.defaultExpiry));
  const token = minter.sign(claims, 'createAccessToken');
  if (EVENTS.login.hasSubscribers) EVENTS.login.publish(loginEvent(claims));
  return token;
}

/** `manager.createRefreshToken(...)`: a refresh token that starts a family of its own. */
export function createRefreshToken(auth: Authenticator<unknown>, request: RefreshTokenRequest): string {
  const { minter, options } = auth;
  const claims = newClaims('createRefreshToken', request, 'refresh', minter.issuePolicy(options.refreshExpiry));
  const token = minter.sign(claims, 'createRefreshToken');
  if (EVENTS.login.hasSubscribers) EVENTS.login.publish(loginEvent(claims));
  return token;
}

/**
 * `manager.createTokens(...)`: a login's access and refresh tokens, in one new family, recorded
 * in the store as one of the user's sessions, with its label (so it is listed, and refreshes, from now on);
 * with `dpop: req`, both bound to the key of the request's checked DPoP proof.
 */
export async function createTokens(auth: Authenticator<unknown>, request: TokenPairRequest): Promise<TokenPair> {
  const { minter, options, store, rotation } = auth;
  const jkt = await boundKey(auth, request);
  const access = minter.issuePolicy(options.defaultExpiry);
  const claims = pairClaims(request, access, minter.issuePolicy(options.refreshExpiry), jkt);
  const pair = {
    accessToken: minter.sign(claims.access, 'createTokens'),
    refreshToken: minter.sign(claims.refresh, 'createTokens'),
  };
  const { sub, fam, exp } = claims.refresh as { sub: string; fam: string; exp: number };
  const label = sessionLabel('createTokens', request.label);
  const session = { id: fam, started: access.nowMs, refreshed: access.nowMs, generation: 0, ...(label && { label }) };
  const evicted = await store.startSession(
    sub,
    session,
    acceptedUntil(rotation, exp),
    options.maxSessions,
    endedUntil(rotation),
  );
  if (EVENTS.login.hasSubscribers) EVENTS.login.publish(loginEvent(claims.refresh));
  for (const family of evicted) sessionEnded(sub, family, 'evicted');
  return pair;
}

/** `:login`: who logged in, the login's family (if the tokens have one) and its `acr` (if set); no token. */
function loginEvent({ sub, fam, acr }: Record<string, unknown>): LoginEvent {
  const event: LoginEvent = { sub: sub as string };
  if (typeof fam === 'string') event.family = fam;
  if (typeof acr === 'string') event.acr = acr;
  return event;
}
