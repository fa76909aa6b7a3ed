import type { AuthFailureHook, ResolvedOptions } from '../core/settings';
import { dpopSetup } from '../dpop/options';
import * as http from '../http/options';
import { type KeySetup, keySetup } from '../keys/options';
import { refreshCookieName } from '../remember/options';
import * as revocation from '../revocation/options';
import * as check from '../shared/checks';
import type { Clock } from '../shared/clock';
import * as token from '../token/options';
import { tokenCacheSize } from '../token/verified-cache';
import * as manager from './checks';
import type { LoginOptions } from './options';

/**
 * Every option name: a `Record` over `keyof LoginOptions`, so an option added to the interface
 * and forgotten here (or listed here and not there) does not compile.
 */
const KNOWN: Record<keyof LoginOptions<unknown>, true> = {
  secret: true,
  tokenUrl: true,
  algorithm: true,
  useHeader: true,
  useCookie: true,
  cookieName: true,
  defaultExpiry: true,
  notAuthenticatedError: true,
  outOfScopeError: true,
  userLoader: true,
  scopes: true,
  clock: true,
  refreshExpiry: true,
  revocationStore: true,
  storeTimeout: true,
  csrf: true,
  refreshCookieWithin: true,
  cookieOptions: true,
  logger: true,
  keys: true,
  issuer: true,
  audience: true,
  anyAudience: true,
  clockTolerance: true,
  maxAge: true,
  requiredClaims: true,
  maxTokenLength: true,
  exposeErrorDescriptions: true,
  onAuthFailure: true,
  loginPage: true,
  jwksUri: true,
  discovery: true,
  algorithms: true,
  issuers: true,
  remoteKeys: true,
  maxTokenLifetime: true,
  rotateRefreshTokens: true,
  refreshGrace: true,
  maxSessions: true,
  noStore: true,
  tokenCacheSize: true,
  refreshCookieName: true,
  csrfCookieName: true,
  csrfSecret: true,
  accessTokenType: true,
  dpop: true,
  loggedInByDefault: true,
};
const KNOWN_OPTIONS: ReadonlySet<string> = new Set(Object.keys(KNOWN));

/**
 * Makes assigning any option to a manager after construction (`manager.notAuthenticatedError = X`,
 * as fastapi-login allows) throw the fix, instead of the engine's "object is not extensible":
 * options are read once, by the constructor. One accessor per option name on `prototype`;
 * reading keeps what it read before (the `tokenUrl` and `scopes` getters, the `userLoader` method).
 */
export function refuseLateOptions(prototype: object, className: string): void {
  for (const name of KNOWN_OPTIONS) {
    const before = Object.getOwnPropertyDescriptor(prototype, name);
    const value: unknown = before?.value;
    Object.defineProperty(prototype, name, {
      configurable: true,
      enumerable: false,
      get: before?.get ?? (before ? () => value : undefined),
      set() {
        throw new TypeError(
          `routing-controllers-login: options are read once, when the ${className} is built: ` +
            `pass \`${name}\` to new ${className}({ ..., ${name} }) instead of assigning it afterwards.`,
        );
      },
    });
  }
}

