import type { Exchange } from '../frameworks';

/** How `setCookie` and `clearCookie` write the cookie. */
export interface CookieOptions {
  /**
   * Send the cookie over HTTPS only. Default: whether this request came over HTTPS
   * (express's `req.secure`, which honours `trust proxy`; Koa's `ctx.secure`, which honours `app.proxy`).
   */
  secure?: boolean;
  /** Lifetime in seconds. Without it the cookie ends with the browser session. */
  maxAge?: number;
  /** The `Domain` attribute; default: this host only. */
  domain?: string;
  /** The `SameSite` attribute; default `'lax'`. `'none'` requires `secure`. */
  sameSite?: 'strict' | 'lax' | 'none';
  /** The `Path` attribute; default `'/'`. */
  path?: string;
}

/** RFC 6265 attribute values may not hold `;` or control characters. */
const ATTRIBUTE_VALUE = /^[\x21-\x3A\x3C-\x7E]+$/;
/** RFC 6265 cookie-octet. */
const COOKIE_VALUE = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*$/;
const SAME_SITE = { strict: 'Strict', lax: 'Lax', none: 'None' } as const;

/**
 * Appends one `Set-Cookie` header, keeping any the response already has (Koa's
 * `ctx.cookies` appends the same way, so both can write cookies on one response).
 */
export function writeCookie(
  exchange: Exchange,
  cookie: { name: string; value: string; httpOnly: boolean },
  options: CookieOptions = {},
): void {
  const response = exchange.res;
  if (!response) throw new TypeError('setCookie: no response to write the cookie on');
  const header = serializeCookie(cookie, options, options.secure ?? exchange.secure);
  const previous = response.getHeader('Set-Cookie');
  const kept = previous === undefined ? [] : Array.isArray(previous) ? previous : [String(previous)];
  response.setHeader('Set-Cookie', [...kept, header]);
}

/** One `Set-Cookie` value; throws a TypeError for attributes a cookie cannot carry. */
export function serializeCookie(
  cookie: { name: string; value: string; httpOnly: boolean },
  options: CookieOptions,
  secureDefault: boolean,
): string {
  const { secure = secureDefault, maxAge, domain, sameSite = 'lax', path = '/' } = options;
  if (!COOKIE_VALUE.test(cookie.value)) {
    throw new TypeError('setCookie: the value holds characters a cookie cannot carry');
  }
  if (maxAge !== undefined && !(Number.isSafeInteger(maxAge) && maxAge >= 0)) {
    throw new TypeError('setCookie: `maxAge` is a whole number of seconds, 0 or more');
  }
  for (const [name, value] of [
    ['domain', domain],
    ['path', path],
  ] as const) {
    if (value !== undefined && !ATTRIBUTE_VALUE.test(value)) {
      throw new TypeError(`setCookie: \`${name}\` may not contain ';', spaces or control characters`);
    }
  }
  if (!(sameSite in SAME_SITE)) throw new TypeError("setCookie: `sameSite` is 'strict', 'lax' or 'none'");
  if (sameSite === 'none' && !secure) {
    throw new TypeError('setCookie: browsers drop SameSite=None cookies unless `secure` is true');
  }
  const parts = [`${cookie.name}=${cookie.value}`, `Path=${path}`];
  if (domain !== undefined) parts.push(`Domain=${domain}`);
  if (maxAge !== undefined) parts.push(`Max-Age=${maxAge}`);
  if (maxAge === 0) parts.push('Expires=Thu, 01 Jan 1970 00:00:00 GMT');
  if (cookie.httpOnly) parts.push('HttpOnly');
  if (secure) parts.push('Secure');
  parts.push(`SameSite=${SAME_SITE[sameSite]}`);
  return parts.join('; ');
}
