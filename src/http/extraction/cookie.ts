import type { IncomingMessage } from 'node:http';

/** RFC 6265 cookie-name: an HTTP token. */
export const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * The value of cookie `name` in the request's `Cookie` header, or `undefined` when it
 * is absent or empty. The first match wins: browsers send the most specific path first.
 */
export function readCookie(request: IncomingMessage, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  // One pass over the header, without splitting it into an array of pairs: on the request path of cookie logins.
  for (let start = 0; start < header.length; ) {
    const end = nextOr(header, ';', start);
    const eq = header.indexOf('=', start);
    if (eq !== -1 && eq < end && header.slice(start, eq).trim() === name) {
      const value = unquote(header.slice(eq + 1, end).trim());
      return value === '' ? undefined : decode(value);
    }
    start = end + 1;
  }
  return undefined;
}

/** The index of `char` from `from`, or the end of `text`. */
function nextOr(text: string, char: string, from: number): number {
  const at = text.indexOf(char, from);
  return at === -1 ? text.length : at;
}

const unquote = (value: string): string =>
  value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;

function decode(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
