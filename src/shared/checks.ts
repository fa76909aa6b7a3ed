import type { Clock } from './clock';
import { DURATION_HINT, durationSeconds } from './duration';
import { LoginConfigurationError } from './errors';
import type { LoginLogger } from './logger';

/**
 * Option checks every part uses: each returns the value to use or throws a
 * `LoginConfigurationError` with the fix. A part's own options are checked in its folder.
 */

export const fail = (message: string): never => {
  throw new LoginConfigurationError(message);
};

export function flag(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  return typeof value === 'boolean' ? value : fail(`\`${name}\` is true or false.`);
}

/** Seconds, or `undefined` when the option is not given. */
export function duration(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  return durationSeconds(value) ?? fail(`\`${name}\` ${JSON.stringify(value)} is not ${DURATION_HINT}.`);
}

export function callback<T>(name: string, value: unknown): T | undefined {
  if (value === undefined || typeof value === 'function') return value as T | undefined;
  return fail(`\`${name}\` is a function.`);
}

export function clock(value: unknown = Date.now): Clock {
  return typeof value === 'function'
    ? (value as Clock)
    : fail('`clock` is a function returning milliseconds, like Date.now.');
}

export function logger(value: unknown = console): LoginLogger {
  const ok =
    typeof value === 'object' &&
    value !== null &&
    ['error', 'warn'].every((m) => typeof (value as Record<string, unknown>)[m] === 'function');
  return ok ? (value as LoginLogger) : fail('`logger` needs error and warn methods, like console.');
}

/** Milliseconds to wait for a store (revocation, throttle) before failing closed. */
export function storeTimeout(value: unknown = 1000): number {
  if (typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= 60_000) return value;
  return fail('`storeTimeout` is a whole number of milliseconds between 1 and 60000.');
}

export function issuer(value: unknown): string | undefined {
  if (value === undefined || (typeof value === 'string' && value !== '')) return value;
  return fail('`issuer` is a non-empty string, e.g. https://auth.example.com.');
}

/** `accessTokenType`: `'at+jwt'` (RFC 9068 §2.1), or `undefined` when not given. */
export function accessTokenType(value: unknown): 'at+jwt' | undefined {
  if (value === undefined || value === 'at+jwt') return value;
  return fail(
    `\`accessTokenType\` ${JSON.stringify(value)} is not one this library knows: give 'at+jwt' (RFC 9068), or leave it out.`,
  );
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

/** Runs a check, putting `where` (e.g. `LoginThrottle: ` or an `issuers` entry) in front of its message. */
export function prefixed<T>(where: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof LoginConfigurationError)) throw error;
    throw new LoginConfigurationError(`${where}${error.message.replace(/^routing-controllers-login: /, '')}`);
  }
}
