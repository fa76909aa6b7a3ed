import type { Exchange } from '../frameworks';
import { preventCaching, varyOf } from '../http/cache-control';
import { csrfPasses, noteLoginCsrf } from '../http/csrf';
import { extractToken } from '../http/extraction';
import type { SessionCookieConfig } from '../http/session-cookies';
import { renewFromCookie } from '../remember/remember';
import { slideSession } from '../remember/sliding';
import { GuardedStore } from '../revocation/guarded-store';
import { familyLookups, familyRefusal } from '../revocation/rotation';
import { revocationId } from '../revocation/token-id';
import { type Checked, type FailureReason, rejected } from '../shared/checked';
import { KeySourceUnavailableError, LoginConfigurationError } from '../shared/errors';
import type { MaybePromise } from '../shared/maybe-promise';
import { andThen } from '../shared/maybe-promise';
import { RequestMemo } from '../shared/request-memo';
import { type TokenPayload, type TokenType, tokenType } from '../token/claims';
import type { IssuePolicy } from '../token/issue';
import { signToken } from '../token/sign';
import type { VerifyPolicy } from '../token/trust';
import { verifyPolicyFor } from '../token/trust';
import { VerifiedTokens } from '../token/verified-cache';
import { Failures } from './failures';
import type { ResolvedOptions } from './settings';
import { resolveUserLoader, type UserLoaderFunction } from './user-loader';

/** A verified, unrevoked token and its user, or why there is none. Loader exceptions and store outages reject instead. */
export type Login<TUser> =
  | { ok: true; user: TUser; payload: TokenPayload; revocationId: string }
  | ({ ok: false; user?: undefined } & FailureReason);

/**
 * The request-time core of a manager: verifies, checks revocation, loads, remembers
 * the result per request, signs. Not exported from the package.
 */
export class Authenticator<TUser> {
  readonly store: GuardedStore;
  readonly cookies: SessionCookieConfig;
  readonly failures: Failures;
  private readonly policy: VerifyPolicy;
  private readonly vary: string;
  private readonly verified: VerifiedTokens;
  private loader: UserLoaderFunction<TUser> | undefined;
  private readonly logins = new RequestMemo<Record<TokenType, MaybePromise<Login<TUser>> | undefined>>();

  constructor(readonly options: ResolvedOptions<TUser>) {
    this.store = new GuardedStore(options.revocationStore, options.storeTimeout, options.logger);
    this.cookies = {
      cookieName: options.cookieName,
      refreshCookieName: options.refreshCookieName,
      csrf: options.useCookie && options.csrf,
      defaults: options.cookieOptions,
    };
    this.failures = new Failures(options);
    this.vary = varyOf(options);
    const { trust, clockTolerance: leeway, maxAge, requiredClaims, maxTokenLength } = options;
    const common = { leeway, maxLifetime: this.verifiedLifetime(), maxAge, requiredClaims };
    this.policy = verifyPolicyFor(trust, common, maxTokenLength);
    this.verified = new VerifiedTokens(options.tokenCacheSize, this.policy, options.clock);
    // A loader class is resolved now, so a bad one fails at construction;
    // the default (the program's one @UserLoader) waits until first use.
    if (options.userLoader !== undefined) this.loader = resolveUserLoader(options.userLoader);
  }

  /** Whole seconds since the epoch, from the configured clock. */
  now(): number {
    return Math.floor(this.options.clock() / 1000);
  }

  /** The longest lifetime of a token this manager issues. */
  maxLifetime(): number {
    return Math.max(this.options.defaultExpiry, this.options.refreshExpiry);
  }

  /**
   * The longest lifetime a verified token may have, so `revokeAllFor` cut-offs are kept this
   * long: what this manager issues, or for a verify-only manager `maxTokenLifetime` (no limit when unset).
   */
  verifiedLifetime(): number {
    if (this.options.keys.signer) return this.maxLifetime();
    return this.options.maxTokenLifetime ?? Number.POSITIVE_INFINITY;
  }

  /** Grows whenever the keys that verify tokens change (a remote JWK Set was refreshed with other keys). */
  keysVersion(): number {
    return this.policy.keys.version;
  }

  issuePolicy(defaultLifetime: number): IssuePolicy {
    const { clock, issuer, audience } = this.options;
    const csrf = this.cookies.csrf;
    return { nowMs: clock(), defaultLifetime, maxLifetime: this.maxLifetime(), csrf, issuer, audience: audience?.[0] };
  }

  /** Signs with the signing key; a verify-only manager (public keys only) cannot. */
  sign(claims: Record<string, unknown>, caller: string): string {
    const signer = this.options.keys.signer;
    if (!signer?.signKey) {
      throw new LoginConfigurationError(
        `${caller}: this manager holds public keys only (verify-only) and cannot sign; issue tokens where the private key is.`,
      );
    }
    return signToken(claims, { ...signer, signKey: signer.signKey });
  }

  setLoader(loader: UserLoaderFunction<TUser>): void {
    this.loader = loader;
  }

