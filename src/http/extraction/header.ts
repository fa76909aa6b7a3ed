import type { IncomingMessage } from 'node:http';

/** RFC 6750 §2.1: `Bearer` (any case), one or more spaces, one b64token, nothing else. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;
/** A b64token alone: what follows `Bearer ` in the usual form, tested without a capture or a case fold. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * The bearer token of the `Authorization` header, or `undefined` for anything else:
 * another scheme, `Bearer` alone, two tokens, or several `Authorization` headers
 * (Node keeps only the first, so which one counted would be an accident).
 */
export function bearerToken(request: IncomingMessage): string | undefined {
  const value = request.headers.authorization;
  if (!value) return undefined;
  if (repeatsAuthorization(request.rawHeaders)) return undefined;
  // The usual form, `Bearer <token>`, is read without the regex's match array; any other is left to it.
  if (value.startsWith('Bearer ') && value.charCodeAt(7) !== 32) {
    const token = value.slice(7);
    return B64TOKEN.test(token) ? token : undefined;
  }
  return BEARER.exec(value)?.[1];
}

/**
 * Whether the request sent `Authorization` more than once. Scans the raw name/value
 * list in place (and only for a request that has the header), where `headersDistinct`
 * would copy every header of every request to answer the same question.
 */
export function repeatsAuthorization(raw: readonly string[] | undefined): boolean {
  if (!raw) return false;
  let seen = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length === 13 && name.toLowerCase() === 'authorization' && ++seen > 1) return true;
  }
  return false;
}
