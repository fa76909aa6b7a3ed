import type { AuthorizationChecker, CurrentUserChecker } from 'routing-controllers';
import type { LoginOptions } from './config/options';
import { refuseLateOptions, resolveOptions } from './config/resolve';
import { Authenticator } from './core/authenticator';
import { authorizationCheckerFor, currentUserCheckerFor } from './core/checkers';
import { guardMiddleware, type LoginMiddleware, userMiddleware } from './core/middleware';
import { refreshAccess, refreshPair } from './core/refresh';
import { checkLoggedInOptions, type LoggedInOptions } from './core/requirements';
import { logoutExchange, revokeToken } from './core/revoke';
import type { UserLoaderFunction } from './core/user-loader';
import { exchangeOf, type HttpExchange, respondingExchangeOf } from './frameworks';
import { csrfValueFor } from './http/csrf';
import {
  clearSessionCookies,
  type SessionCookieOptions,
  writeCsrfCookie,
  writeSessionCookies,
} from './http/session-cookies';
import type { CookieOptions } from './http/set-cookie';
import type { JsonWebKeySet } from './keys/source';
import { writeRememberCookie } from './remember/remember';
import type { TokenPair } from './revocation/rotation';
import { grantsScopes, type TokenPayload } from './token/claims';
import { pairClaims, type TokenPairRequest } from './token/family';
import { type AccessTokenRequest, newClaims, type RefreshTokenRequest } from './token/issue';

