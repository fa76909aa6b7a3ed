import { type Exchange, exchangeOf, type HttpExchange, respondingExchangeOf } from '../frameworks';
import { csrfBinding, csrfValueFor } from '../http/csrf';
import { readCookie } from '../http/extraction/cookie';
import {
  clearSessionCookies,
  type SessionCookieOptions,
  writeCsrfCookie,
  writeSessionCookies,
} from '../http/session-cookies';
import type { CookieOptions } from '../http/set-cookie';
import { writeRememberCookie } from '../remember/remember';
import type { Authenticator } from './authenticator';

/** `manager.setCookie(...)`: the token cookie, its CSRF cookie and, for `persistent`, the remember-me cookie. */
export function setCookie(
  auth: Authenticator<unknown>,
  response: HttpExchange,
  token: string,
  options?: SessionCookieOptions,
): void {
  const checked = auth.verifier.verify(token, 'access');
  if (!checked.ok) throw new TypeError(`setCookie(): not a valid access token of this manager (${checked.code}).`);
  if (checked.value.cnf !== undefined) {
    throw new TypeError('setCookie(): a DPoP-bound token needs a proof on every request, which a cookie cannot carry.');
  }
  const exchange = respondingExchangeOf(response, undefined, 'setCookie()');
  writeSessionCookies(exchange, token, checked.value, auth.minter.now(), auth.cookies, options);
  const persistent = options?.persistent ?? auth.cookies.defaults.persistent;
  if (persistent) writeRememberCookie(auth.remember, exchange, checked.value, options ?? {});
}

/**
 * `manager.csrfValue(...)`: the value a page's forms carry, made for the browser's login; before
 * login the CSRF cookie's, or a new one set as that cookie.
 */
export function csrfValue(auth: Authenticator<unknown>, request: HttpExchange, response?: HttpExchange): string {
  const exchange = exchangeOf(request, response, 'csrfValue()');
  const { csrfValues } = auth.cookies;
  return csrfValueFor(
    exchange,
    csrfValues,
    () => cookieSession(auth, exchange),
    (value) => {
      if (!exchange.res) {
        throw new TypeError(`csrfValue(): no response to set the ${csrfValues.cookieName} cookie on; pass \`res\`.`);
      }
      writeCsrfCookie(exchange, value, auth.cookies);
    },
  );
}

/**
 * The CSRF binding of the browser's cookie login, for CSRF alone: the access cookie's, else the
 * remember-me cookie's, as their signatures and lifetimes say. Whether the login was revoked since
 * does not matter here: a value made for it still came from a page this server gave this browser.
 */
export function cookieSession(auth: Authenticator<unknown>, exchange: Exchange): string | undefined {
  if (!auth.options.useCookie) return undefined;
  const { cookieName, refreshCookieName } = auth.cookies;
  for (const [name, type] of [
    [cookieName, 'access'],
    [refreshCookieName, 'refresh'],
  ] as const) {
    const token = readCookie(exchange.req, name);
    const checked = token === undefined ? undefined : auth.verifier.check(token, type);
    if (checked?.ok && csrfBinding(checked.value) !== undefined) return csrfBinding(checked.value);
  }
  return undefined;
}

/** `manager.clearCookie(...)`: expires every cookie of the session. */
export function clearCookie(
  auth: Authenticator<unknown>,
  response: HttpExchange,
  options?: Omit<CookieOptions, 'maxAge'>,
): void {
  clearSessionCookies(respondingExchangeOf(response, undefined, 'clearCookie()'), auth.cookies, options);
}
