import { isClassSyntax, isLoaderClass, type UserLoaderOption } from './decorators/user-loader';
import { LoginConfigurationError } from './errors';
import { COOKIE_NAME } from './extraction/cookie';
import { isScopeToken } from './token/claims';
import { DURATION_HINT, type Duration, durationSeconds } from './token/duration';
import { ALGORITHMS, type Algorithm, isAlgorithm, type Secret } from './token/keys';

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
]);

const fail = (message: string): never => {
  throw new LoginConfigurationError(message);
};

/** Applies defaults and refuses, with the fix in the message, anything that cannot work. */
export function resolveOptions<TUser>(options: LoginOptions<TUser>): ResolvedOptions<TUser> {
  if (typeof options !== 'object' || options === null) fail('new LoginManager() takes an options object.');
  const unknown = Object.keys(options).filter((key) => !KNOWN_OPTIONS.has(key));
  if (unknown.length)
    fail(`unknown option(s) ${unknown.join(', ')}; the options are ${[...KNOWN_OPTIONS].join(', ')}.`);
  const { secret, tokenUrl, algorithm = 'HS256', useHeader = true, useCookie = false } = options;
  if (secret === undefined || secret === null || secret === '') {
    fail('`secret` is required (is the environment variable you read it from set?).');
  }
  if (typeof tokenUrl !== 'string' || tokenUrl === '') fail("`tokenUrl` is required, e.g. '/auth/token'.");
  if (!isAlgorithm(algorithm)) {
    fail(`\`algorithm\` ${JSON.stringify(algorithm)} is not allowed; use one of ${ALGORITHMS.join(', ')}.`);
  }
  if (typeof useHeader !== 'boolean' || typeof useCookie !== 'boolean')
    fail('`useHeader` and `useCookie` are booleans.');
  if (!useHeader && !useCookie) fail('`useHeader` and `useCookie` are both false: set one of them to true.');
  return {
    secret,
    tokenUrl,
    algorithm,
    useHeader,
    useCookie,
    cookieName: cookieName(options.cookieName),
    defaultExpiry: expiry(options.defaultExpiry),
    notAuthenticatedError: errorFactory(options.notAuthenticatedError, 'notAuthenticatedError'),
    outOfScopeError: errorFactory(options.outOfScopeError, 'outOfScopeError'),
    userLoader: userLoader(options.userLoader),
    scopes: scopeDescriptions(options.scopes),
    clock: clock(options.clock),
  };
}

function cookieName(name: unknown = 'access-token'): string {
  if (typeof name !== 'string' || !COOKIE_NAME.test(name)) {
    fail(`\`cookieName\` ${JSON.stringify(name)} is not a valid cookie name (letters, digits and !#$%&'*+-.^_\`|~).`);
  }
  return name as string;
}

function expiry(value: unknown = 15 * 60): number {
  return durationSeconds(value) ?? fail(`\`defaultExpiry\` ${JSON.stringify(value)} is not ${DURATION_HINT}.`);
}

/** Turns a class or a factory into a factory, trying it once so a bad one fails now, not per request. */
function errorFactory(option: unknown, name: string): ErrorFactory | undefined {
  if (option === undefined) return undefined;
  if (typeof option !== 'function') fail(`\`${name}\` is an Error subclass or a function returning an Error.`);
  const isClass = option === Error || (option as () => unknown).prototype instanceof Error || isClassSyntax(option);
  const factory: ErrorFactory = isClass ? () => new (option as ErrorClass)() : (option as ErrorFactory);
  if (!(factory() instanceof Error)) {
    fail(`\`${name}\` must give an Error: extend Error (class X extends Error {}) or return new X().`);
  }
  return factory;
}

function userLoader<TUser>(option: UserLoaderOption<TUser> | undefined): UserLoaderOption<TUser> | undefined {
  if (option === undefined) return undefined;
  if (typeof option !== 'function')
    fail('`userLoader` is a function (sub, payload) => user, or a class with a @UserLoader() method.');
  if (isClassSyntax(option) && !isLoaderClass(option)) {
    fail(
      `\`userLoader\`: class ${(option as { name: string }).name} has no @UserLoader() method; decorate the method that loads users.`,
    );
  }
  return option;
}

function scopeDescriptions(scopes: unknown = {}): Record<string, string> {
  if (typeof scopes !== 'object' || scopes === null || Array.isArray(scopes)) {
    fail("`scopes` maps scope names to descriptions, e.g. { 'items:read': 'Read items' }.");
  }
  for (const [scope, description] of Object.entries(scopes as object)) {
    if (!isScopeToken(scope)) fail(`scope ${JSON.stringify(scope)} may not contain spaces, quotes or backslashes.`);
    if (typeof description !== 'string') fail(`the description of scope ${scope} is not a string.`);
  }
  return { ...(scopes as Record<string, string>) };
}

function clock(value: unknown = Date.now): Clock {
  return typeof value === 'function'
    ? (value as Clock)
    : fail('`clock` is a function returning milliseconds, like Date.now.');
}
