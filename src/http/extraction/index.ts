import type { IncomingMessage } from 'node:http';
import { readCookie } from './cookie';
import { bearerToken } from './header';

/** Where a request's token came from. */
export type TokenSource = 'cookie' | 'header';

export interface FoundToken {
  token: string;
  source: TokenSource;
}

export interface TokenLocations {
  useCookie: boolean;
  useHeader: boolean;
  cookieName: string;
}

/**
 * The request's token: the cookie first, then the header. The first place holding a
 * token decides, so a bad cookie is not rescued by a good header.
 */
export function extractToken(request: IncomingMessage, where: TokenLocations): FoundToken | undefined {
  if (where.useCookie) {
    const token = readCookie(request, where.cookieName);
    if (token !== undefined) return { token, source: 'cookie' };
  }
  if (where.useHeader) {
    const token = bearerToken(request);
    if (token !== undefined) return { token, source: 'header' };
  }
  return undefined;
}
