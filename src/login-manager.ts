import type { AuthorizationChecker, CurrentUserChecker } from 'routing-controllers';
import type { LoginOptions } from './config/options';
import { refuseLateOptions, resolveOptions } from './config/resolve';
import { Authenticator } from './core/authenticator';
import { authorizationCheckerFor, currentUserCheckerFor } from './core/checkers';
import { clearCookie, csrfValue, setCookie } from './core/cookies';
import { createAccessToken, createRefreshToken, createTokens } from './core/issuing';
import { guardMiddleware, type LoginMiddleware, userMiddleware } from './core/middleware';
import { currentUser, hasScopes } from './core/queries';
import { refreshAccess, refreshPair } from './core/refresh';
import { checkLoggedInOptions, type LoggedInOptions } from './core/requirements';
import { logout, revokeAllFor, revokeToken } from './core/revoke';
import { endSession, sessionsOf } from './core/sessions';
import { type IssuedTokens, type TokenResponse, tokenResponse } from './core/token-response';
import type { UserLoaderFunction } from './core/user-loader';
import { exchangeOf, type HttpExchange } from './frameworks';
import { nextPathOf } from './http/login-page';
import type { SessionCookieOptions } from './http/session-cookies';
import type { CookieOptions } from './http/set-cookie';
import type { JsonWebKeySet } from './keys/source';
import type { TokenPair } from './revocation/rotation';
import type { LoginSession } from './sessions/list';
import type { MaybePromise } from './shared/maybe-promise';
import type { TokenPayload } from './token/claims';
import type { TokenPairRequest } from './token/family';
import type { AccessTokenRequest, RefreshTokenRequest } from './token/issue';

/**
 * Issues and verifies tokens and loads the user behind them. Register it as a typedi service
 * (`Container.set(LoginManager, manager)`) or hand it to `loginConfig`. Frozen once constructed.
 */
export class LoginManager<TUser = unknown> {
  /** routing-controllers' `authorizationChecker`, bound to this manager. */
  readonly authorizationChecker: AuthorizationChecker;
  /** routing-controllers' `currentUserChecker`, bound to this manager. */
  readonly currentUserChecker: CurrentUserChecker;
  /** @internal */
  readonly auth: Authenticator<TUser>;

  static {
    refuseLateOptions(LoginManager.prototype, 'LoginManager');
  }

  /** Validates every option now: a bad one throws a `LoginConfigurationError` saying how to fix it. */
  constructor(options: LoginOptions<TUser>) {
    this.auth = new Authenticator(resolveOptions(options));
    Object.freeze(this.auth.options.scopes);
    this.authorizationChecker = authorizationCheckerFor(this.auth);
    this.currentUserChecker = currentUserCheckerFor(this.auth);
    // Options are read once: assigning one later throws (refuseLateOptions). A subclass freezes itself when done.
    if (new.target === LoginManager) Object.freeze(this);
  }

  /** Where clients get a token. */
  get tokenUrl(): string {
    return this.auth.options.tokenUrl;
  }

  /** Scope name → description, as configured (frozen). */
  get scopes(): Readonly<Record<string, string>> {
    return this.auth.options.scopes;
  }

  /** A signed access token for `data.sub`, expiring after `expiresIn` (default `defaultExpiry`). */
  createAccessToken(request: AccessTokenRequest): string {
    return createAccessToken(this.auth, request);
  }

  /** A refresh token: accepted only by `@LoggedIn({ refresh: true })` routes and `refreshAccessToken`. */
  createRefreshToken(request: RefreshTokenRequest): string {
    return createRefreshToken(this.auth, request);
  }

  /**
   * A login's tokens in one new family (access, `fresh` if asked, and refresh, each with its default lifetime), recorded
   * in the store, listed by `sessions` with its `label`; `dpop: req` binds both to its checked DPoP proof's key.
   */
  createTokens(request: TokenPairRequest): Promise<TokenPair> {
    return createTokens(this.auth, request);
  }

  /**
   * The token endpoint's JSON (RFC 6749 §5.1) for `createTokens`' result (or a promise of it, or an access token),
   * with `Cache-Control: no-store` and `Pragma: no-cache` on `response`: return it from the token route.
   */
  tokenResponse(tokens: IssuedTokens, response: HttpExchange): TokenResponse;
  tokenResponse(tokens: PromiseLike<IssuedTokens>, response: HttpExchange): Promise<TokenResponse>;
  tokenResponse(tokens: MaybePromise<IssuedTokens>, response: HttpExchange): MaybePromise<TokenResponse> {
    return tokenResponse(this.auth, tokens, response);
  }

  /**
   * A new access token (never fresh) from a refresh token (a string, or the request a refresh route authenticated: `req`,
   * a Koa `ctx`), with its `sub`, data and scopes. Does not rotate; a refresh token rotated away is refused here too.
   */
  refreshAccessToken(refreshToken: string | HttpExchange): Promise<string> {
    return refreshAccess(this.auth, refreshToken);
  }