/**
 * Issues and verifies tokens and loads the user behind them. Register it as a typedi
 * service (`Container.set(LoginManager, manager)`) or hand it to `loginConfig`.
 * Frozen once constructed: options cannot change afterwards (build a new manager).
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
    // Options are read once, here: assigning one afterwards would do nothing, so it throws
    // (an option's name says how: see refuseLateOptions). A subclass that adds fields freezes itself when done.
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
    const policy = this.auth.issuePolicy(this.auth.options.defaultExpiry);
    return this.auth.sign(newClaims('createAccessToken', request, 'access', policy), 'createAccessToken');
  }

  /** A refresh token: accepted only by `@LoggedIn({ refresh: true })` routes and `refreshAccessToken`. */
  createRefreshToken(request: RefreshTokenRequest): string {
    const policy = this.auth.issuePolicy(this.auth.options.refreshExpiry);
    return this.auth.sign(newClaims('createRefreshToken', request, 'refresh', policy), 'createRefreshToken');
  }

  /**
   * A login's tokens, in one new family: an access token (`fresh` if asked) and a refresh
   * token, each with its default lifetime. A reused refresh token later revokes both.
   */
  createTokens(request: TokenPairRequest): TokenPair {
    const { defaultExpiry, refreshExpiry } = this.auth.options;
    const claims = pairClaims(request, this.auth.issuePolicy(defaultExpiry), this.auth.issuePolicy(refreshExpiry));
    return {
      accessToken: this.auth.sign(claims.access, 'createTokens'),
      refreshToken: this.auth.sign(claims.refresh, 'createTokens'),
    };
  }

  /**
   * A new access token from a refresh token (a string, or the request a refresh route
   * authenticated: express's `req`, a Koa `ctx` or `ctx.request`), with its `sub`, data
   * and scopes. Never fresh. Does not rotate (see `refreshTokens`); a refresh token
   * already rotated away is refused here too.
   */
  refreshAccessToken(refreshToken: string | HttpExchange): Promise<string> {
    return refreshAccess(this.auth as Authenticator<unknown>, refreshToken);
  }

  /**
   * New tokens from a refresh token (a string, or the request a refresh route
   * authenticated). With rotation (`rotateRefreshTokens`, on by default) the refresh token
   * given is retired and a new one of the same login returned; presenting a retired one
   * again revokes every token of that login and rejects with `refresh_token_reused`, and of
   * concurrent uses of one refresh token exactly one succeeds. Without rotation, the
   * refresh token given comes back.
   */
  refreshTokens(refreshToken: string | HttpExchange): Promise<TokenPair> {
    return refreshPair(this.auth as Authenticator<unknown>, refreshToken);
  }

  /** Verifies `token`, checks it was not revoked, loads its user; any failure rejects with the not-authenticated error. */
  async getCurrentUser(token: string, options: { refresh?: boolean } = {}): Promise<TUser> {
    if (typeof token !== 'string' || token === '') throw this.auth.failures.login({ code: 'token_missing' });
    const login = await this.auth.login(token, options.refresh ? 'refresh' : 'access');
    if (!login.ok) throw this.auth.failures.login(login);
    return login.user;
  }

  /**
   * True when the access token grants every scope in `required`; throws the
   * not-authenticated error for an invalid token. Synchronous, so it does not consult
   * the revocation store: use it where the login was already checked.
   */
  hasScopes(token: string, required: string[]): boolean {
    return grantsScopes(this.verified(token), required);
  }

  /**
   * Refuses `token` from now until it would have expired anyway: by its `jti`, or for a
   * token without one by a digest of it. A payload (instead of the token) needs a `jti`.
   */
  revoke(token: string | TokenPayload): Promise<void> {
    return revokeToken(this.auth as Authenticator<unknown>, token);
  }

  /** Refuses every token of `sub` issued until now ("log out everywhere"); tokens issued later work. */
  async revokeAllFor(sub: string): Promise<void> {
    if (typeof sub !== 'string' || sub === '') throw new TypeError('revokeAllFor(): `sub` is a non-empty string.');
    const lifetime = this.auth.verifiedLifetime();
    if (lifetime === Number.POSITIVE_INFINITY) {
      throw new TypeError(
        'revokeAllFor(): this verify-only manager accepts tokens of any lifetime, so no cut-off could be forgotten; ' +
          'set `maxTokenLifetime` to the longest lifetime its tokens have.',
      );
    }
    const now = this.auth.options.clock();
    await this.auth.store.setCutoff(sub, now, now + lifetime * 1000);
  }

  /**
   * Logs the request out: revokes the token it carries (if valid; with or without `jti`)
   * and clears the cookies. Takes express's `req` and `res`, Node's, or a Koa `ctx`
   * (alone, or `ctx.request`/`ctx.response`).
   */
  logout(request: HttpExchange, response?: HttpExchange): Promise<void> {
    const { useCookie } = this.auth.options;
    const pick = useCookie ? respondingExchangeOf : exchangeOf;
    return logoutExchange(this.auth as Authenticator<unknown>, pick(request, response, 'logout()'));
  }

  /**
   * The public keys as a JWK Set (RFC 7517), for `/.well-known/jwks.json`: services
   * build a verify-only manager from it with `new LoginManager({ keys: jwks, tokenUrl })`.
   * HMAC secrets are never included, so an HS* manager publishes `{ keys: [] }`.
   */
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
   * Puts `token` in the HttpOnly cookie `cookieName` (Path=/, SameSite=Lax; a session
   * cookie unless `persistent` or `maxAge`), and its CSRF value in the readable `csrf-token` cookie.
   * `response` is express's `res`, Node's, or a Koa `ctx` (or `ctx.response`).
   */
  setCookie(response: HttpExchange, token: string, options?: SessionCookieOptions): void {
    const checked = this.auth.verify(token, 'access');
    if (!checked.ok) throw new TypeError(`setCookie(): not a valid access token of this manager (${checked.code}).`);
    const exchange = respondingExchangeOf(response, undefined, 'setCookie()');
    writeSessionCookies(exchange, token, checked.value, this.auth.now(), this.auth.cookies, options);
    const persistent = options?.persistent ?? this.auth.cookies.defaults.persistent;
    if (persistent) writeRememberCookie(this.auth as Authenticator<unknown>, exchange, checked.value, options ?? {});
  }

  /**
   * The CSRF value a page puts in its forms (`<input type="hidden" name="_csrf" value="...">`),
   * so they work without JavaScript: the readable `csrf-token` cookie's value (a logged-in
   * cookie session's), or before login a new value, set as that cookie on the response
   * (for `@RequireCsrf()` on the login form's POST). Takes express's `req` (its `res` is
   * found), Node's `req` and `res`, or a Koa `ctx`.
   */
  csrfValue(request: HttpExchange, response?: HttpExchange): string {
    const exchange = exchangeOf(request, response, 'csrfValue()');
    return csrfValueFor(exchange, (value) => {
      if (!exchange.res) throw new TypeError('csrfValue(): no response to set the csrf-token cookie on; pass `res`.');
      writeCsrfCookie(exchange, value, this.auth.cookies);
    });
  }

  /** Removes the cookies (logout). Pass the `path`/`domain` they were set with, if not the defaults. */
  clearCookie(response: HttpExchange, options?: Omit<CookieOptions, 'maxAge'>): void {
    const exchange = respondingExchangeOf(response, undefined, 'clearCookie()');
    clearSessionCookies(exchange, this.auth.cookies, options);
  }

  /**
   * A middleware that puts the logged-in user, or `null`, in `req.user` (express, Node) or
   * `ctx.state.user` (Koa: `app.use(manager.middleware())` works on both). It never
   * refuses a request for lack of a login; loader exceptions and store outages go to
   * `next(err)` (Koa: reject).
   */
  middleware(): LoginMiddleware {
    return userMiddleware(this.auth);
  }

  /**
   * A guard for routes outside routing-controllers (express, Node, Koa): 401 without a
   * valid login, 403 without every scope in `scopes`, 401 `fresh_login_required` for a
   * `fresh` route; the error (with its `WWW-Authenticate` challenge) goes to `next(err)`
   * (Koa: rejects), so the app's error handlers see it. Sets the user as `middleware()` does.
   */
  requireLogin(options: LoggedInOptions = {}): LoginMiddleware {
    return guardMiddleware(this.auth, checkLoggedInOptions(options, 'requireLogin()'));
  }

  private verified(token: string): TokenPayload {
    if (typeof token !== 'string' || token === '') throw this.auth.failures.login({ code: 'token_missing' });
    const checked = this.auth.verify(token, 'access');
    if (!checked.ok) throw this.auth.failures.login(checked);
    return checked.value;
  }
}
