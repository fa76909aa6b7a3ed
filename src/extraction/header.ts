import type { IncomingMessage } from 'node:http';

/** RFC 6750 §2.1: `Bearer` (any case), one or more spaces, one b64token, nothing else. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/**
 * The bearer token of the `Authorization` header, or `undefined` for anything else:
 * another scheme, `Bearer` alone, two tokens, or several `Authorization` headers
 * (Node keeps only the first, so which one counted would be an accident).
 */
export function bearerToken(request: IncomingMessage): string | undefined {
  const value = request.headers.authorization;
  if (!value) return undefined;
  if ((request.headersDistinct?.authorization?.length ?? 1) > 1) return undefined;
  return BEARER.exec(value)?.[1];
}
