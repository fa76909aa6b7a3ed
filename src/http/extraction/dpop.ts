import type { IncomingMessage } from 'node:http';
import { repeatsAuthorization } from './header';

/** RFC 9449 §7.1: `DPoP` (any case), one or more spaces, one token68, nothing else. */
const DPOP = /^DPoP +([A-Za-z0-9\-._~+/]+=*)$/i;

/**
 * The token of `Authorization: DPoP <token>`, or `undefined` for anything else (another
 * scheme, two tokens, several `Authorization` headers). Asked only when DPoP is on and the
 * header held no `Bearer` token, so Bearer requests never pay for it.
 */
export function dpopToken(request: IncomingMessage): string | undefined {
  const value = request.headers.authorization;
  if (!value) return undefined;
  if (repeatsAuthorization(request.rawHeaders)) return undefined;
  return DPOP.exec(value)?.[1];
}

/**
 * The request's `DPoP` proof header as sent: `undefined` without one, the value when there is
 * exactly one, every value (an array, which a proof check refuses) when there are several.
 * Node joins repeated unknown headers with `, ` in `headers`, so the raw list is read.
 */
export function dpopProofHeader(request: IncomingMessage): string | string[] | undefined {
  const raw = request.rawHeaders;
  const values: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length === 4 && name.toLowerCase() === 'dpop') values.push(raw[i + 1] as string);
  }
  return values.length > 1 ? values : values[0];
}
