import type { IncomingMessage } from 'node:http';
import { readCookie } from './cookie';
import { dpopToken } from './dpop';
import { bearerToken } from './header';

export { dpopProofHeader } from './dpop';

/** Where a request's token came from: the cookie, `Authorization: Bearer`, or `Authorization: DPoP`. */
export type TokenSource = 'cookie' | 'header' | 'dpop';

export interface FoundToken {
  token: string;
  source: TokenSource;
}

export interface TokenLocations {
  useCookie: boolean;
  useHeader: boolean;
  cookieName: string;
  /** Set when DPoP is on: then `Authorization: DPoP <token>` counts too. */
  dpop?: object | undefined;
}

/**
 * The request's token: the cookie first, then the header (`Bearer`, or with DPoP on `DPoP`).
 * The first place holding a token decides, so a bad cookie is not rescued by a good header.
 */
export function extractToken(request: IncomingMessage, where: TokenLocations): FoundToken | undefined {
  if (where.useCookie) {
    const token = readCookie(request, where.cookieName);
    if (token !== undefined) return { token, source: 'cookie' };
  }
  if (where.useHeader) {
    const token = bearerToken(request);
    if (token !== undefined) return { token, source: 'header' };
    if (where.dpop !== undefined) {
      const bound = dpopToken(request);
      if (bound !== undefined) return { token: bound, source: 'dpop' };
    }
  }
  return undefined;
}
