import type { MaybePromise } from '../shared/maybe-promise';

/**
 * Where the `jti` of every accepted DPoP proof is remembered for as long as the proof could be
 * accepted (RFC 9449 §11.1), so a captured proof cannot be sent again. One instance: a
 * {@link MemoryReplayCache}. Several: an implementation over a shared store (Redis:
 * `SET key 1 NX PXAT expiresAt`), so a proof used on one instance is refused on the others.
 */
export interface ReplayCache {
  /**
   * Records `id` as used until `expiresAt` (inclusive) and answers `true`, or answers `false`
   * when `id` is already recorded and `expiresAt` has not passed. Of two concurrent calls with the same `id`, exactly
   * one may get `true`. Times in milliseconds since the epoch, `now` from the manager's clock.
   * An outage rejects (or throws): the caller fails closed, never takes that as "first use".
   */
  firstUse(id: string, expiresAt: number, now: number): MaybePromise<boolean>;
}

/** How a {@link MemoryReplayCache} is bounded. */
export interface MemoryReplayCacheOptions {
  /**
   * The most ids kept; past it the oldest goes first (and a replay of that proof within its
   * window would pass). Size it above the proofs a server accepts in two proof windows. Default 100 000.
   */
  maxEntries?: number;
}

/**
 * A {@link ReplayCache} in this process's memory: right for one server. Bounded by the ids
 * still in their window (expired ones leave as new ones arrive) and by `maxEntries`.
 */
export class MemoryReplayCache implements ReplayCache {
  /** id → expiry, in insertion order: the oldest first. */
  private readonly seen = new Map<string, number>();
  private readonly maxEntries: number;

  constructor({ maxEntries = 100_000 }: MemoryReplayCacheOptions = {}) {
    if (!(Number.isInteger(maxEntries) && maxEntries >= 1)) {
      throw new RangeError('MemoryReplayCache: `maxEntries` is a whole number of at least 1.');
    }
    this.maxEntries = maxEntries;
  }

  /** How many ids are kept now. */
  get size(): number {
    return this.seen.size;
  }

  firstUse(id: string, expiresAt: number, now: number): boolean {
    this.sweep(now);
    const known = this.seen.get(id);
    if (known !== undefined && known >= now) return false;
    this.seen.delete(id);
    if (this.seen.size >= this.maxEntries) this.seen.delete(this.seen.keys().next().value as string);
    this.seen.set(id, expiresAt);
    return true;
  }

  /**
   * Drops expired ids from the oldest on, up to the first one still alive: amortised O(1).
   * Expiries are at most two proof windows after insertion, so what stays behind an alive
   * id is younger than that too.
   */
  private sweep(now: number): void {
    for (const [id, expiresAt] of this.seen) {
      if (expiresAt >= now) return;
      this.seen.delete(id);
    }
  }
}
