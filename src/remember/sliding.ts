import type { Authenticator } from '../core/authenticator';
import type { Exchange } from '../frameworks';
import { writeSessionCookies } from '../http/session-cookies';
import type { TokenPayload } from '../token/claims';
import { renewedClaims } from '../token/issue';

/**
 * Sliding sessions (`refreshCookieWithin`): an access cookie close to expiry is replaced by
 * a new token of the same lifetime, with the same csrf value and never fresh, so an active
 * user stays logged in and an idle one is not.
 */
export function slideSession(auth: Authenticator<unknown>, payload: TokenPayload, exchange: Exchange): void {
  const { refreshCookieWithin: window, keys, defaultExpiry } = auth.options;
  if (window === undefined || !keys.signer?.signKey || !exchange.res || exchange.res.headersSent) return;
  if (payload.exp - auth.now() > window) return;
  const lifetime = payload.exp - Math.floor(payload.iat ?? payload.exp - defaultExpiry);
  const claims = renewedClaims(payload, lifetime, auth.issuePolicy(lifetime), true);
  writeSessionCookies(exchange, auth.sign(claims, 'sliding session'), claims as TokenPayload, auth.now(), auth.cookies);
}
