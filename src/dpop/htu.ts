/** Characters RFC 3986 §2.3 calls unreserved: their percent-encoding means the character itself (§6.2.2.2). */
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/**
 * The form of an HTTP(S) URI that DPoP compares (RFC 9449 §4.3 point 9): scheme, host and
 * path, without query and fragment, normalised as RFC 3986 §6 asks: scheme and host in lower
 * case and the default port dropped (the WHATWG URL parser does that, and removes dot
 * segments), an empty path as `/`, percent-encodings of unreserved characters decoded and
 * the others in upper case. `undefined` for anything that is not an absolute http(s) URI.
 */
export function comparableUri(uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  return url.origin + normalisePercentEncoding(url.pathname || '/');
}

function normalisePercentEncoding(path: string): string {
  return path.replace(/%[0-9A-Fa-f]{2}/g, (encoded) => {
    const character = String.fromCharCode(Number.parseInt(encoded.slice(1), 16));
    return UNRESERVED.test(character) ? character : encoded.toUpperCase();
  });
}

/** Whether a proof's `htu` names the URI the request was sent to, query and fragment aside. */
export function htuMatches(htu: string, requestUri: string): boolean {
  const claimed = comparableUri(htu);
  return claimed !== undefined && claimed === comparableUri(requestUri);
}
