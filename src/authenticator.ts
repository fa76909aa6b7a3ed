import type { IncomingMessage, ServerResponse } from 'node:http';
import { csrfPasses } from './csrf';
import { resolveUserLoader, type UserLoaderFunction } from './decorators/user-loader';
import type { LoginErrorCode } from './errors';
import { extractToken, type TokenSource } from './extraction';
import { type AppErrors, loginFailure, scopeFailure } from './failures';
import type { ResolvedOptions } from './options';
import { GuardedStore } from './revocation/guarded-store';
import { type SessionCookieConfig, writeSessionCookies } from './session-cookies';
import { type Checked, rejected, type TokenPayload, type TokenType, tokenType } from './token/claims';
import { type IssuePolicy, renewedClaims } from './token/issue';
import { loadSigningKey, type SigningKey } from './token/keys';
import { signToken } from './token/sign';
import { verifyToken } from './token/verify';

/** A verified, unrevoked token and its user, or why there is none. Loader exceptions and store outages reject instead. */
export type Login<TUser> =
  | { ok: true; user: TUser; payload: TokenPayload }
  | { ok: false; user?: undefined; code: LoginErrorCode };

/** A request's login, and where its token came from. */
export type RequestLogin<TUser> = Login<TUser> & { source?: TokenSource };

/**
 * The request-time core of a manager: verifies, checks revocation, loads, remembers
 * the result per request and builds the errors. Not exported from the package.
 */
export class Authenticator<TUser> {
  readonly key: SigningKey;
  readonly store: GuardedStore;
  readonly cookies: SessionCookieConfig;
  private readonly errors: AppErrors;
  private loader: UserLoaderFunction<TUser> | undefined;
  private readonly logins = {
    access: new WeakMap<IncomingMessage, Promise<RequestLogin<TUser>>>(),
    refresh: new WeakMap<IncomingMessage, Promise<RequestLogin<TUser>>>(),
  };

  constructor(readonly options: ResolvedOptions<TUser>) {
    this.key = loadSigningKey(options.secret, options.algorithm);
    this.store = new GuardedStore(options.revocationStore, options.storeTimeout, options.logger);
    this.cookies = {
      cookieName: options.cookieName,
      csrf: options.useCookie && options.csrf,
      defaults: options.cookieOptions,
    };
    this.errors = { notAuthenticated: options.notAuthenticatedError, outOfScope: options.outOfScopeError };
    // A loader class is resolved now, so a bad one fails at construction;
    // the default (the program's one @UserLoader) waits until first use.
    if (options.userLoader !== undefined) this.loader = resolveUserLoader(options.userLoader);
  }

  /** Seconds since the epoch, from the configured clock. */
  now(): number {
    return Math.floor(this.options.clock() / 1000);
  }

  issuePolicy(defaultLifetime: number): IssuePolicy {
    const { clock, defaultExpiry, refreshExpiry } = this.options;
    return {
      nowMs: clock(),
      defaultLifetime,
      maxLifetime: Math.max(defaultExpiry, refreshExpiry),
      csrf: this.cookies.csrf,
    };
  }

  setLoader(loader: UserLoaderFunction<TUser>): void {
    this.loader = loader;
  }

  /** Signature and claims, and that the token is of `type` (tokens without a type are access tokens). */
  verify(token: string, type: TokenType | undefined): Checked<TokenPayload> {
    const checked = verifyToken(token, { key: this.key, leeway: 0 }, this.now());
    if (checked.ok && type !== undefined && tokenType(checked.value) !== type) return rejected('token_type_invalid');
    return checked;
  }

  /** Verification, the CSRF check (given the request of a cookie token), revocation, the user. */
  async login(token: string, type: TokenType, csrfRequest?: IncomingMessage): Promise<Login<TUser>> {
    const checked = this.verify(token, type);
    if (!checked.ok) return { ok: false, code: checked.code };
    const payload = checked.value;
    if (csrfRequest && !csrfPasses(csrfRequest, payload)) return { ok: false, code: 'csrf_failed' };
    if (await this.store.isRevoked(payload)) return { ok: false, code: 'token_revoked' };
    this.loader ??= resolveUserLoader<TUser>(undefined);
    // The loader's own exceptions propagate: an outage is not an anonymous user.
    const user = (await this.loader(payload.sub, payload)) ?? undefined;
    return user === undefined ? { ok: false, code: 'user_not_found' } : { ok: true, user, payload };
  }

  /** The request's login, worked out once per request and token type however many decorators ask. */
  loginFor(
    request: IncomingMessage,
    response: ServerResponse | undefined,
    type: TokenType,
  ): Promise<RequestLogin<TUser>> {
    let login = this.logins[type].get(request);
    if (!login) {
      login = this.authenticate(request, response, type);
      this.logins[type].set(request, login);
    }
    return login;
  }

  private async authenticate(
    request: IncomingMessage,
    response: ServerResponse | undefined,
    type: TokenType,
  ): Promise<RequestLogin<TUser>> {
    const found = extractToken(request, this.options);
    if (!found) return { ok: false, code: 'token_missing' };
    const fromCookie = found.source === 'cookie';
    const login = await this.login(found.token, type, fromCookie && this.options.csrf ? request : undefined);
    if (login.ok && fromCookie && response) this.slide(login.payload, response);
    return { ...login, source: found.source };
  }

  /** Sliding sessions: a cookie token close to expiry is replaced by a new one (same csrf value, never fresh). */
  private slide(payload: TokenPayload, response: ServerResponse): void {
    const window = this.options.refreshCookieWithin;
    if (window === undefined || response.headersSent || payload.exp - this.now() > window) return;
    const lifetime = payload.exp - Math.floor(payload.iat ?? payload.exp - this.options.defaultExpiry);
    const claims = renewedClaims(payload, lifetime, this.issuePolicy(lifetime), true);
    writeSessionCookies(response, signToken(claims, this.key), claims as TokenPayload, this.now(), this.cookies);
  }

  failure(code: LoginErrorCode, response?: ServerResponse): Error {
    return loginFailure(code, this.errors, response);
  }

  outOfScope(scopes: readonly string[], response?: ServerResponse): Error {
    return scopeFailure(scopes, this.errors, response);
  }
}
