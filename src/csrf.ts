import { timingSafeEqual } from 'node:crypto';
import type { Exchange } from './frameworks';
import type { TokenPayload } from './token/claims';

/** The header a cookie-authenticated write must carry, holding the token's CSRF value (lower case, as Node gives headers). */
export const CSRF_HEADER = 'x-csrf-token';
/** The readable cookie `setCookie` writes the token's CSRF value into, for the page's script to echo. */
export const CSRF_COOKIE = 'csrf-token';

/** Methods that must not change anything (RFC 9110 §9.2.1); every other one needs the header. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/**
 * Double-submit check for a token that came from a cookie: a write must echo the
 * token's `csrf` claim in `X-CSRF-Token`, which a cross-site form cannot set.
 */
export function csrfPasses(exchange: Exchange, payload: TokenPayload): boolean {
  const request = exchange.req;
  if (SAFE_METHODS.has(request.method ?? 'GET')) return true;
  const sent = request.headers[CSRF_HEADER];
  if (typeof sent !== 'string' || typeof payload.csrf !== 'string') return false;
  const expected = Buffer.from(payload.csrf);
  const actual = Buffer.from(sent);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
