import { MemoryReplayCache } from '../dpop/replay';
import type { Clock } from '../shared/clock';
import { ExpiryHeap } from '../shared/expiry-heap';
import { checkStoreOptions, isClock } from '../shared/store-options';
import type { RevocationLookup, RevocationStore } from './store';

/** One entry: the value it holds (1 for a revoked token, the time for a cut-off) and when it can go. */
interface Held {
  value: number;
  expiresAt: number;
}

/** The answer for a token nobody revoked, shared: the common case allocates nothing. */
const NOTHING: RevocationLookup = Object.freeze({ revoked: false, cutoff: undefined });

/**
 * Revocations in this process's memory: right for one server (behind a load balancer,
 * use `RedisRevocationStore`). Entries leave at the first operation after they expire,
 * earliest first, so memory holds only revocations of tokens still alive. It answers
 * synchronously (no promises).
 */
export class MemoryRevocationStore implements RevocationStore {
  /** Revoked token ids, per-user cut-offs and retired refresh tokens apart, so a lookup uses the claim strings as they are. */
  private readonly revoked = new Map<string, Held>();
  private readonly cutoffs = new Map<string, Held>();
  private readonly retired = new Map<string, Held>();
  private readonly expiries = new ExpiryHeap<{ key: string; expiresAt: number; map: Map<string, Held> }>();
  /** Used DPoP proofs: bounded (100 000, the oldest out first), as many as a server accepts in minutes. */
  private readonly proofs = new MemoryReplayCache();
  private readonly clock: Clock;

  /**
   * `clock`: milliseconds since the epoch; give the manager's when you freeze time in tests. Throws a
   * `LoginConfigurationError` for an unknown option or a clock that is not a function.
   */
  constructor(options: { clock?: Clock } = {}) {
    checkStoreOptions('MemoryRevocationStore', options, { clock: isClock });
    this.clock = options.clock ?? Date.now;
  }

  /** How many entries (revoked tokens, per-user cut-offs, retired refresh tokens) are held. */
  get size(): number {
    this.purge();
    return this.revoked.size + this.cutoffs.size + this.retired.size;
  }

  add(jti: string, expiresAt: number): void {
    this.put(this.revoked, jti, 1, expiresAt);
  }

  has(jti: string): boolean {
    this.purge();
    return this.revoked.has(jti);
  }

  setCutoff(sub: string, cutoff: number, expiresAt: number): void {
    this.put(this.cutoffs, sub, cutoff, expiresAt);
  }

  cutoff(sub: string): number | undefined {
    this.purge();
    return this.cutoffs.get(sub)?.value;
  }

  /** Both lookups of a request at once: synchronous, so the manager needs no promise or timer for them. */
  lookup(jti: string | undefined, sub: string): RevocationLookup {
    this.purge();
    const revoked = jti !== undefined && this.revoked.has(jti);
    const cutoff = this.cutoffs.get(sub)?.value;
    return revoked || cutoff !== undefined ? { revoked, cutoff } : NOTHING;
  }

  /** Synchronous, like the rest: read and write with nothing in between is what makes it atomic in one process. */
  retire(jti: string, at: number, expiresAt: number): number | undefined {
    this.purge();
    const earlier = this.retired.get(jti)?.value;
    if (earlier === undefined) this.put(this.retired, jti, at, expiresAt);
    return earlier;
  }

  retiredAt(jti: string): number | undefined {
    this.purge();
    return this.retired.get(jti)?.value;
  }

  /** DPoP: whether proof `id` is used for the first time; synchronous, so atomic in one process. */
  firstUse(id: string, expiresAt: number): boolean {
    return this.proofs.firstUse(id, expiresAt, this.clock());
  }

  private put(map: Map<string, Held>, key: string, value: number, expiresAt: number): void {
    this.purge();
    if (expiresAt <= this.clock()) return;
    map.set(key, { value, expiresAt });
    this.expiries.push({ key, expiresAt, map });
  }

  private purge(): void {
    const now = this.clock();
    if (this.expiries.nextExpiry > now) return;
    for (const { key, expiresAt, map } of this.expiries.popExpired(now)) {
      // A key set again since has a later expiry of its own; only its last one removes it.
      if (map.get(key)?.expiresAt === expiresAt) map.delete(key);
    }
  }
}