/** Applies defaults and refuses, with the fix in the message, anything that cannot work. */
export function resolveOptions<TUser>(options: LoginOptions<TUser>): ResolvedOptions<TUser> {
  if (typeof options !== 'object' || options === null) check.fail('new LoginManager() takes an options object.');
  const unknown = Object.keys(options).filter((key) => !KNOWN_OPTIONS.has(key));
  if (unknown.length) {
    check.fail(`unknown option(s) ${unknown.join(', ')}; the options are ${[...KNOWN_OPTIONS].join(', ')}.`);
  }
  const clock = check.clock(options.clock);
  const logger = check.logger(options.logger);
  const issuer = check.issuer(options.issuer);
  const audience = check.audience(options.audience);
  const accessTokenType = check.accessTokenType(options.accessTokenType);
  const keys = keySetup(options, { clock, logger, issuer, audience, accessTokenType });
  const resolved: ResolvedOptions<TUser> = {
    ...manager.essentials(options),
    ...keys,
    ...verification(options),
    ...cookies(options, keys),
    ...failures(options),
    ...store(options, clock),
    userLoader: manager.userLoader(options.userLoader),
    scopes: manager.scopeDescriptions(options.scopes),
    clock,
    logger,
    issuer,
    audience,
    accessTokenType,
    noStore: check.flag('noStore', options.noStore, true),
    loggedInByDefault: check.flag('loggedInByDefault', options.loggedInByDefault, false),
    dpop: undefined,
  };
  resolved.dpop = dpopSetup(options.dpop, {
    leeway: resolved.clockTolerance,
    replay: resolved.revocationStore,
    useHeader: resolved.useHeader,
    useCookie: resolved.useCookie,
  });
  manager.warnOfRisks(resolved);
  return resolved;
}

/** Lifetimes and the claim checks of verification. */
function verification(options: LoginOptions<unknown>) {
  return {
    defaultExpiry: check.duration('defaultExpiry', options.defaultExpiry) ?? 15 * 60,
    refreshExpiry: check.duration('refreshExpiry', options.refreshExpiry) ?? 30 * 86_400,
    clockTolerance: token.clockTolerance(options.clockTolerance),
    maxAge: check.duration('maxAge', options.maxAge),
    requiredClaims: token.requiredClaims(options.requiredClaims),
    maxTokenLength: token.maxTokenLength(options.maxTokenLength),
    tokenCacheSize: tokenCacheSize(options.tokenCacheSize),
  };
}

/** The session cookies: names, attributes, CSRF (its values keyed by `csrfSecret` or the signing keys), sliding renewal. */
function cookies(options: LoginOptions<unknown>, { keys }: KeySetup) {
  const cookieName = http.cookieName(options.cookieName);
  const csrfCookie = http.csrfCookieName(options.csrfCookieName, cookieName);
  const refreshCookie = refreshCookieName(options.refreshCookieName, cookieName, csrfCookie);
  const csrf = check.flag('csrf', options.csrf, true);
  const useCookie = options.useCookie === true;
  const signKeys = keys.keys.map((key) => key.signKey);
  return {
    cookieName,
    refreshCookieName: refreshCookie,
    cookieOptions: http.cookieOptions(options.cookieOptions, [cookieName, refreshCookie, csrfCookie]),
    csrf,
    csrfValues: http.csrfValues(csrfCookie, options.csrfSecret, signKeys, useCookie && csrf),
    refreshCookieWithin: check.duration('refreshCookieWithin', options.refreshCookieWithin),
  };
}

/** What a refusal throws (or, for a browser, where it is sent) and who hears of it. */
function failures(options: LoginOptions<unknown>) {
  return {
    notAuthenticatedError: manager.errorFactory(options.notAuthenticatedError, 'notAuthenticatedError'),
    outOfScopeError: manager.errorFactory(options.outOfScopeError, 'outOfScopeError'),
    exposeErrorDescriptions: check.flag('exposeErrorDescriptions', options.exposeErrorDescriptions, false),
    onAuthFailure: check.callback<AuthFailureHook>('onAuthFailure', options.onAuthFailure),
    loginPage: http.loginPage(options.loginPage, options.useCookie === true),
  };
}

/** The revocation store, its time limit, rotation and logins. */
function store(options: LoginOptions<unknown>, clock: Clock) {
  return {
    revocationStore: revocation.revocationStore(options.revocationStore, clock),
    storeTimeout: check.storeTimeout(options.storeTimeout),
    rotateRefreshTokens: revocation.rotationOption(options.rotateRefreshTokens),
    refreshGrace: revocation.refreshGrace(options.refreshGrace),
    maxSessions: revocation.maxSessions(options.maxSessions),
  };
}
