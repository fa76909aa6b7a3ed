import { fail, flag } from '../shared/checks';
import type { Clock } from '../shared/clock';
import { durationSeconds } from '../shared/duration';
import { MemoryRevocationStore } from './memory-store';
import type { RevocationStore } from './store';

/** Every method of `RevocationStore`. */
const METHODS = ['revoke', 'lookup', 'revokeAll', 'startSession', 'rotate', 'endSession', 'sessions'] as const;

/** `revocationStore`: a store with every method of `RevocationStore`; default a `MemoryRevocationStore` on `clock`. */
export function revocationStore(store: unknown, clock: Clock): RevocationStore {
  if (store === undefined) return new MemoryRevocationStore({ clock });
  const given = typeof store === 'object' && store !== null ? (store as Record<string, unknown>) : {};
  const missing = METHODS.filter((method) => typeof given[method] !== 'function');
  if (missing.length) {
    const old = typeof given.add === 'function' && typeof given.has === 'function';
    fail(
      `\`revocationStore\` lacks ${missing.join(', ')}: use MemoryRevocationStore or RedisRevocationStore, or ` +
        `implement every method of RevocationStore${old ? ' (add/has/cutoff/retire were replaced in 0.2: see the CHANGELOG)' : ''}.`,
    );
  }
  return store as RevocationStore;
}

/** `rotateRefreshTokens`: on by default. */
export function rotationOption(value: unknown): boolean {
  return flag('rotateRefreshTokens', value, true);
}

/** The longest `refreshGrace`: longer would leave a stolen refresh token a window worth having. */
const MAX_REFRESH_GRACE = 300;

/**
 * `refreshGrace`: how long, in seconds, a refresh token rotated away still refreshes its login
 * (two tabs, a retry); `0` for none. Whole seconds or a duration string; default 15, at most 300.
 */
export function refreshGrace(value: unknown = 15): number {
  const seconds = value === 0 ? 0 : durationSeconds(value);
  if (seconds !== undefined && seconds <= MAX_REFRESH_GRACE) return seconds;
  return fail(
    `\`refreshGrace\` ${JSON.stringify(value)} is not a grace: give whole seconds from 0 (none) to ${MAX_REFRESH_GRACE}, ` +
      "or a string like '15s' or '1m'; a longer window leaves a stolen refresh token that long to use.",
  );
}

/** `maxSessions`: live logins kept per user (the least recently refreshed end beyond it); default 20, 1 to 1000. */
export function maxSessions(value: unknown = 20): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 1000) return value;
  return fail(
    `\`maxSessions\` ${JSON.stringify(value)} is not a number of logins: give a whole number from 1 to 1000 ` +
      '(the logins a user keeps at once; beyond it the least recently refreshed one ends).',
  );
}