  /**
   * New tokens from a refresh token (a string, or the request a refresh route authenticated). With rotation (on by
   * default) the one given is retired for a new one of the same login; a retired one presented again after
   * `refreshGrace` ends the login (`refresh_token_reused`). Without rotation, the refresh token given comes back.
   */
  refreshTokens(refreshToken: string | HttpExchange): Promise<TokenPair> {
    return refreshPair(this.auth, refreshToken);
  }

  /** Verifies `token`, checks it was not revoked, loads its user; any failure rejects with the not-authenticated error. */
  getCurrentUser(token: string, options: { refresh?: boolean } = {}): Promise<TUser> {
    return currentUser(this.auth, token, options);
  }

  /** Whether the access token grants every scope in `required`; an invalid one throws. Synchronous: no store lookup. */
  hasScopes(token: string, required: string[]): boolean {
    return hasScopes(this.auth, token, required);
  }

  /** Refuses `token` until it would have expired anyway, by its `jti` or digest (a payload needs a `jti`). */
  revoke(token: string | TokenPayload): Promise<void> {
    return revokeToken(this.auth, token);
  }

  /** Refuses every token of `sub` issued until now and ends every login ("log out everywhere"); later ones work. */
  revokeAllFor(sub: string): Promise<void> {
    return revokeAllFor(this.auth, sub);
  }

  /** The live logins of `sub` ("your devices"), newest first; with the request (`req`, `ctx`), its own is `current`. */
  sessions(sub: string, request?: HttpExchange): Promise<LoginSession[]> {
    return sessionsOf(this.auth, sub, request);
  }

  /** Ends login `id` of `sub` (from `sessions`): its tokens are refused on every instance. `false` for an id not listed. */
  endSession(sub: string, id: string): Promise<boolean> {
    return endSession(this.auth, sub, id);
  }

  /** Logs the request out: revokes its token (if valid), clears the cookies. Takes `req` and `res`, or a Koa `ctx`. */
  logout(request: HttpExchange, response?: HttpExchange): Promise<void> {
    return logout(this.auth, request, response);
  }

  /** The public keys as a JWK Set (RFC 7517), for `/.well-known/jwks.json`; never HMAC secrets (HS*: `{ keys: [] }`). */
  jwks(): JsonWebKeySet {
    return this.auth.options.keys.jwks();
  }

  /** Sets the loader; returns `loader` unchanged, so it can wrap a function definition. */
  userLoader<F extends UserLoaderFunction<TUser>>(loader: F): F {
    if (typeof loader !== 'function') throw new TypeError('userLoader() takes a function (sub, payload) => user.');
    this.auth.setLoader(loader);
    return loader;
  }

  /**
   * Puts `token` in the HttpOnly cookie `cookieName` (Path=/, SameSite=Lax; a session cookie unless `persistent` or
   * `maxAge`), and a CSRF value made for its login in the readable `csrfCookieName` cookie. `response` is express's
   * `res`, Node's, or a Koa `ctx` (or `ctx.response`).
   */
  setCookie(response: HttpExchange, token: string, options?: SessionCookieOptions): void {
    setCookie(this.auth, response, token, options);
  }

  /**
   * The CSRF value a page puts in its forms (hidden field `_csrf`): one made for the browser's login; before login the
   * CSRF cookie's, or a new one set as that cookie (for `@RequireCsrf()`). Takes `req` (its `res` is found) or a Koa `ctx`.
   */
  csrfValue(request: HttpExchange, response?: HttpExchange): string {
    return csrfValue(this.auth, request, response);
  }

  /** Removes the cookies (logout). Pass the `path`/`domain` they were set with, if not the defaults. */
  clearCookie(response: HttpExchange, options?: Omit<CookieOptions, 'maxAge'>): void {
    clearCookie(this.auth, response, options);
  }

  /** For the login route (`loginPage`): its `next` (query or form field) when a path of this site, else `fallback`. */
  nextPath(request: HttpExchange, fallback = '/'): string {
    return nextPathOf(exchangeOf(request, undefined, 'nextPath()'), fallback);
  }

  /**
   * A middleware that puts the logged-in user, or `null`, in `req.user` (express, Node) or `ctx.state.user` (Koa);
   * never refuses a request for lack of a login; loader exceptions and store outages go to `next(err)` (Koa: reject).
   */
  middleware(): LoginMiddleware {
    return userMiddleware(this.auth);
  }

  /**
   * A guard for routes outside routing-controllers (express, Node, Koa): 401 without a valid login, 403 without every
   * scope in `scopes`, 401 for a `fresh` or `maxAge` route's older login; the error (with its `WWW-Authenticate`
   * challenge) goes to `next(err)` (Koa: rejects). Sets the user as `middleware()` does.
   */
  requireLogin(options: LoggedInOptions = {}): LoginMiddleware {
    return guardMiddleware(this.auth, checkLoggedInOptions(options, 'requireLogin()'));
  }
}
