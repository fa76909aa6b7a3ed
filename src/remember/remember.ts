import type { Authenticator, Login } from '../core/authenticator';
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
import { reuseDetected } from '../revocation/rotation';
import { revocationId } from '../revocation/token-id';
import type { FailureReason } from '../shared/checked';
import { rejected } from '../shared/checked';
import type { MaybePromise } from '../shared/maybe-promise';
import type { TokenPayload } from '../token/claims';
import { rememberedClaims, rotatedClaims } from '../token/family';
import { renewedClaims } from '../token/issue';

/**
 * How long after a refresh cookie was rotated the same cookie may still renew the access
 * cookie (without a new refresh cookie) instead of counting as reuse: a browser restoring
 * several tabs sends them all with the one cookie it has.
 */
const RENEWAL_GRACE_MS = 30_000;

type Auth = Authenticator<unknown>;

/**
 * `setCookie(res, token, { persistent: true })`: beside the access cookie, an HttpOnly
 * refresh cookie that lasts `refreshExpiry`, from which `renewFromCookie` mints new access
 * cookies once the access token has expired (after the browser was closed, say).
 */
export function writeRememberCookie(
  auth: Auth,
  exchange: Exchange,
  access: TokenPayload,
  options: SessionCookieOptions,
): void {
  const claims = rememberedClaims(access, auth.issuePolicy(auth.options.refreshExpiry));
  writeRefreshCookie(auth, exchange, claims, options);
}

function writeRefreshCookie(
  auth: Auth,
  exchange: Exchange,
  claims: Record<string, unknown>,
  options: SessionCookieOptions = {},
): void {
  const value = auth.sign(claims, 'remember me');
  const cookie = { name: auth.options.refreshCookieName, value, httpOnly: true };
  // The session cookies' attributes, with a Max-Age until the refresh token's exp.
  writeCookie(
    exchange,
    cookie,
    cookieAttributes(auth.cookies, options, Math.max(0, (claims.exp as number) - auth.now())),
  );
}

/** The request's remember-me refresh token, verified, or `undefined`. */
export function rememberedLogin(auth: Auth, exchange: Exchange): { token: string; payload: TokenPayload } | undefined {
  const token = readCookie(exchange.req, auth.options.refreshCookieName);
  if (token === undefined) return undefined;
  const checked = auth.verify(token, 'refresh');
  return checked.ok ? { token, payload: checked.value } : undefined;
}

/**
 * A request whose access cookie is missing or expired, with a refresh cookie: renews the
 * access cookie (and, with rotation, the refresh cookie) and logs the request in with it.
 * CSRF rules apply: a write must carry the session's CSRF value (kept in the refresh
 * token) before anything is renewed. `undefined` when there is no refresh cookie to use,
 * answered synchronously: only a renewal waits for the store.
 */
export function renewFromCookie<TUser>(
  auth: Authenticator<TUser>,
  exchange: Exchange,
): MaybePromise<Login<TUser> | undefined> {
  const self = auth as Auth;
  if (!exchange.res || exchange.res.headersSent) return undefined;
  const token = readCookie(exchange.req, auth.options.refreshCookieName);
  if (token === undefined) return undefined;
  const checked = auth.verify(token, 'refresh');
  if (!checked.ok) {
    // Expired or not ours: stop the browser sending it.
    clearRefreshCookie(exchange, self.cookies);
    return undefined;
  }
  const payload = checked.value;
  if (auth.options.csrf && !csrfPasses(exchange, payload)) return rejected('csrf_failed');
  return renewWith(auth, exchange, token, payload);
}

async function renewWith<TUser>(
  auth: Authenticator<TUser>,
  exchange: Exchange,
  token: string,
  payload: TokenPayload,
): Promise<Login<TUser>> {
  const self = auth as Auth;
  const verdict = await renewal(self, token, payload);
  if (typeof verdict === 'object') {
    clearRefreshCookie(exchange, self.cookies);
    return { ok: false, ...verdict };
  }
  return auth.login(renewCookies(self, exchange, payload, verdict === 'rotate'), 'access');
}

/** Writes the new access cookie (and with `rotate` the next refresh cookie); returns the access token. */
function renewCookies(auth: Auth, exchange: Exchange, payload: TokenPayload, rotate: boolean): string {
  let source = payload;
  if (rotate) {
    const rotated = rotatedClaims(payload, auth.issuePolicy(auth.options.refreshExpiry), true);
    writeRefreshCookie(auth, exchange, rotated);
    source = rotated as TokenPayload;
  }
  const { defaultExpiry } = auth.options;
  const access = renewedClaims(source, defaultExpiry, auth.issuePolicy(defaultExpiry), true);
  const token = auth.sign(access, 'remember me');
  writeSessionCookies(exchange, token, access as TokenPayload, auth.now(), auth.cookies, { persistent: true });
  return token;
}

/**
 * What the store says of a refresh cookie: renew and rotate; renew the access cookie only
 * (rotation off, or a race lost within the grace); or why not (revoked, or reused, which
 * revokes its family).
 */
async function renewal(
  auth: Auth,
  token: string,
  payload: TokenPayload,
): Promise<'rotate' | 'access only' | FailureReason> {
  const { store, options } = auth;
  const [revoked, familyRevoked] = await Promise.all([
    store.isRevoked(payload, revocationId(token, payload)),
    payload.fam === undefined ? false : store.isFamilyRevoked(payload.fam),
  ]);
  if (revoked || familyRevoked) return { code: 'token_revoked' };
  if (!options.rotateRefreshTokens || payload.jti === undefined) return 'access only';
  const now = options.clock();
  const earlier = await store.retire(payload.jti, now, payload.exp * 1000);
  if (earlier === undefined) return 'rotate';
  return now - earlier <= RENEWAL_GRACE_MS ? 'access only' : reuseDetected(auth, payload);
}
