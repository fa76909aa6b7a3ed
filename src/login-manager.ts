import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthorizationChecker, CurrentUserChecker } from 'routing-controllers';
import { Authenticator } from './authenticator';
import { authorizationCheckerFor, currentUserCheckerFor } from './checkers';
import type { UserLoaderFunction } from './decorators/user-loader';
import { type LoginOptions, resolveOptions } from './options';
import { type CookieOptions, writeCookie } from './set-cookie';
import { grantsScopes, type TokenPayload } from './token/claims';
import { type AccessTokenRequest, accessClaims } from './token/issue';
import { signToken } from './token/sign';

/** An express (or plain Node) middleware. */
export type LoginMiddleware = (
  request: IncomingMessage,
  response: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/**
 * Issues and verifies tokens and loads the user behind them. Register it as a typedi
 * service (`Container.set(LoginManager, manager)`) or hand it to `loginConfig`.
 */
export class LoginManager<TUser = unknown> {
  /** Where clients get a token. */
  readonly tokenUrl: string;
  /** Scope name → description, as configured. */
  readonly scopes: Readonly<Record<string, string>>;
  /** routing-controllers' `authorizationChecker`, bound to this manager. */
  readonly authorizationChecker: AuthorizationChecker;
  /** routing-controllers' `currentUserChecker`, bound to this manager. */
  readonly currentUserChecker: CurrentUserChecker;
  /** @internal */
  readonly auth: Authenticator<TUser>;

  /** Validates every option now: a bad one throws a `LoginConfigurationError` saying how to fix it. */
  constructor(options: LoginOptions<TUser>) {
    this.auth = new Authenticator(resolveOptions(options));
    this.tokenUrl = this.auth.options.tokenUrl;
    this.scopes = this.auth.options.scopes;
    this.authorizationChecker = authorizationCheckerFor(this.auth);
    this.currentUserChecker = currentUserCheckerFor(this.auth);
  }

  /** A signed access token for `data.sub`, expiring after `expiresIn` (default `defaultExpiry`). */
  createAccessToken(request: AccessTokenRequest): string {
    return signToken(accessClaims(request, this.auth.now(), this.auth.options.defaultExpiry), this.auth.key);
  }

  /** Verifies `token` and loads its user; any failure rejects with the not-authenticated error. */
  async getCurrentUser(token: string): Promise<TUser> {
    const payload = this.verifiedPayload(token);
    const user = await this.auth.load(payload);
    if (user === undefined) throw this.auth.notAuthenticated('user_not_found');
    return user;
  }

  /** True when the token grants every scope in `required`; throws the not-authenticated error for an invalid token. */
  hasScopes(token: string, required: string[]): boolean {
    return grantsScopes(this.verifiedPayload(token), required);
  }

  /** Sets the user loader; returns `loader` unchanged, so it can wrap a function definition. */
  userLoader<F extends UserLoaderFunction<TUser>>(loader: F): F {
    if (typeof loader !== 'function') throw new TypeError('userLoader() takes a function (sub, payload) => user.');
    this.auth.setLoader(loader);
    return loader;
  }

  /** Puts `token` in the HttpOnly cookie `cookieName` (Path=/, SameSite=Lax; a session cookie unless `maxAge`). */
  setCookie(response: ServerResponse, token: string, options?: CookieOptions): void {
    writeCookie(response, { name: this.auth.options.cookieName, value: token, httpOnly: true }, options);
  }

  /** Removes the cookie (logout). Pass the `path`/`domain` it was set with, if not the defaults. */
  clearCookie(response: ServerResponse, options?: Omit<CookieOptions, 'maxAge'>): void {
    writeCookie(response, { name: this.auth.options.cookieName, value: '', httpOnly: true }, { ...options, maxAge: 0 });
  }

  /**
   * A middleware that sets `req.user` to the logged-in user, or `null`. It never
   * rejects a request for lack of a login; loader exceptions go to `next(err)`.
   */
  middleware(): LoginMiddleware {
    return (request, _response, next) => {
      this.auth.loginFor(request).then((login) => {
        (request as IncomingMessage & { user: unknown }).user = login.user ?? null;
        next();
      }, next);
    };
  }

  private verifiedPayload(token: string): TokenPayload {
    if (typeof token !== 'string' || token === '') throw this.auth.notAuthenticated('token_missing');
    const checked = this.auth.verify(token);
    if (!checked.ok) throw this.auth.notAuthenticated(checked.code);
    return checked.value;
  }
}
