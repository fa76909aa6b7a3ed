import type { AuthFailureHook, ErrorClass, ErrorFactory } from '../core/settings';
import type { UserLoaderOption } from '../core/user-loader';
import type { DpopOptions } from '../dpop/options';
import type { SessionCookieOptions } from '../http/session-cookies';
import type { Algorithm } from '../keys/algorithms';
import type { KeyConfig } from '../keys/key-ring';
import type { Secret } from '../keys/material';
import type { IssuerConfig } from '../keys/options';
import type { RemoteKeysOptions } from '../keys/settings';
import type { JsonWebKeySet } from '../keys/source';
import type { RevocationStore } from '../revocation/store';
import type { Clock } from '../shared/clock';
import type { Duration } from '../shared/duration';
import type { LoginLogger } from '../shared/logger';

/** Everything `new LoginManager(options)` takes. */
export interface LoginOptions<TUser = unknown> {
  /**
   * The signing key. HS*: a string or Buffer at least as long as the hash (32 bytes
   * for HS256). RS*, PS*, ES*, EdDSA (an Ed25519 key): a PEM private key, a private `KeyObject`, or
   * `{ privateKey, passphrase }`; the public key is derived from it. Required unless `keys` is given.
   */
  secret?: Secret;
  /**
   * Instead of `secret`: several keys, for rotation and verify-only services. The first
   * key with private material signs (its `kid` goes in the header); every key verifies
   * the tokens whose `kid` names it. A JWK Set (`{ keys: [...] }`, as `jwks()` returns)
   * makes a verify-only manager.
   */
  keys?: KeyConfig[] | JsonWebKeySet;
  /** Where clients get a token (for documentation and OpenAPI). */
  tokenUrl: string;
  /** The JWS algorithm (`'EdDSA'` for an Ed25519 key); verification accepts this one only. Default `'HS256'`. */
  algorithm?: Algorithm;
  /** Read `Authorization: Bearer <token>`. Default `true`. */
  useHeader?: boolean;
  /** Read the token from cookie `cookieName` (checked before the header). Default `false`. */
  useCookie?: boolean;
  /** The cookie holding the token. Default `'access-token'`. */
  cookieName?: string;
  /** Lifetime of access tokens: seconds, or a string like `'15m'`. Default 15 minutes. */
  defaultExpiry?: Duration;
  /** Thrown for every authentication failure instead of `InvalidCredentialsError`. */
  notAuthenticatedError?: ErrorClass | ErrorFactory;
  /** Thrown for a valid login lacking a required scope instead of `InsufficientScopeError`. */
  outOfScopeError?: ErrorClass | ErrorFactory;
  /**
   * Loads the user behind a token: a function `(sub, payload) => user`, or a class with a
   * `@UserLoader()` method. Default: the program's only `@UserLoader()` method.
   */
  userLoader?: UserLoaderOption<TUser>;
  /** Scope name → description (for documentation and OpenAPI). Default `{}`. */
  scopes?: Record<string, string>;
  /** The time source, for tests that freeze time. Default `Date.now`. */
  clock?: Clock;
  /** Lifetime of refresh tokens. Default 30 days. */
  refreshExpiry?: Duration;
  /** Where revocations (logouts) live. Default: a `MemoryRevocationStore`, right for one server. */
  revocationStore?: RevocationStore;
  /** Milliseconds to wait for the revocation store before failing closed with a 503. Default 1000. */
  storeTimeout?: number;
  /**
   * Require `X-CSRF-Token` (or the `_csrf` form field) on cookie-authenticated writes (POST, PUT, PATCH, DELETE):
   * a value signed for the login's session (see `csrfSecret`). Default `true`.
   */
  csrf?: boolean;
  /** Sliding sessions: renew the cookie of a request whose token expires within this window. Default: off. */
  refreshCookieWithin?: Duration;
  /** Defaults for `setCookie`, `clearCookie` and sliding renewals. */
  cookieOptions?: SessionCookieOptions;
  /** Where a revocation store outage is reported (once, not per request). Default `console`. */
  logger?: LoginLogger;
  /** Written as `iss` into new tokens; then required on verification. */
  issuer?: string;
  /**
   * Written as `aud` into new tokens (the first, if several); then a token must name one of them.
   * Required on a verify-only manager (public keys, a JWK Set, `jwksUri`, `discovery`), unless `anyAudience`.
   */
  audience?: string | string[];
  /**
   * The exception to a verify-only manager's `audience`: accept tokens whatever their `aud` (none, or another
   * API's). Only for a service that every token of its issuer is meant for; refused beside `audience` and on a
   * manager that signs. With `issuers`, set per entry. Default `false`.
   */
  anyAudience?: boolean;
  /** Seconds of clock skew allowed on exp, nbf, iat and maxAge. Default 0; at most 300. */
  clockTolerance?: number;
  /** Refuse tokens issued (`iat`) longer ago than this, whatever their `exp`. */
  maxAge?: Duration;
  /** Claims every token must have. */
  requiredClaims?: string[];
  /** Longer tokens are refused before any decoding or crypto. Default 8192 bytes. */
  maxTokenLength?: number;
  /** Put the reason in `WWW-Authenticate` (`error_description`) and in the body (`code`). Default `false`. */
  exposeErrorDescriptions?: boolean;
  /** Called with the reason whenever the library refuses a request or a token (for logs and metrics). */
  onAuthFailure?: AuthFailureHook;
  /**
   * A login page of this site, e.g. `'/login'`: a browser that asks for a page (a GET navigation whose `Accept`
   * prefers HTML) without a valid login gets `303 <loginPage>?next=<the path it asked for>` instead of the 401;
   * API clients, scripts and other methods keep the 401. The login route reads `next` with `manager.nextPath(req)`.
   * Needs `useCookie`. Default: off.
   */
  loginPage?: string;
  /**
   * Instead of `secret`/`keys`: the URL of the issuer's JWK Set (https; http only to
   * localhost), fetched and cached. Makes a verify-only manager.
   */
  jwksUri?: string;
  /**
   * Instead of `secret`/`keys`: find the JWK Set through OpenID Connect discovery at
   * `<issuer>/.well-known/openid-configuration` (its `issuer` must equal `issuer`). Makes a verify-only manager.
   */
  discovery?: boolean;
  /** With `jwksUri` or `discovery`: the algorithms tokens may use. Default `['RS256']`. */
  algorithms?: Algorithm[];
  /**
   * Instead of `issuer`, `audience` and the key options: several issuers, each with its own
   * keys and audience. A token's `iss` picks one; any other `iss` is refused. Makes a verify-only manager.
   */
  issuers?: IssuerConfig[];
  /** How JWK Sets are fetched and cached: time and size limits, cooldown, cache age bounds. */
  remoteKeys?: RemoteKeysOptions;
  /** Verify-only managers: the longest lifetime (`exp - iat`, `exp - now`) a token may have. Default: no limit. */
  maxTokenLifetime?: Duration;
  /**
   * Refresh-token rotation with reuse detection (RFC 9700 §4.14.2): `refreshTokens()`
   * retires the refresh token it is given and returns a new one; a retired one presented
   * again revokes every token of its login (401 `refresh_token_reused`). Default `true`.
   */
  rotateRefreshTokens?: boolean;
  /**
   * Refresh grace: for this long after a refresh token was rotated away, presenting it again (a
   * second tab, a retried request) refreshes the same login instead of counting as reuse: it gets
   * a sibling of the refresh token the first request got (same login, same generation) and
   * revokes nothing. After the window, reuse ends the login as before. The remember-me cookie's
   * renewals follow it too. Seconds or a string like `'15s'`; `0` for none; at most 300. Default 15 seconds.
   */
  refreshGrace?: Duration;
  /**
   * Live logins (refresh-token families) kept per user: a login beyond this many ends the least
   * recently refreshed one (its tokens are refused). A whole number from 1 to 1000. Default 20.
   */
  maxSessions?: number;
  /**
   * `Cache-Control: no-store` (and `Vary: Authorization, Cookie`, as they apply) on every
   * response to a request the library authenticated, unless the app or route sets its own
   * `Cache-Control`. Default `true`.
   */
  noStore?: boolean;
  /**
   * How many verified tokens to remember, so a token seen again skips signature and JSON
   * work (its claims, type, scopes and revocation are still checked on every request).
   * Default 10 000; 0 turns the cache off.
   */
  tokenCacheSize?: number;
  /**
   * The HttpOnly cookie of remember-me (`setCookie(res, token, { persistent: true })`): a
   * refresh token that renews the access cookie once it has expired. Default `'refresh-token'`.
   */
  refreshCookieName?: string;
  /**
   * The readable cookie holding the CSRF value, for the page's script to echo in `X-CSRF-Token`.
   * Default `'csrf-token'`. `'__Host-csrf'` keeps a sibling subdomain from planting it (the cookie is
   * then always `Secure`, on `Path=/`, without `Domain`, which `cookieOptions` must allow).
   */
  csrfCookieName?: string;
  /**
   * The secret CSRF values are signed with (HMAC-SHA256 through HKDF; 32 random bytes or more). Default:
   * derived from the signing keys (`secret`, or each `keys` entry with a secret or private key), so values
   * outlive a key rotation while the old key is listed. Required for a verify-only manager with `useCookie`
   * (it holds no secret to derive one from), and then the same on the service that issues the cookies.
   */
  csrfSecret?: string | Buffer;
  /**
   * `'at+jwt'`: the JWT access-token profile (RFC 9068). Access tokens this manager issues carry
   * `typ: at+jwt` in their header (refresh tokens never do), and an access token without it is refused
   * (401 `token_type_invalid`), so an ID token or any other JWT of the same issuer and audience cannot pass
   * as one. With `issuers`, set it per issuer instead. Default: off (any `typ` of a JWT is taken).
   */
  accessTokenType?: 'at+jwt';
  /**
   * DPoP (RFC 9449): tokens bound to a key the client holds, so a copied token is useless without it.
   * `'allowed'`: `Authorization: DPoP <token>` with a `DPoP` proof works beside bearer tokens, and
   * `createTokens({ ..., dpop: await manager.dpopKey(req) })` issues bound tokens; `'required'`: every
   * token must be bound. An object sets the proof checks too (`DpopOptions`). A bound token is
   * never taken as a bearer token, DPoP on or off. Default: off.
   */
  dpop?: 'allowed' | 'required' | DpopOptions;
  /**
   * Every routing-controllers route needs a login unless its class or method has `@Public()`, so a
   * controller one forgets to decorate is not open to everyone. `@LoggedIn()` and `@User()` still add
   * their requirements (scopes, `fresh`, `maxAge`, `acr`); `@Public()` on a class leaves a method's
   * `@LoggedIn()` in force. Routes outside routing-controllers are not concerned (`requireLogin()`).
   * Default `false`.
   */
  loggedInByDefault?: boolean;
}
