import type { ServerResponse } from 'node:http';

/** Where the manager reads tokens from: the request headers an authenticated response depends on. */
interface TokenPlaces {
  useHeader: boolean;
  useCookie: boolean;
}

/** The `Vary` value for where a manager reads tokens: worked out once per manager, not per response. */
export const varyOf = ({ useHeader, useCookie }: TokenPlaces): string =>
  useHeader && useCookie ? 'Authorization, Cookie' : useHeader ? 'Authorization' : 'Cookie';

/**
 * Marks the response to a request the library authenticated as not to be stored
 * (`Cache-Control: no-store`), so neither the browser's history (back after logout) nor a
 * shared cache shows it again, and names the headers it depends on (`vary`, from
 * {@link varyOf}) in `Vary`. An app's own `Cache-Control` wins: one set before is left
 * alone, one set later replaces this.
 */
export function preventCaching(response: ServerResponse, vary: string): void {
  if (response.headersSent || response.hasHeader('cache-control')) return;
  response.setHeader('Cache-Control', 'no-store');
  const current = response.getHeader('vary');
  if (current === undefined) {
    response.setHeader('Vary', vary);
    return;
  }
  const listed = String(current).toLowerCase();
  if (listed.trim() === '*') return;
  const present = listed.split(/\s*,\s*/);
  const missing = vary.split(', ').filter((name) => !present.includes(name.toLowerCase()));
  if (missing.length) response.setHeader('Vary', [String(current), ...missing].join(', '));
}

/**
 * A token endpoint's answer (RFC 6749 §5.1): `Cache-Control: no-store` and `Pragma: no-cache` (for HTTP/1.0
 * caches), whatever the app set. An `ETag` express adds to the JSON body is left alone: a response no cache may
 * store is never revalidated, and a POST is never answered 304, so it enables nothing (and the body differs every time).
 */
export function forbidStoring(response: ServerResponse): void {
  response.setHeader('Cache-Control', 'no-store');
  response.setHeader('Pragma', 'no-cache');
}
