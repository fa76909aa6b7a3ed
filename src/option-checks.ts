import { isClassSyntax, isLoaderClass, type UserLoaderOption } from './decorators/user-loader';
import { LoginConfigurationError } from './errors';
import { COOKIE_NAME } from './extraction/cookie';
import type { Clock, ErrorClass, ErrorFactory } from './options';
import type { LoginLogger } from './revocation/guarded-store';
import { MemoryRevocationStore } from './revocation/memory-store';
import type { RevocationStore } from './revocation/store';
import { checkCookieOptions, type SessionCookieOptions } from './session-cookies';
import { isScopeToken } from './token/claims';
import { DURATION_HINT, durationSeconds } from './token/duration';
import { ALGORITHMS, type Algorithm, isAlgorithm, type Secret } from './token/keys';

/** One check per option: each returns the value to use or throws a LoginConfigurationError with the fix. */

export const fail = (message: string): never => {
  throw new LoginConfigurationError(message);
};

/** The options without which nothing works: key, token URL, algorithm, where tokens come from. */
export function essentials(options: {
  secret?: unknown;
  tokenUrl?: unknown;
  algorithm?: unknown;
  useHeader?: unknown;
  useCookie?: unknown;
}): { secret: Secret; tokenUrl: string; algorithm: Algorithm; useHeader: boolean; useCookie: boolean } {
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
    secret: secret as Secret,
    tokenUrl: tokenUrl as string,
    algorithm: algorithm as Algorithm,
    useHeader: useHeader as boolean,
    useCookie: useCookie as boolean,
  };
}
export function cookieName(name: unknown = 'access-token'): string {
  if (typeof name !== 'string' || !COOKIE_NAME.test(name)) {
    fail(`\`cookieName\` ${JSON.stringify(name)} is not a valid cookie name (letters, digits and !#$%&'*+-.^_\`|~).`);
  }
  return name as string;
}

/** Seconds, or `undefined` when the option is not given. */
export function duration(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  return durationSeconds(value) ?? fail(`\`${name}\` ${JSON.stringify(value)} is not ${DURATION_HINT}.`);
}

export function flag(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  return typeof value === 'boolean' ? value : fail(`\`${name}\` is true or false.`);
}

export function revocationStore(store: unknown, clock: Clock): RevocationStore {
  if (store === undefined) return new MemoryRevocationStore({ clock });
  const methods = ['add', 'has', 'setCutoff', 'cutoff'];
  if (
    typeof store !== 'object' ||
    store === null ||
    !methods.every((m) => typeof (store as Record<string, unknown>)[m] === 'function')
  ) {
    fail(
      '`revocationStore` needs add, has, setCutoff and cutoff methods: use MemoryRevocationStore or RedisRevocationStore.',
    );
  }
  return store as RevocationStore;
}

export function storeTimeout(value: unknown = 1000): number {
  if (typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= 60_000) return value;
  return fail('`storeTimeout` is a whole number of milliseconds between 1 and 60000.');
}

export function cookieOptions(value: unknown = {}): SessionCookieOptions {
  if (typeof value !== 'object' || value === null) fail('`cookieOptions` is an object like { secure: true }.');
  try {
    checkCookieOptions(value as SessionCookieOptions);
  } catch (error) {
    fail(`\`cookieOptions\`: ${(error as Error).message.replace(/^setCookie: /, '')}`);
  }
  return { ...(value as SessionCookieOptions) };
}

export function logger(value: unknown = console): LoginLogger {
  const ok =
    typeof value === 'object' &&
    value !== null &&
    ['error', 'warn'].every((m) => typeof (value as Record<string, unknown>)[m] === 'function');
  return ok ? (value as LoginLogger) : fail('`logger` needs error and warn methods, like console.');
}

/** Turns a class or a factory into a factory, trying it once so a bad one fails now, not per request. */
export function errorFactory(option: unknown, name: string): ErrorFactory | undefined {
  if (option === undefined) return undefined;
  if (typeof option !== 'function') fail(`\`${name}\` is an Error subclass or a function returning an Error.`);
  const isClass = option === Error || (option as () => unknown).prototype instanceof Error || isClassSyntax(option);
  const factory: ErrorFactory = isClass ? () => new (option as ErrorClass)() : (option as ErrorFactory);
  if (!(factory() instanceof Error)) {
    fail(`\`${name}\` must give an Error: extend Error (class X extends Error {}) or return new X().`);
  }
  return factory;
}

export function userLoader<TUser>(option: UserLoaderOption<TUser> | undefined): UserLoaderOption<TUser> | undefined {
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

export function scopeDescriptions(scopes: unknown = {}): Record<string, string> {
  if (typeof scopes !== 'object' || scopes === null || Array.isArray(scopes)) {
    fail("`scopes` maps scope names to descriptions, e.g. { 'items:read': 'Read items' }.");
  }
  for (const [scope, description] of Object.entries(scopes as object)) {
    if (!isScopeToken(scope)) fail(`scope ${JSON.stringify(scope)} may not contain spaces, quotes or backslashes.`);
    if (typeof description !== 'string') fail(`the description of scope ${scope} is not a string.`);
  }
  return { ...(scopes as Record<string, string>) };
}

export function clock(value: unknown = Date.now): Clock {
  return typeof value === 'function'
    ? (value as Clock)
    : fail('`clock` is a function returning milliseconds, like Date.now.');
}
