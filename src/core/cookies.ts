import { exchangeOf, type HttpExchange, respondingExchangeOf } from '../frameworks';
import { csrfValueFor } from '../http/csrf';
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

/** `manager.csrfValue(...)`: the value a page's forms carry; before login a new one, set as the `csrf-token` cookie. */
export function csrfValue(auth: Authenticator<unknown>, request: HttpExchange, response?: HttpExchange): string {
  const exchange = exchangeOf(request, response, 'csrfValue()');
  return csrfValueFor(exchange, (value) => {
    if (!exchange.res) throw new TypeError('csrfValue(): no response to set the csrf-token cookie on; pass `res`.');
    writeCsrfCookie(exchange, value, auth.cookies);
  });
}

/** `manager.clearCookie(...)`: expires every cookie of the session. */
export function clearCookie(
  auth: Authenticator<unknown>,
  response: HttpExchange,
  options?: Omit<CookieOptions, 'maxAge'>,
): void {
  clearSessionCookies(respondingExchangeOf(response, undefined, 'clearCookie()'), auth.cookies, options);
}
