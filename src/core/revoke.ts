import { type Exchange, exchangeOf, type HttpExchange, respondingExchangeOf } from '../frameworks';
import { clearSessionCookies } from '../http/session-cookies';
import { rememberedLogin } from '../remember/remember';
import { acceptedUntil, endedUntil } from '../revocation/rotation';
import { revocationId } from '../revocation/token-id';
import { EVENTS } from '../shared/events';
import { isPlainObject } from '../shared/json';
import type { TokenPayload } from '../token/claims';
import type { Authenticator } from './authenticator';
import { routeTokenType } from './checkers';

/**
 * `manager.revoke(token)`: refuses a token until it could no longer be accepted anyway (its
 * `exp` plus `clockTolerance`), by its `jti` or, without one, by the digest `revocationId`
 * makes. An expired token is left alone (nothing to refuse); an invalid one is an authentication failure.
 */
export async function revokeToken(auth: Authenticator<unknown>, token: string | TokenPayload): Promise<void> {
  if (typeof token !== 'string') {
    const { sub, jti, exp } = isPlainObject(token) ? token : ({} as TokenPayload);
    if (typeof sub !== 'string' || typeof jti !== 'string' || typeof exp !== 'number') {
      throw new TypeError(
        'revoke(): a payload without sub/jti/exp names no token; pass the token, or use revokeAllFor(sub).',
      );
    }
    return auth.store.revoke(sub, jti, acceptedUntil(auth.rotation, exp));
  }
  const checked = auth.verifier.verify(token, undefined);
  if (!checked.ok && checked.code === 'token_expired') return;
  if (!checked.ok) throw auth.failures.login(checked);
  const { sub, exp } = checked.value;
  await auth.store.revoke(sub, revocationId(token, checked.value), acceptedUntil(auth.rotation, exp));
}

/**
 * `manager.revokeAllFor(sub)`: refuses every token of `sub` issued until now, and ends every
 * login of `sub` the store holds; tokens and logins made later work.
 */
export async function revokeAllFor(auth: Authenticator<unknown>, sub: string): Promise<void> {
  if (typeof sub !== 'string' || sub === '') throw new TypeError('revokeAllFor(): `sub` is a non-empty string.');
  const lifetime = auth.minter.verifiedLifetime();
  if (lifetime === Number.POSITIVE_INFINITY) {
    throw new TypeError(
      'revokeAllFor(): this verify-only manager accepts tokens of any lifetime, so no cut-off could be forgotten; ' +
        'set `maxTokenLifetime` to the longest lifetime its tokens have.',
    );
  }
  const now = auth.options.clock();
  const until = now + (lifetime + auth.options.clockTolerance) * 1000;
  await auth.store.revokeAll(sub, now, until, endedUntil(auth.rotation));
  if (EVENTS.logoutAll.hasSubscribers) EVENTS.logoutAll.publish({ sub });
}

/** `manager.logout(request, response?)`: in cookie mode the response is needed, to clear the cookies. */
export function logout(auth: Authenticator<unknown>, request: HttpExchange, response?: HttpExchange): Promise<void> {
  const pick = auth.options.useCookie ? respondingExchangeOf : exchangeOf;
  return logoutExchange(auth, pick(request, response, 'logout()'));
}

/**
 * `manager.logout(...)`: revokes whatever valid token authenticated the request (with or
 * without `jti`: never a TypeError for it) and ends its login, then, in cookie mode, the
 * remember-me cookie's the same way, and clears the cookies. A cookie session's login is
 * the chain of its sliding renewals too (they share a `fam`), so an older cookie of it is
 * refused as well.
 */
async function logoutExchange(auth: Authenticator<unknown>, exchange: Exchange): Promise<void> {
  const login = await auth.loginFor(exchange, routeTokenType(exchange.req));
  const remembered = auth.options.useCookie ? rememberedLogin(auth.remember, exchange) : undefined;
  const ended = new Set<string>();
  const end = async (payload: TokenPayload, id: string) => {
    await auth.store.revoke(payload.sub, id, acceptedUntil(auth.rotation, payload.exp));
    if (payload.fam === undefined || ended.has(payload.fam)) return;
    ended.add(payload.fam);
    await auth.store.endSession(payload.sub, payload.fam, endedUntil(auth.rotation));
  };
  if (login.ok) await end(login.payload, login.revocationId);
  if (remembered) await end(remembered.payload, revocationId(remembered.token, remembered.payload));
  const sub = login.ok ? login.payload.sub : remembered?.payload.sub;
  if (sub !== undefined && EVENTS.logout.hasSubscribers) EVENTS.logout.publish({ sub, families: [...ended] });
  if (!auth.options.useCookie) return;
  clearSessionCookies(exchange, auth.cookies);
}
