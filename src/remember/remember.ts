import type { Exchange } from '../frameworks';
import { csrfPasses } from '../http/csrf';
import { readCookie } from '../http/extraction/cookie';
import {
  clearRefreshCookie,
  cookieAttributes,
  type SessionCookieOptions,
  writeSessionCookies,
} from '../http/session-cookies';
import { writeCookie } from '../http/set-cookie';
import { rotate, storeVerdict } from '../revocation/rotation';
import { revocationId } from '../revocation/token-id';
import type { FailureReason } from '../shared/checked';
import type { MaybePromise } from '../shared/maybe-promise';
import type { TokenPayload } from '../token/claims';
import { rememberedClaims, rotatedClaims } from '../token/family';
import { renewedClaims } from '../token/issue';
import type { RememberContext } from './context';

/** A renewal's outcome: the new access token to log the request in with, or why there is none. */
export type Renewal = { token: string } | FailureReason;

/**
 * `setCookie(res, token, { persistent: true })`: beside the access cookie, an HttpOnly
 * refresh cookie that lasts `refreshExpiry`, from which `renewFromCookie` mints new access
 * cookies once the access token has expired (after the browser was closed, say).
 */
export function writeRememberCookie(
  context: RememberContext,
  exchange: Exchange,
  access: TokenPayload,
  options: SessionCookieOptions,
): void {
  const claims = rememberedClaims(access, context.minter.issuePolicy(context.settings.refreshExpiry));
  writeRefreshCookie(context, exchange, claims, options);
}

function writeRefreshCookie(
  { minter, cookies, settings }: RememberContext,
  exchange: Exchange,
  claims: Record<string, unknown>,
  options: SessionCookieOptions = {},
): void {
  const value = minter.sign(claims, 'remember me');
  const cookie = { name: settings.refreshCookieName, value, httpOnly: true };
  // The session cookies' attributes, with a Max-Age until the refresh token's exp.
  const maxAge = Math.max(0, (claims.exp as number) - minter.now());
  writeCookie(exchange, cookie, cookieAttributes(cookies, options, maxAge));
}

/** The request's remember-me refresh token, verified, or `undefined`. */
export function rememberedLogin(
  context: RememberContext,
  exchange: Exchange,
): { token: string; payload: TokenPayload } | undefined {
  const token = readCookie(exchange.req, context.settings.refreshCookieName);
  if (token === undefined) return undefined;
  const checked = context.verifier.verify(token, 'refresh');
  return checked.ok ? { token, payload: checked.value } : undefined;
}

/**
 * A request whose access cookie is missing or expired, with a refresh cookie: renews the
 * access cookie (and, with rotation, the refresh cookie) and gives the new access token, for
 * the core to log the request in with. CSRF rules apply: a write must carry the session's
 * CSRF value (kept in the refresh token) before anything is renewed. `undefined` when there
 * is no refresh cookie to use, answered synchronously: only a renewal waits for the store.
 */
export function renewFromCookie(context: RememberContext, exchange: Exchange): MaybePromise<Renewal | undefined> {
  if (!exchange.res || exchange.res.headersSent) return undefined;
  const token = readCookie(exchange.req, context.settings.refreshCookieName);
  if (token === undefined) return undefined;
  const checked = context.verifier.verify(token, 'refresh');
  if (!checked.ok) {
    // Expired or not ours: stop the browser sending it.
    clearRefreshCookie(exchange, context.cookies);
    return undefined;
  }
  const payload = checked.value;
  if (context.settings.csrf && !csrfPasses(exchange, payload, context.cookies.csrfValues))
    return { code: 'csrf_failed' };
  return renewWith(context, exchange, token, payload);
}

async function renewWith(
  context: RememberContext,
  exchange: Exchange,
  token: string,
  payload: TokenPayload,
): Promise<Renewal> {
  const verdict = await renewal(context, token, payload);
  if (typeof verdict === 'object') {
    clearRefreshCookie(exchange, context.cookies);
    return verdict;
  }
  return { token: renewCookies(context, exchange, payload, verdict) };
}

/**
 * Writes the new access cookie and, given the login's `generation` now, the next refresh
 * cookie (rotation; a sibling of the one another tab got, within the grace); returns the access token.
 */
function renewCookies(
  context: RememberContext,
  exchange: Exchange,
  payload: TokenPayload,
  generation: number | undefined,
): string {
  const { minter, cookies, settings } = context;
  let source = payload;
  if (generation !== undefined) {
    const rotated = rotatedClaims(payload, minter.issuePolicy(settings.refreshExpiry), generation, true);
    writeRefreshCookie(context, exchange, rotated);
    source = rotated as TokenPayload;
  }
  const { defaultExpiry } = settings;
  const access = renewedClaims(source, defaultExpiry, minter.issuePolicy(defaultExpiry), true);
  const token = minter.sign(access, 'remember me');
  writeSessionCookies(exchange, token, access as TokenPayload, minter.now(), cookies, { persistent: true });
  return token;
}

/**
 * What the store says of a refresh cookie: renew, with the generation of the next refresh
 * cookie (rotation), or without one (rotation off); or why not (revoked, or reused, which
 * ends its login). Within `refreshGrace` of a rotation the cookie rotated away still renews,
 * as at the refresh endpoint: tabs of one browser (restored at once, or loading together
 * after the access cookie expired) send the one refresh cookie the browser has.
 */
async function renewal(
  context: RememberContext,
  token: string,
  payload: TokenPayload,
): Promise<number | undefined | FailureReason> {
  const { settings, rotation } = context;
  const refused = await storeVerdict(rotation, payload, revocationId(token, payload), 'refresh');
  if (refused) return refused;
  if (!settings.rotateRefreshTokens || payload.jti === undefined) return undefined;
  const rotated = await rotate(rotation, payload);
  return 'code' in rotated ? rotated : rotated.generation;
}
