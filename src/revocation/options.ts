import { fail, flag } from '../shared/checks';
import type { Clock } from '../shared/clock';
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
