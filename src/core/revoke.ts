import { type Exchange, exchangeOf, type HttpExchange, respondingExchangeOf } from '../frameworks';
import { clearSessionCookies } from '../http/session-cookies';
import { rememberedLogin } from '../remember/remember';
import { revocationId } from '../revocation/token-id';
import { EVENTS } from '../shared/events';
import { isPlainObject } from '../shared/json';
import type { TokenPayload } from '../token/claims';
import type { Authenticator } from './authenticator';
import { routeTokenType } from './checkers';

/**
 * `manager.revoke(token)`: refuses a token until it would have expired anyway, by its
 * `jti` or, without one, by the digest `revocationId` makes. An expired token is left
 * alone (nothing to refuse); an invalid one is an authentication failure.
 */
export async function revokeToken(auth: Authenticator<unknown>, token: string | TokenPayload): Promise<void> {
  if (typeof token !== 'string') {
    if (!isPlainObject(token) || typeof token.jti !== 'string' || typeof token.exp !== 'number') {
      throw new TypeError(
        'revoke(): a payload without jti/exp names no token; pass the token, or use revokeAllFor(sub).',
      );
    }
    return auth.store.add(token.jti, token.exp * 1000);
  }
  const checked = auth.verifier.verify(token, undefined);
  if (!checked.ok && checked.code === 'token_expired') return;
  if (!checked.ok) throw auth.failures.login(checked);
  await auth.store.add(revocationId(token, checked.value), checked.value.exp * 1000);
}

/** `manager.revokeAllFor(sub)`: refuses every token of `sub` issued until now; tokens issued later work. */
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
  await auth.store.setCutoff(sub, now, now + lifetime * 1000);
  if (EVENTS.logoutAll.hasSubscribers) EVENTS.logoutAll.publish({ sub });
}

/** `manager.logout(request, response?)`: in cookie mode the response is needed, to clear the cookies. */
export function logout(auth: Authenticator<unknown>, request: HttpExchange, response?: HttpExchange): Promise<void> {
  const pick = auth.options.useCookie ? respondingExchangeOf : exchangeOf;
  return logoutExchange(auth, pick(request, response, 'logout()'));
}

/**
 * `manager.logout(...)`: revokes whatever valid token authenticated the request (with or
 * without `jti`: never a TypeError for it) and, in cookie mode, clears the cookies.
 */
async function logoutExchange(auth: Authenticator<unknown>, exchange: Exchange): Promise<void> {
  const login = await auth.loginFor(exchange, routeTokenType(exchange.req));
  if (login.ok) await auth.store.add(login.revocationId, login.payload.exp * 1000);
  // Remember me ends too: the login's refresh-token family, and the refresh cookie's.
  const remembered = auth.options.useCookie ? rememberedLogin(auth.remember, exchange) : undefined;
  const families = new Set([login.ok ? login.payload.fam : undefined, remembered?.payload.fam]);
  const until = auth.options.clock() + auth.minter.maxLifetime() * 1000;
  for (const family of families) if (family !== undefined) await auth.store.revokeFamily(family, until);
  if (remembered)
    await auth.store.add(revocationId(remembered.token, remembered.payload), remembered.payload.exp * 1000);
  const sub = login.ok ? login.payload.sub : remembered?.payload.sub;
  if (sub !== undefined && EVENTS.logout.hasSubscribers) {
    EVENTS.logout.publish({ sub, families: [...families].filter((family) => family !== undefined) });
  }
  if (!auth.options.useCookie) return;
  clearSessionCookies(exchange, auth.cookies);
}
