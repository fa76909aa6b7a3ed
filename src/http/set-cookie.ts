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
  const prefix = cookiePrefix(cookie.name);
  // Browsers drop a prefixed cookie that is not Secure, so it is Secure even over plain http (localhost takes it).
  const { secure = prefix ? true : secureDefault, maxAge, domain, sameSite = 'lax', path = '/' } = options;
  if (prefix) checkPrefix(cookie.name, prefix, { secure, domain, path });
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

/** The prefix that makes browsers hold a cookie to stricter rules (RFC 6265bis §4.1.3), matched as they match it. */
function cookiePrefix(name: string): '__Secure-' | '__Host-' | undefined {
  const lower = name.toLowerCase();
  if (lower.startsWith('__host-')) return '__Host-';
  return lower.startsWith('__secure-') ? '__Secure-' : undefined;
}

/** Throws what a browser would silently do to a prefixed cookie with these attributes: drop it. */
function checkPrefix(name: string, prefix: '__Secure-' | '__Host-', attributes: CookieOptions): void {
  const cookie = `a ${prefix} cookie (${name})`;
  if (!attributes.secure) {
    throw new TypeError(
      `setCookie: browsers drop ${cookie} unless it is Secure: remove \`secure: false\` (it is then always Secure), ` +
        'or choose a name without the prefix',
    );
  }
  if (prefix === '__Secure-') return;
  if (attributes.domain !== undefined) {
    throw new TypeError(
      `setCookie: browsers drop ${cookie} with a \`domain\`: remove \`domain\` (the cookie stays on the host that ` +
        'set it), or use a __Secure- name to share it with subdomains',
    );
  }
  if (attributes.path !== '/') {
    throw new TypeError(
      `setCookie: browsers drop ${cookie} whose \`path\` is not '/': remove \`path\` (the default is '/'), ` +
        'or use a __Secure- name',
    );
  }
}
