import { fail, flag } from '../shared/checks';
import type { Clock } from '../shared/clock';
import { MemoryRevocationStore } from './memory-store';
import type { RevocationStore } from './store';

/** `revocationStore`: a store with the methods revocation needs; default a `MemoryRevocationStore` on `clock`. */
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

/** `rotateRefreshTokens`: on by default, and then the store must retire tokens atomically. */
export function rotationOption(value: unknown, store: RevocationStore): boolean {
  const rotate = flag('rotateRefreshTokens', value, true);
  if (rotate && (typeof store.retire !== 'function' || typeof store.retiredAt !== 'function')) {
    fail(
      '`revocationStore` has no retire/retiredAt methods, which refresh-token rotation needs: implement them ' +
        '(see RevocationStore), use MemoryRevocationStore or RedisRevocationStore, or set rotateRefreshTokens: false.',
    );
  }
  return rotate;
}