  /**
   * Signature and claims, and that the token is of `type` (tokens without a type are access
   * tokens), with the keys known now. Throws `KeySourceUnavailableError` when no key is.
   */
  verify(token: string, type: TokenType | undefined): Checked<TokenPayload> {
    return this.settled(this.check(token, type));
  }

  private check(token: string, type: TokenType | undefined): Checked<TokenPayload> {
    const checked = this.verified.verify(token, this.options.clock() / 1000);
    if (checked.ok && type !== undefined && tokenType(checked.value) !== type) return rejected('token_type_invalid');
    return checked;
  }

  /** A remote key source with no usable key fails closed: a 503, never an anonymous user. */
  private settled(checked: Checked<TokenPayload>): Checked<TokenPayload> {
    if (!checked.ok && checked.code === 'key_source_unavailable') throw new KeySourceUnavailableError();
    return checked;
  }

  /**
   * Verification, the CSRF check (given the exchange of a cookie token), revocation, the
   * user: synchronous while every answer is, a promise from the first one that is not.
   */
  login(token: string, type: TokenType, csrfExchange?: Exchange): MaybePromise<Login<TUser>> {
    const checked = this.check(token, type);
    // Only a token whose key is being fetched waits, for that one shared fetch, then is checked once more.
    if (!checked.ok && checked.pending) {
      return checked.pending.then(() => this.loginChecked(this.check(token, type), token, type, csrfExchange));
    }
    return this.loginChecked(checked, token, type, csrfExchange);
  }

  private loginChecked(
    checked: Checked<TokenPayload>,
    token: string,
    type: TokenType,
    csrfExchange: Exchange | undefined,
  ): MaybePromise<Login<TUser>> {
    const settled = this.settled(checked);
    if (!settled.ok) return settled;
    const payload = settled.value;
    if (csrfExchange && !csrfPasses(csrfExchange, payload)) return rejected('csrf_failed');
    // A token with a refresh-token family (or, with rotation, a refresh token) needs more lookups: side by side.
    const family = familyLookups(this, payload, type);
    const id = revocationId(token, payload);
    return andThen(this.store.isRevoked(payload, id), (revoked) => {
      if (revoked) return rejected('token_revoked');
      if (!family) return this.userOf(payload, id);
      return andThen(
        andThen(family, (facts) => familyRefusal(this, payload, facts)),
        (refused): MaybePromise<Login<TUser>> => (refused ? { ok: false, ...refused } : this.userOf(payload, id)),
      );
    });
  }

  /** The loader's own exceptions propagate: an outage is not an anonymous user. */
  private userOf(payload: TokenPayload, id: string): MaybePromise<Login<TUser>> {
    this.loader ??= resolveUserLoader<TUser>(undefined);
    return andThen(this.loader(payload.sub, payload), (user) =>
      user === undefined || user === null ? rejected('user_not_found') : { ok: true, user, payload, revocationId: id },
    );
  }

  /**
   * The request's login, worked out once per request and token type however many
   * decorators and middlewares ask: remembered on Node's request, the same object under
   * express and Koa. A failure is remembered as a rejected promise.
   */
  loginFor(exchange: Exchange, type: TokenType): MaybePromise<Login<TUser>> {
    let memo = this.logins.get(exchange.req);
    if (!memo) {
      memo = { access: undefined, refresh: undefined };
      this.logins.set(exchange.req, memo);
    }
    let login = memo[type];
    if (login === undefined) {
      try {
        login = this.authenticate(exchange, type);
      } catch (error) {
        login = Promise.reject(error);
      }
      memo[type] = login;
    }
    return login;
  }

  private authenticate(exchange: Exchange, type: TokenType): MaybePromise<Login<TUser>> {
    const found = extractToken(exchange.req, this.options);
    const fromCookie = found?.source === 'cookie';
    const login: MaybePromise<Login<TUser>> = found
      ? this.login(found.token, type, fromCookie && this.options.csrf ? exchange : undefined)
      : rejected('token_missing');
    return andThen(login, (first) => {
      // Remember me: no access cookie, or an expired one, and a refresh cookie to renew it from.
      const renew =
        !first.ok &&
        type === 'access' &&
        this.options.useCookie &&
        (!found || (fromCookie && first.code === 'token_expired'));
      if (!renew) return this.answered(first, exchange, type, fromCookie);
      return andThen(renewFromCookie(this, exchange), (renewed) =>
        this.answered(renewed ?? first, exchange, type, fromCookie),
      );
    });
  }

  /** A login's effects on the response: no caching, and the sliding renewal of an access cookie. */
  private answered(login: Login<TUser>, exchange: Exchange, type: TokenType, fromCookie: boolean): Login<TUser> {
    if (!login.ok) return login;
    if (this.options.useCookie) noteLoginCsrf(exchange.req, login.payload);
    if (this.options.noStore && exchange.res) preventCaching(exchange.res, this.vary);
    // Only access tokens slide: a refresh token in the cookie is never swapped for an access token here.
    if (fromCookie && type === 'access') slideSession(this as Authenticator<unknown>, login.payload, exchange);
    return login;
  }
}
