import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Exchange } from '../frameworks';
import type { LoginErrorCode } from '../shared/errors';
import { RequestMemo } from '../shared/request-memo';
import type { TokenPayload } from '../token/claims';
import type { CsrfValues } from './csrf-token';
import { readCookie } from './extraction/cookie';

/** The header a cookie-authenticated write must carry, holding the CSRF value (lower case, as Node gives headers). */
export const CSRF_HEADER = 'x-csrf-token';
/** The default name of the readable cookie holding the CSRF value, for the page's script to echo (`csrfCookieName`). */
export const CSRF_COOKIE = 'csrf-token';

/**
 * The form field that may carry the value instead of the header, for pages without
 * JavaScript: `<input type="hidden" name="_csrf" value="...">` in a urlencoded or multipart form.
 */
export const CSRF_FIELD = '_csrf';

/** Methods that must not change anything (RFC 9110 §9.2.1); every other one needs the value. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/** The session a login's CSRF values are bound to: its `csrf` claim, or none (such a login's writes fail). */
export function csrfBinding(payload: TokenPayload): string | undefined {
  return typeof payload.csrf === 'string' && payload.csrf !== '' ? payload.csrf : undefined;
}

/**
 * The check of a token that came from a cookie: a write must send, in `X-CSRF-Token` or the
 * `_csrf` form field, a value the server made for this login's session (see `CsrfValues`),
 * which a cross-site page can neither read nor make.
 */
export function csrfPasses(exchange: Exchange, payload: TokenPayload, values: CsrfValues): boolean {
  if (isSafe(exchange)) return true;
  const binding = csrfBinding(payload);
  return binding !== undefined && values.valid(sentValue(exchange), binding);
}

/**
 * `@RequireCsrf()`, with or without a login (the login form's POST, against login CSRF): the value
 * sent is either one made before login and equal to the CSRF cookie (which `csrfValue()` set), or one
 * made for the session of the browser's login cookie, `session()` (its binding, when it has one).
 */
export function loginCsrfPasses(exchange: Exchange, values: CsrfValues, session: () => string | undefined): boolean {
  if (isSafe(exchange)) return true;
  const sent = sentValue(exchange);
  if (values.valid(sent, undefined)) return matches(sent, readCookie(exchange.req, values.cookieName));
  const binding = session();
  return binding !== undefined && values.valid(sent, binding);
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

/**
 * The session of the login that authenticated each request (noted when the login is checked,
 * also after a remember-me renewal, whose cookies are only in the response), and the value a
 * request's pages were given, so one page gets one value.
 */
const loginBindings = new RequestMemo<string>();
const givenValues = new RequestMemo<string>();

/** Notes the CSRF binding of the login that authenticated `request`. */
export function noteLoginCsrf(request: IncomingMessage, payload: TokenPayload): void {
  const binding = csrfBinding(payload);
  if (binding !== undefined) loginBindings.set(request, binding);
}

/**
 * The value a page embeds in its forms, for the request's login (noted, else `session()`, the
 * browser's login cookie's) or, without one, for no session: the CSRF cookie's when it is such a
 * value, else a new one, which before login `write` sets as that cookie (the double submit).
 */
export function csrfValueFor(
  exchange: Exchange,
  values: CsrfValues,
  session: () => string | undefined,
  write: (value: string) => void,
): string {
  const given = givenValues.get(exchange.req);
  if (given !== undefined) return given;
  const binding = loginBindings.get(exchange.req) ?? session();
  let value = readCookie(exchange.req, values.cookieName);
  if (value === undefined || !values.valid(value, binding)) {
    value = values.mint(binding);
    // A login's value needs no cookie to equal: it verifies against the login itself.
    if (binding === undefined) write(value);
  }
  givenValues.set(exchange.req, value);
  return value;
}

const isSafe = (exchange: Exchange): boolean => SAFE_METHODS.has(exchange.req.method ?? 'GET');

/** The header wins when present; a form post without JavaScript sends the field. */
function sentValue(exchange: Exchange): string | undefined {
  const header = exchange.req.headers[CSRF_HEADER];
  return typeof header === 'string' ? header : exchange.bodyField(CSRF_FIELD);
}

function matches(sent: string | undefined, expected: string | undefined): boolean {
  if (typeof sent !== 'string' || typeof expected !== 'string') return false;
  const actual = Buffer.from(sent);
  const wanted = Buffer.from(expected);
  return actual.length === wanted.length && timingSafeEqual(actual, wanted);
}
