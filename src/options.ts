import type { UserLoaderOption } from './decorators/user-loader';
import * as check from './option-checks';
import type { LoginLogger } from './revocation/guarded-store';
import type { RevocationStore } from './revocation/store';
import type { SessionCookieOptions } from './session-cookies';
import type { Duration } from './token/duration';
import type { Algorithm, Secret } from './token/keys';

/** An `Error` subclass constructed with no arguments, e.g. `class NotLoggedIn extends Error {}`. */
export type ErrorClass = new () => Error;
/** A function returning the error to throw, e.g. `() => new UnauthorizedError('Log in first')`. */
export type ErrorFactory = () => Error;

/** Milliseconds since the epoch, like `Date.now`. */
export type Clock = () => number;

/** Everything `new LoginManager(options)` takes. */
export interface LoginOptions<TUser = unknown> {
  /**
   * The signing key. HS*: a string or Buffer at least as long as the hash (32 bytes
   * for HS256). RS*, PS*, ES*: a PEM private key, a private `KeyObject`, or
   * `{ privateKey, passphrase }`; the public key is derived from it.
   */
  secret: Secret;
  /** Where clients get a token (for documentation and OpenAPI). */
  tokenUrl: string;
  /** The JWS algorithm; verification accepts this one only. Default `'HS256'`. */
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
  /** Require `X-CSRF-Token` on cookie-authenticated writes (POST, PUT, PATCH, DELETE). Default `true`. */
  csrf?: boolean;
  /** Sliding sessions: renew the cookie of a request whose token expires within this window. Default: off. */
  refreshCookieWithin?: Duration;
  /** Defaults for `setCookie`, `clearCookie` and sliding renewals. */
  cookieOptions?: SessionCookieOptions;
  /** Where a revocation store outage is reported (once, not per request). Default `console`. */
  logger?: LoginLogger;
}

/** Options after defaults and validation; what the manager runs on. */
export interface ResolvedOptions<TUser> {
  secret: Secret;
  tokenUrl: string;
  algorithm: Algorithm;
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
}

const KNOWN_OPTIONS = new Set<string>([
  'secret',
  'tokenUrl',
  'algorithm',
  'useHeader',
  'useCookie',
  'cookieName',
  'defaultExpiry',
  'notAuthenticatedError',
  'outOfScopeError',
  'userLoader',
  'scopes',
  'clock',
  'refreshExpiry',
  'revocationStore',
  'storeTimeout',
  'csrf',
  'refreshCookieWithin',
  'cookieOptions',
  'logger',
]);

/** Applies defaults and refuses, with the fix in the message, anything that cannot work. */
export function resolveOptions<TUser>(options: LoginOptions<TUser>): ResolvedOptions<TUser> {
  if (typeof options !== 'object' || options === null) check.fail('new LoginManager() takes an options object.');
  const unknown = Object.keys(options).filter((key) => !KNOWN_OPTIONS.has(key));
  if (unknown.length) {
    check.fail(`unknown option(s) ${unknown.join(', ')}; the options are ${[...KNOWN_OPTIONS].join(', ')}.`);
  }
  const clock = check.clock(options.clock);
  return {
    ...check.essentials(options),
    cookieName: check.cookieName(options.cookieName),
    defaultExpiry: check.duration('defaultExpiry', options.defaultExpiry) ?? 15 * 60,
    notAuthenticatedError: check.errorFactory(options.notAuthenticatedError, 'notAuthenticatedError'),
    outOfScopeError: check.errorFactory(options.outOfScopeError, 'outOfScopeError'),
    userLoader: check.userLoader(options.userLoader),
    scopes: check.scopeDescriptions(options.scopes),
    clock,
    refreshExpiry: check.duration('refreshExpiry', options.refreshExpiry) ?? 30 * 86_400,
    revocationStore: check.revocationStore(options.revocationStore, clock),
    storeTimeout: check.storeTimeout(options.storeTimeout),
    csrf: check.flag('csrf', options.csrf, true),
    refreshCookieWithin: check.duration('refreshCookieWithin', options.refreshCookieWithin),
    cookieOptions: check.cookieOptions(options.cookieOptions),
    logger: check.logger(options.logger),
  };
}
