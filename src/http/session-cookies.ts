import type { Exchange } from '../frameworks';
import type { TokenPayload } from '../token/claims';
import { csrfBinding } from './csrf';
import type { CsrfValues } from './csrf-token';
import { type CookieOptions, serializeCookie, writeCookie } from './set-cookie';

/** `setCookie` options: cookie attributes, plus `persistent` for "remember me". */
export interface SessionCookieOptions extends CookieOptions {
  /**
   * Give the cookie a `Max-Age` equal to the token's remaining lifetime, so it outlives
   * the browser session (remember me). Default `false`: a session cookie.
   */
  persistent?: boolean;
}

/** How a manager writes its session cookies. */
export interface SessionCookieConfig {
  /** The HttpOnly cookie holding the token. */
  cookieName: string;
  /** The HttpOnly remember-me cookie holding a refresh token. */
  refreshCookieName: string;
  /** Also write the readable CSRF cookie (cookie mode with CSRF protection on). */
  csrf: boolean;
  /** The CSRF cookie's name and the values written into it. */
  csrfValues: CsrfValues;
  defaults: SessionCookieOptions;
}

/**
 * Writes the HttpOnly token cookie and, with CSRF protection on, the readable CSRF
 * cookie beside it (same attributes): a value made for this login, for the page's script to echo.
 */
export function writeSessionCookies(
  exchange: Exchange,
  token: string,
  payload: TokenPayload,
  now: number,
  config: SessionCookieConfig,
  options: SessionCookieOptions = {},
): void {
  const { persistent, ...attributes } = { ...config.defaults, ...options };
  if (persistent && options.maxAge !== undefined) {
    throw new TypeError(
      'setCookie: `persistent` takes Max-Age from the token; pass `persistent` or `maxAge`, not both.',
    );
  }
  const cookie = persistent ? { ...attributes, maxAge: Math.max(0, payload.exp - now) } : attributes;
  writeCookie(exchange, { name: config.cookieName, value: token, httpOnly: true }, cookie);
  const binding = config.csrf ? csrfBinding(payload) : undefined;
  if (binding !== undefined) {
    const value = config.csrfValues.mint(binding);
    writeCookie(exchange, { name: config.csrfValues.cookieName, value, httpOnly: false }, cookie);
  }
}

/**
 * The manager's cookie attributes with `options` over them, without `persistent` (not a
 * cookie attribute); `maxAge`, when given, replaces theirs.
 */
export function cookieAttributes(
  config: SessionCookieConfig,
  options: SessionCookieOptions = {},
  maxAge?: number,
): CookieOptions {
  const { persistent: _persistent, ...attributes } = { ...config.defaults, ...options };
  return maxAge === undefined ? attributes : { ...attributes, maxAge };
}

/** Expires the refresh cookie alone (one that can no longer renew anything), with the path and domain it was set with. */
export function clearRefreshCookie(exchange: Exchange, config: SessionCookieConfig, options: CookieOptions = {}): void {
  writeCookie(
    exchange,
    { name: config.refreshCookieName, value: '', httpOnly: true },
    cookieAttributes(config, options, 0),
  );
}

/** Expires every cookie of the session (logout): token, CSRF and remember-me, with the path and domain they were set with. */
export function clearSessionCookies(
  exchange: Exchange,
  config: SessionCookieConfig,
  options: CookieOptions = {},
): void {
  const expired = cookieAttributes(config, options, 0);
  writeCookie(exchange, { name: config.cookieName, value: '', httpOnly: true }, expired);
  if (config.csrf) writeCookie(exchange, { name: config.csrfValues.cookieName, value: '', httpOnly: false }, expired);
  clearRefreshCookie(exchange, config, options);
}

/**
 * Throws the TypeError `setCookie` would for any of the cookies `names` (a `__Host-` name
 * with a `domain`...), so bad `cookieOptions` fail at construction.
 */
export function checkCookieOptions(options: SessionCookieOptions, names: readonly string[]): void {
  const { persistent, ...attributes } = options;
  if (persistent !== undefined && typeof persistent !== 'boolean') throw new TypeError('`persistent` is a boolean.');
  for (const name of names) serializeCookie({ name, value: '', httpOnly: true }, attributes, false);
}

/** Writes the readable CSRF cookie alone (before login), for the browser session, with the manager's attributes. */
export function writeCsrfCookie(exchange: Exchange, value: string, config: SessionCookieConfig): void {
  const { persistent: _persistent, maxAge: _maxAge, ...attributes } = config.defaults;
  writeCookie(exchange, { name: config.csrfValues.cookieName, value, httpOnly: false }, attributes);
}
