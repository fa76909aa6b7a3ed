import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Exchange } from '../frameworks';
import type { LoginErrorCode } from '../shared/errors';
import { RequestMemo } from '../shared/request-memo';
import type { TokenPayload } from '../token/claims';
import { readCookie } from './extraction/cookie';

/** The header a cookie-authenticated write must carry, holding the token's CSRF value (lower case, as Node gives headers). */
export const CSRF_HEADER = 'x-csrf-token';
/** The readable cookie `setCookie` writes the token's CSRF value into, for the page's script to echo. */
export const CSRF_COOKIE = 'csrf-token';

/**
 * The form field that may carry the value instead of the header, for pages without
 * JavaScript: `<input type="hidden" name="_csrf" value="...">` in a urlencoded or multipart form.
 */
export const CSRF_FIELD = '_csrf';

/** Methods that must not change anything (RFC 9110 §9.2.1); every other one needs the value. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/** The shape of the values this library writes (16 random bytes, base64url); anything else is regenerated. */
const CSRF_VALUE = /^[\w-]{22}$/;

/**
 * Double-submit check for a token that came from a cookie: a write must echo the
 * token's `csrf` claim in `X-CSRF-Token` or the `_csrf` form field, which a cross-site
 * page can neither read nor guess.
 */
export function csrfPasses(exchange: Exchange, payload: TokenPayload): boolean {
  return isSafe(exchange) || matches(sentValue(exchange), payload.csrf);
}

/**
 * The same check before anyone is logged in (the login form's POST, against login CSRF):
 * the value sent must equal the readable `csrf-token` cookie that `csrfValue()` set.
 */
export function loginCsrfPasses(exchange: Exchange): boolean {
  return isSafe(exchange) || matches(sentValue(exchange), readCookie(exchange.req, CSRF_COOKIE));
}

/**
 * Why a write fails the login CSRF check: `body_not_parsed` when no header came and the
 * body arrived but nothing read it (no parser for its type ran before the check, so a
 * `_csrf` field in it cannot be seen), else `csrf_failed`.
 */
export function loginCsrfFailure(exchange: Exchange): LoginErrorCode {
  return exchange.req.headers[CSRF_HEADER] === undefined && bodyUnread(exchange.req)
    ? 'body_not_parsed'
    : 'csrf_failed';
}

/**
 * A body was sent and its stream never consumed. Every parser reads the stream, while
 * `req.body` alone cannot tell: express 4's parsers and koa-bodyparser set `{}` for a type
 * they skip.
 */
function bodyUnread(request: IncomingMessage): boolean {
  const { 'transfer-encoding': chunked, 'content-length': length } = request.headers;
  return (chunked !== undefined || Number(length) > 0) && !request.readableEnded;
}

/** The request's `csrf-token` cookie when it holds a value this library could have written. */
function currentCsrfValue(exchange: Exchange): string | undefined {
  const value = readCookie(exchange.req, CSRF_COOKIE);
  return value !== undefined && CSRF_VALUE.test(value) ? value : undefined;
}

/**
 * The value each request's forms must carry, once known: its login's `csrf` claim (noted
 * when the login is checked, also after a remember-me renewal, whose cookies are only in
 * the response), or a value handed out before login, so one page gets one value.
 */
const requestValues = new RequestMemo<string>();

/** Notes the CSRF value of the login that authenticated `request`. */
export function noteLoginCsrf(request: IncomingMessage, payload: TokenPayload): void {
  if (typeof payload.csrf === 'string') requestValues.set(request, payload.csrf);
}

/**
 * The value a page embeds in its forms: the request's login's, else its `csrf-token`
 * cookie's, else a new one, which `write` sets as that cookie (once per request).
 */
export function csrfValueFor(exchange: Exchange, write: (value: string) => void): string {
  const known = requestValues.get(exchange.req) ?? currentCsrfValue(exchange);
  if (known !== undefined) return known;
  const value = randomBytes(16).toString('base64url');
  write(value);
  requestValues.set(exchange.req, value);
  return value;
}

const isSafe = (exchange: Exchange): boolean => SAFE_METHODS.has(exchange.req.method ?? 'GET');

/** The header wins when present; a form post without JavaScript sends the field. */
function sentValue(exchange: Exchange): string | undefined {
  const header = exchange.req.headers[CSRF_HEADER];
  return typeof header === 'string' ? header : exchange.bodyField(CSRF_FIELD);
}

function matches(sent: string | undefined, expected: unknown): boolean {
  if (typeof sent !== 'string' || typeof expected !== 'string' || expected === '') return false;
  const actual = Buffer.from(sent);
  const wanted = Buffer.from(expected);
  return actual.length === wanted.length && timingSafeEqual(actual, wanted);
}
