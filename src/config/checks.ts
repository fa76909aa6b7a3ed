import { isClassSyntax, isLoaderClass, type UserLoaderOption } from '../decorators/user-loader';
import { COOKIE_NAME } from '../http/extraction/cookie';
import { checkCookieOptions, type SessionCookieOptions } from '../http/session-cookies';
import { type JsonWebKeySet, type KeyConfig, type KeyRing, keyRingOf, singleKeyRing } from '../keys/key-ring';
import { ALGORITHMS, type Algorithm, isAlgorithm, type Secret } from '../keys/material';
import type { LoginLogger } from '../revocation/guarded-store';
import { MemoryRevocationStore } from '../revocation/memory-store';
import type { RevocationStore } from '../revocation/store';
import { DURATION_HINT, durationSeconds } from '../shared/duration';
import { LoginConfigurationError } from '../shared/errors';
import { isScopeToken } from '../token/claims';
import type { Clock, ErrorClass, ErrorFactory } from './options';

/** One check per option: each returns the value to use or throws a LoginConfigurationError with the fix. */

export const fail = (message: string): never => {
  throw new LoginConfigurationError(message);
};

/** Where tokens come from, and where clients get them. */
export function essentials(options: { tokenUrl?: unknown; useHeader?: unknown; useCookie?: unknown }): {
  tokenUrl: string;
  useHeader: boolean;
  useCookie: boolean;
} {
  const { tokenUrl, useHeader = true, useCookie = false } = options;
  if (typeof tokenUrl !== 'string' || tokenUrl === '') fail("`tokenUrl` is required, e.g. '/auth/token'.");
  if (typeof useHeader !== 'boolean' || typeof useCookie !== 'boolean') {
    fail('`useHeader` and `useCookie` are booleans.');
  }
  if (!useHeader && !useCookie) fail('`useHeader` and `useCookie` are both false: set one of them to true.');
  return { tokenUrl: tokenUrl as string, useHeader: useHeader as boolean, useCookie: useCookie as boolean };
}

/** The key ring: from `secret` + `algorithm`, or from `keys` (a list, or a JWK Set for a verify-only manager). */
export function keys(options: { secret?: unknown; algorithm?: unknown; keys?: unknown }): KeyRing {
  const { secret, algorithm, keys: list } = options;
  if (list !== undefined) {
    if (secret !== undefined || algorithm !== undefined) {
      fail('give `secret` (with `algorithm`) or `keys` (each with its own algorithm), not both.');
    }
    return keyRingOf(list as KeyConfig[] | JsonWebKeySet);
  }
  if (secret === undefined || secret === null || secret === '') {
    fail('`secret` is required (is the environment variable you read it from set?), or give `keys`.');
  }
  if (algorithm !== undefined && !isAlgorithm(algorithm)) {
    fail(`\`algorithm\` ${JSON.stringify(algorithm)} is not allowed; use one of ${ALGORITHMS.join(', ')}.`);
  }
  return singleKeyRing(secret as Secret, (algorithm ?? 'HS256') as Algorithm);
}

export function issuer(value: unknown): string | undefined {
  if (value === undefined || (typeof value === 'string' && value !== '')) return value;
  return fail('`issuer` is a non-empty string, e.g. https://auth.example.com.');
}

/** The audiences tokens may name (the first one is written into new tokens), or `undefined`. */
export function audience(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const list = typeof value === 'string' ? [value] : value;
  if (Array.isArray(list) && list.length > 0 && list.every((entry) => typeof entry === 'string' && entry !== '')) {
    return [...list];
  }
  return fail('`audience` is a non-empty string or a non-empty array of them.');
}

export function clockTolerance(value: unknown = 0): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 300) return value;
  return fail('`clockTolerance` is a number of seconds from 0 to 300: more would keep expired tokens alive.');
}

const CLAIM_NAME = /^[A-Za-z0-9_.:-]+$/;

export function requiredClaims(value: unknown = []): string[] {
  if (Array.isArray(value) && value.every((name) => typeof name === 'string' && CLAIM_NAME.test(name))) {
    return [...value];
  }
  return fail('`requiredClaims` is an array of claim names (letters, digits, _ . : -).');
}

export function maxTokenLength(value: unknown = 8192): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 256 && value <= 1_048_576) return value;
  return fail('`maxTokenLength` is a whole number of bytes from 256 to 1048576.');
}

export function callback<T>(name: string, value: unknown): T | undefined {
  if (value === undefined || typeof value === 'function') return value as T | undefined;
  return fail(`\`${name}\` is a function.`);
}

/** A cookie name (RFC 6265 token); `option` names the option in the message. */
export function cookieName(name: unknown = 'access-token', option = 'cookieName'): string {
  if (typeof name !== 'string' || !COOKIE_NAME.test(name)) {
    fail(`\`${option}\` ${JSON.stringify(name)} is not a valid cookie name (letters, digits and !#$%&'*+-.^_\`|~).`);
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
  if (typeof option !== 'function') {
    fail('`userLoader` is a function (sub, payload) => user, or a class with a @UserLoader() method.');
  }
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

/** Runs a check, putting `where` (e.g. `LoginThrottle: ` or an `issuers` entry) in front of its message. */
export function prefixed<T>(where: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof LoginConfigurationError)) throw error;
    throw new LoginConfigurationError(`${where}${error.message.replace(/^routing-controllers-login: /, '')}`);
  }
}
