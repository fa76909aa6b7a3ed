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
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq === -1 || pair.slice(0, eq).trim() !== name) continue;
    const value = unquote(pair.slice(eq + 1).trim());
    return value === '' ? undefined : decode(value);
  }
  return undefined;
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
