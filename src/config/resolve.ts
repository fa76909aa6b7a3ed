import type { UserLoaderOption } from '../decorators/user-loader';
import type { SessionCookieOptions } from '../http/session-cookies';
import type { KeyRing } from '../keys/key-ring';
import { keySetup } from '../keys/options';
import type { TrustedIssuer } from '../keys/source';
import { refreshCookieName } from '../remember/options';
import type { LoginLogger } from '../revocation/guarded-store';
import { rotationOption } from '../revocation/rotation';
import type { RevocationStore } from '../revocation/store';
import { tokenCacheSize } from '../token/verified-cache';
import * as check from './checks';
import type { AuthFailureHook, Clock, ErrorFactory, LoginOptions } from './options';

/** Options after defaults and validation; what the manager runs on. */
export interface ResolvedOptions<TUser> {
  /** The keys this manager signs with and publishes (empty for a manager that fetches its keys). */
  keys: KeyRing;
  /** The issuers whose tokens verify, with their keys. */
  trust: TrustedIssuer[];
  /** Seconds; verify-only managers only. */
  maxTokenLifetime: number | undefined;
  tokenUrl: string;
  useHeader: boolean;
  useCookie: boolean;
  cookieName: string;
  defaultExpiry: number;
  notAuthenticatedError: ErrorFactory | undefined;
  outOfScopeError: ErrorFactory | undefined;
  userLoader: UserLoaderOption<TUser> | undefined;
  scopes: Readonly<Record<string, string>>;
  clock: Clock;
  refreshExpiry: number;
  revocationStore: RevocationStore;
  storeTimeout: number;
  csrf: boolean;
  refreshCookieWithin: number | undefined;
  cookieOptions: SessionCookieOptions;
  logger: LoginLogger;
  issuer: string | undefined;
  audience: string[] | undefined;
  clockTolerance: number;
  maxAge: number | undefined;
  requiredClaims: string[];
  maxTokenLength: number;
  exposeErrorDescriptions: boolean;
  onAuthFailure: AuthFailureHook | undefined;
  rotateRefreshTokens: boolean;
  noStore: boolean;
  tokenCacheSize: number;
  refreshCookieName: string;
}

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
  clockTolerance: true,
  maxAge: true,
  requiredClaims: true,
  maxTokenLength: true,
  exposeErrorDescriptions: true,
  onAuthFailure: true,
  jwksUri: true,
  discovery: true,
  algorithms: true,
  issuers: true,
  remoteKeys: true,
  maxTokenLifetime: true,
  rotateRefreshTokens: true,
  noStore: true,
  tokenCacheSize: true,
  refreshCookieName: true,
};
const KNOWN_OPTIONS: ReadonlySet<string> = new Set(Object.keys(KNOWN));

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
  const revocationStore = check.revocationStore(options.revocationStore, clock);
  const cookieName = check.cookieName(options.cookieName);
  return {
    ...check.essentials(options),
    ...keySetup(options, { clock, logger, issuer, audience }),
    cookieName,
    defaultExpiry: check.duration('defaultExpiry', options.defaultExpiry) ?? 15 * 60,
    notAuthenticatedError: check.errorFactory(options.notAuthenticatedError, 'notAuthenticatedError'),
    outOfScopeError: check.errorFactory(options.outOfScopeError, 'outOfScopeError'),
    userLoader: check.userLoader(options.userLoader),
    scopes: check.scopeDescriptions(options.scopes),
    clock,
    refreshExpiry: check.duration('refreshExpiry', options.refreshExpiry) ?? 30 * 86_400,
    revocationStore,
    storeTimeout: check.storeTimeout(options.storeTimeout),
    csrf: check.flag('csrf', options.csrf, true),
    refreshCookieWithin: check.duration('refreshCookieWithin', options.refreshCookieWithin),
    cookieOptions: check.cookieOptions(options.cookieOptions),
    logger,
    issuer,
    audience,
    clockTolerance: check.clockTolerance(options.clockTolerance),
    maxAge: check.duration('maxAge', options.maxAge),
    requiredClaims: check.requiredClaims(options.requiredClaims),
    maxTokenLength: check.maxTokenLength(options.maxTokenLength),
    exposeErrorDescriptions: check.flag('exposeErrorDescriptions', options.exposeErrorDescriptions, false),
    onAuthFailure: check.callback<AuthFailureHook>('onAuthFailure', options.onAuthFailure),
    rotateRefreshTokens: rotationOption(options.rotateRefreshTokens, revocationStore),
    noStore: check.flag('noStore', options.noStore, true),
    tokenCacheSize: tokenCacheSize(options.tokenCacheSize),
    refreshCookieName: refreshCookieName(options.refreshCookieName, cookieName),
  };
}
