import { exchangeOf, type HttpExchange } from '../frameworks';
import { extractToken } from '../http/extraction';
import { rotate, type TokenPair } from '../revocation/rotation';
import { EVENTS, type RefreshEvent } from '../shared/events';
import type { TokenPayload } from '../token/claims';
import { rotatedClaims } from '../token/family';
import { renewedClaims } from '../token/issue';
import type { Authenticator } from './authenticator';

/** `manager.refreshAccessToken(...)`: a new access token, never fresh, without rotating. */
export async function refreshAccess(
  auth: Authenticator<unknown>,
  refreshToken: string | HttpExchange,
): Promise<string> {
  const { payload } = await refreshLogin(auth, refreshToken, 'refreshAccessToken()');
  const token = accessFrom(auth, payload, 'refreshAccessToken');
  if (EVENTS.refresh.hasSubscribers) EVENTS.refresh.publish(refreshEvent(payload, false));
  return token;
}

/**
 * `manager.refreshTokens(...)`: with rotation, refreshes the login in the store (of
 * concurrent uses exactly one rotates; within the refresh grace the others get a sibling of
 * the same generation) and returns the next refresh token beside a new access token; without
 * rotation, the refresh token given comes back.
 */
export async function refreshPair(
  auth: Authenticator<unknown>,
  refreshToken: string | HttpExchange,
): Promise<TokenPair> {
  const { payload, exchange } = await refreshLogin(auth, refreshToken, 'refreshTokens()');
  if (!auth.options.rotateRefreshTokens) {
    const given = exchange ? extractToken(exchange.req, auth.options)?.token : refreshToken;
    const accessToken = accessFrom(auth, payload, 'refreshTokens');
    if (EVENTS.refresh.hasSubscribers) EVENTS.refresh.publish(refreshEvent(payload, false));
    return { accessToken, refreshToken: given as string };
  }
  const rotated = await rotate(auth.rotation, payload);
  if ('code' in rotated) throw auth.failures.login(rotated, exchange);
  const claims = rotatedClaims(payload, auth.minter.issuePolicy(auth.options.refreshExpiry), rotated.generation);
  const pair = {
    accessToken: accessFrom(auth, claims as TokenPayload, 'refreshTokens'),
    refreshToken: auth.minter.sign(claims, 'refreshTokens'),
  };
  if (EVENTS.refresh.hasSubscribers) EVENTS.refresh.publish(refreshEvent(claims as TokenPayload, true));
  return pair;
}

/** `:refresh`: whose login, its family, whether the refresh token was rotated; no token. */
function refreshEvent({ sub, fam }: TokenPayload, rotated: boolean): RefreshEvent {
  return fam === undefined ? { sub, rotated } : { sub, family: fam, rotated };
}

/** The verified, unrevoked, unused payload of a refresh token, or the not-authenticated error. */
async function refreshLogin(auth: Authenticator<unknown>, refreshToken: string | HttpExchange, caller: string) {
  const exchange = typeof refreshToken === 'string' ? undefined : exchangeOf(refreshToken, undefined, caller);
  const login = exchange
    ? await auth.loginFor(exchange, 'refresh')
    : await auth.login(refreshToken as string, 'refresh');
  if (!login.ok) throw auth.failures.login(login, exchange);
  return { payload: login.payload, exchange };
}

/** A new access token (never fresh) with the data, scopes and family of `payload`, ending by its `exp` at the latest. */
function accessFrom(auth: Authenticator<unknown>, payload: TokenPayload, caller: string): string {
  const { defaultExpiry } = auth.options;
  return auth.minter.sign(renewedClaims(payload, defaultExpiry, auth.minter.issuePolicy(defaultExpiry), false), caller);
}
