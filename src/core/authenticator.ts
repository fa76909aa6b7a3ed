import type { Exchange } from '../frameworks';
import { preventCaching } from '../http/cache-control';
import { csrfPasses, noteLoginCsrf } from '../http/csrf';
import { extractToken, type FoundToken } from '../http/extraction';
import { renewFromCookie } from '../remember/remember';
import { slideSession } from '../remember/sliding';
import { storeVerdict } from '../revocation/rotation';
import { revocationId } from '../revocation/token-id';
import { type Checked, type FailureReason, rejected } from '../shared/checked';
import { andThen, isThenable, type MaybePromise } from '../shared/maybe-promise';
import type { TokenPayload, TokenType } from '../token/claims';
import { settled } from '../token/verifier';
import { bindingRefusal } from './dpop';
import { LoaderGuard } from './loader-guard';
import { type Login, loginOf, MISSING } from './login';
import { type Parts, partsFor } from './parts';
import { loginSlots } from './request-state';
import type { ResolvedOptions } from './settings';
import { resolveUserLoader, type UserLoaderFunction } from './user-loader';

/**
 * The request-time core of a manager: the request path, stage by stage, from top to bottom.
 * Each stage hands its work to a part (`parts.ts` builds them); features such as remember-me,
 * sliding sessions and CSRF are steps it calls, never code that calls back into it.
 * Synchronous while every answer is (a cached token, an in-memory store, a synchronous
 * loader), a promise from the first one that is not. Not exported from the package.
 */
export class Authenticator<TUser> implements Parts {
  // The parts (`parts.ts`), assigned by the constructor.
  declare readonly verifier: Parts['verifier'];
  declare readonly minter: Parts['minter'];
  declare readonly store: Parts['store'];
  declare readonly cookies: Parts['cookies'];
  declare readonly failures: Parts['failures'];
  declare readonly rotation: Parts['rotation'];
  declare readonly remember: Parts['remember'];
  declare readonly vary: string;
  declare readonly dpop: Parts['dpop'];
  private loader: UserLoaderFunction<TUser> | undefined;
  private readonly loaderGuard: LoaderGuard;

  constructor(readonly options: ResolvedOptions<TUser>) {
    Object.assign(this, partsFor(options as ResolvedOptions<unknown>));
    this.loaderGuard = new LoaderGuard(options.logger);
    // A loader class is resolved now, so a bad one fails at construction;
    // the default (the program's one @UserLoader) waits until first use.
    if (options.userLoader !== undefined) this.loader = resolveUserLoader(options.userLoader);
  }

  setLoader(loader: UserLoaderFunction<TUser>): void {
    this.loader = loader;
  }

  /**
   * The request's login, worked out once per request and token type however many
   * decorators and middlewares ask (`request-state.ts`). A failure is remembered as a
   * rejected promise.
   */
  loginFor(exchange: Exchange, type: TokenType): MaybePromise<Login<TUser>> {
    const slots = loginSlots(exchange.req, this);
    let login = slots[type] as MaybePromise<Login<TUser>> | undefined;
    if (login === undefined) {
      try {
        login = this.authenticate(exchange, type);
      } catch (error) {
        login = Promise.reject(error);
      }
      slots[type] = login;
    }
    return login;
  }

  /** Stage 1, extract: the token of the cookie or the header; then log in with it, or renew from remember-me. */
  private authenticate(exchange: Exchange, type: TokenType): MaybePromise<Login<TUser>> {
    const found = extractToken(exchange.req, this.options);
    if (found === undefined) return this.afterLogin(MISSING, exchange, type, undefined);
    const csrf = found.source === 'cookie' && this.options.csrf ? exchange : undefined;
    const login = this.login(found.token, type, csrf, found.source === 'dpop' ? exchange : undefined);
    if (isThenable(login)) return Promise.resolve(login).then((first) => this.afterLogin(first, exchange, type, found));
    return this.afterLogin(login, exchange, type, found);
  }

  /** Remember me: no access cookie, or an expired one, and a refresh cookie to renew it from. */
  private afterLogin(
    first: Login<TUser>,
    exchange: Exchange,
    type: TokenType,
    found: FoundToken | undefined,
  ): MaybePromise<Login<TUser>> {
    const fromCookie = found?.source === 'cookie';
    const renew =
      !first.ok &&
      type === 'access' &&
      this.options.useCookie &&
      (!found || (fromCookie && first.code === 'token_expired'));
    if (!renew) return this.answered(first, exchange, type, fromCookie);
    return andThen(this.renewed(exchange), (renewed) => this.answered(renewed ?? first, exchange, type, fromCookie));
  }

