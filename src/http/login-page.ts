import type { IncomingMessage } from 'node:http';
import type { Exchange } from '../frameworks';

/** The query parameter (and form field) that carries the page a browser asked for to the login route. */
export const NEXT_PARAMETER = 'next';

/** The longest `next` path taken: longer ones are dropped, never cut. */
const MAX_NEXT_LENGTH = 2048;

/**
 * What a same-origin path may hold as sent: RFC 3986's unreserved characters, sub-delims, `:`, `@`, `/`, `?` and
 * percent escapes. No backslash, space, control character, `#`, quote or angle bracket.
 */
const PATH_CHARACTERS = /^\/[\w\-.~!$&'()*+,;=:@/?%]*$/;

/** `.` or `..` as a whole path segment, which a browser resolves away (`/..//host` becomes `//host`). */
const DOT_SEGMENT = /\/\.{1,2}(?:[/?]|$)/;

/** Whether `text` holds a control character (C0, DEL, C1) or a backslash, which browsers read as `/`. */
function hasForbidden(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x5c) return true;
  }
  return false;
}

/**
 * `value` when it is a path on this origin, safe to redirect to: it starts with one `/` (not `//`, `/\`, a scheme or
 * a host), holds only URL characters, no dot segment, and neither do its percent-decoded forms (`/%2F%2Fhost`,
 * `/%5Chost`, `%252F`..., decoded until nothing changes); else `undefined`.
 */
export function sameOriginPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > MAX_NEXT_LENGTH || !PATH_CHARACTERS.test(value)) return undefined;
  let form = value;
  for (let depth = 0; depth < 4; depth++) {
    if (form[1] === '/' || DOT_SEGMENT.test(form) || hasForbidden(form)) return undefined;
    let decoded: string;
    try {
      decoded = decodeURIComponent(form);
    } catch {
      return undefined; // a malformed escape: not a URL a browser sent
    }
    if (decoded === form) return value;
    form = decoded;
  }
  return undefined; // encoded four times over: no page asks for that
}

/** The path and query the client asked for (express's `originalUrl`, as a mounted router does not shorten it). */
export const requestedPath = (request: IncomingMessage): string =>
  ((request as { originalUrl?: unknown }).originalUrl as string | undefined) ?? request.url ?? '/';

/**
 * The `next` the login route was given, checked: the query's `next` parameter, else a parsed body's `next` field
 * (a hidden field of the login form); `fallback` when there is none or it is not a same-origin path.
 */
export function nextPathOf(exchange: Exchange, fallback: string): string {
  const url = requestedPath(exchange.req);
  const query = url.indexOf('?');
  const fromQuery = query < 0 ? null : new URLSearchParams(url.slice(query + 1)).get(NEXT_PARAMETER);
  return sameOriginPath(fromQuery ?? exchange.bodyField(NEXT_PARAMETER)) ?? fallback;
}

/**
 * A browser navigating to a page, not a script or an API client: a GET or HEAD without `Authorization`, whose
 * `Accept` ranks `text/html` above JSON, and whose `Sec-Fetch-Mode` and `Sec-Fetch-Dest`, when the browser sends
 * them, say `navigate` and `document` (a page's `fetch()` says `cors` or `same-origin` and keeps its 401).
 */
export function isPageNavigation(request: IncomingMessage): boolean {
  const { method, headers } = request;
  if ((method !== 'GET' && method !== 'HEAD') || headers.authorization !== undefined) return false;
  const mode = headers['sec-fetch-mode'];
  const dest = headers['sec-fetch-dest'];
  if ((mode !== undefined && mode !== 'navigate') || (dest !== undefined && dest !== 'document')) return false;
  return prefersHtml(headers.accept);
}

/**
 * Whether `Accept` ranks HTML (`text/html` or `application/xhtml+xml`, named: a wildcard does not count) strictly above
 * JSON (`application/json`, else `application/*`, else `*\/*`). Browsers' `text/html,...,*\/*;q=0.8` does; `*\/*`,
 * `application/json` and a tie do not.
 */
export function prefersHtml(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  let html = 0;
  const json = { exact: -1, type: -1, any: -1 };
  for (const range of accept.split(',')) {
    const [type = '', ...parameters] = range.split(';');
    const name = type.trim().toLowerCase();
    const q = quality(parameters);
    if (name === 'text/html' || name === 'application/xhtml+xml') html = Math.max(html, q);
    else if (name === 'application/json') json.exact = Math.max(json.exact, q);
    else if (name === 'application/*') json.type = Math.max(json.type, q);
    else if (name === '*/*') json.any = Math.max(json.any, q);
  }
  const jsonQuality = json.exact >= 0 ? json.exact : json.type >= 0 ? json.type : Math.max(json.any, 0);
  return html > jsonQuality;
}

/** A media range's `q` (RFC 9110 §12.4.2): 1 unless given; an unreadable one counts as 0. */
function quality(parameters: string[]): number {
  for (const parameter of parameters) {
    const [key, value] = parameter.split('=');
    if (key?.trim().toLowerCase() !== 'q') continue;
    const q = Number(value?.trim());
    return Number.isFinite(q) && q >= 0 && q <= 1 ? q : 0;
  }
  return 1;
}

/**
 * Where a browser without a login goes: `loginPage` with `next`, the path it asked for when that is a same-origin
 * path (else without `next`); `undefined` for a request to the login page itself, which must not loop.
 */
export function loginPageLocation(loginPage: string, request: IncomingMessage): string | undefined {
  const asked = requestedPath(request);
  const query = loginPage.indexOf('?');
  const pagePath = query < 0 ? loginPage : loginPage.slice(0, query);
  const askedPath = asked.split('?', 1)[0];
  if (askedPath === pagePath) return undefined;
  const next = sameOriginPath(asked);
  if (next === undefined) return loginPage;
  return `${loginPage}${query < 0 ? '?' : '&'}${NEXT_PARAMETER}=${encodeURIComponent(next)}`;
}
