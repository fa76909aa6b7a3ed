import type { Exchange } from '../frameworks';
import { writeSessionCookies } from '../http/session-cookies';
import type { TokenPayload } from '../token/claims';
import { renewedClaims } from '../token/issue';
import type { RememberContext } from './context';

/**
 * Sliding sessions (`refreshCookieWithin`): an access cookie close to expiry is replaced by
 * a new token of the same lifetime, with the same csrf value and never fresh, so an active
 * user stays logged in and an idle one is not. The renewals carry the session's `fam` (the
 * first cookie's `jti` when it had none), so a logout ends every cookie of the chain.
 */
export function slideSession(context: RememberContext, payload: TokenPayload, exchange: Exchange): void {
  const { minter, cookies, settings } = context;
  const window = settings.refreshCookieWithin;
  if (window === undefined || !minter.canSign || !exchange.res || exchange.res.headersSent) return;
  if (payload.exp - minter.now() > window) return;
  const lifetime = payload.exp - Math.floor(payload.iat ?? payload.exp - settings.defaultExpiry);
  const claims = renewedClaims(payload, lifetime, minter.issuePolicy(lifetime), true);
  // The chain of renewals is one cookie session: the first cookie's jti names it, so logging
  // out with any of its cookies refuses the others too (they are that family).
  if (claims.fam === undefined && payload.jti !== undefined) claims.fam = payload.jti;
  writeSessionCookies(exchange, minter.sign(claims, 'sliding session'), claims as TokenPayload, minter.now(), cookies);
}