  /** Remember-me: the login of the access token renewed from the refresh cookie, or `undefined` without one. */
  private renewed(exchange: Exchange): MaybePromise<Login<TUser> | undefined> {
    return andThen(renewFromCookie(this.remember, exchange), (renewal) => {
      if (renewal === undefined) return undefined;
      return 'token' in renewal ? this.login(renewal.token, 'access') : { ok: false, ...renewal };
    });
  }

  /**
   * Stage 2, verify: signature and claims (from the verified-token cache when it can). Only a
   * token whose key is being fetched waits, for that one shared fetch, then is checked once more.
   * `csrfExchange` is the exchange of a token that came from a cookie, whose writes need the CSRF value;
   * `dpopExchange` that of a token sent as `Authorization: DPoP`, whose proof is checked.
   */
  login(token: string, type: TokenType, csrfExchange?: Exchange, dpopExchange?: Exchange): MaybePromise<Login<TUser>> {
    const { verifier } = this;
    const checked = verifier.check(token, type);
    if (!checked.ok && checked.pending) {
      return checked.pending.then(() =>
        this.trusted(verifier.check(token, type), token, type, csrfExchange, dpopExchange),
      );
    }
    return this.trusted(checked, token, type, csrfExchange, dpopExchange);
  }

  /**
   * Stage 3, trust: the CSRF check of a cookie token, the DPoP binding (`./dpop.ts`: only for a bound
   * token or with DPoP on, so bearer tokens pay one check), then what the store knows.
   */
  private trusted(
    checked: Checked<TokenPayload>,
    token: string,
    type: TokenType,
    csrfExchange: Exchange | undefined,
    dpopExchange: Exchange | undefined,
  ): MaybePromise<Login<TUser>> {
    const verified = settled(checked);
    if (!verified.ok) return verified;
    const payload = verified.value;
    if (csrfExchange && !csrfPasses(csrfExchange, payload, this.cookies.csrfValues)) return rejected('csrf_failed');
    if (this.dpop === undefined && payload.cnf === undefined) return this.unrevoked(payload, token, type);
    const refusal = bindingRefusal(this.dpop, payload, token, dpopExchange, this.options.clock());
    return andThen(refusal, (refused) => (refused ? { ok: false, ...refused } : this.unrevoked(payload, token, type)));
  }

  /** Stage 3, the store: one lookup, with the token's login when it has one (revocation, its login, rotation). */
  private unrevoked(payload: TokenPayload, token: string, type: TokenType): MaybePromise<Login<TUser>> {
    const id = revocationId(token, payload);
    const refused = storeVerdict(this.rotation, payload, id, type);
    if (isThenable(refused)) return Promise.resolve(refused).then((reason) => this.stored(reason, payload, id));
    return this.stored(refused, payload, id);
  }

  private stored(refused: FailureReason | undefined, payload: TokenPayload, id: string): MaybePromise<Login<TUser>> {
    return refused ? { ok: false, ...refused } : this.userOf(payload, id);
  }

  /**
   * Stage 4, load the user. A loader exception rejects (an outage is not an anonymous user) as
   * a `UserLoaderError`, whose message says nothing of the original (see `LoaderGuard`).
   */
  private userOf(payload: TokenPayload, id: string): MaybePromise<Login<TUser>> {
    this.loader ??= resolveUserLoader<TUser>(undefined);
    const user = this.loaderGuard.load(this.loader, payload);
    if (isThenable(user)) return Promise.resolve(user).then((loaded) => loginOf(loaded, payload, id));
    return loginOf(user, payload, id);
  }

  /** Stage 5, answer: a login's effects on the response (the CSRF value noted, no caching, a sliding renewal). */
  private answered(login: Login<TUser>, exchange: Exchange, type: TokenType, fromCookie: boolean): Login<TUser> {
    if (!login.ok) return login;
    if (this.options.useCookie) noteLoginCsrf(exchange.req, login.payload);
    if (this.options.noStore && exchange.res) preventCaching(exchange.res, this.vary);
    // Only access tokens slide: a refresh token in the cookie is never swapped for an access token here.
    if (fromCookie && type === 'access') slideSession(this.remember, login.payload, exchange);
    return login;
  }
}
