import type { Clock } from '../options';
import { ExpiryHeap } from './expiry-heap';
import type { RevocationLookup, RevocationStore } from './store';

/**
 * Revocations in this process's memory: right for one server (behind a load balancer,
 * use `RedisRevocationStore`). Entries leave at the first operation after they expire,
 * earliest first, so memory holds only revocations of tokens still alive. It answers
 * synchronously (no promises).
 */
export class MemoryRevocationStore implements RevocationStore {
  private readonly entries = new Map<string, { value: number; expiresAt: number }>();
  private readonly expiries = new ExpiryHeap();
  private readonly clock: Clock;

  /** `clock`: milliseconds since the epoch; give the manager's when you freeze time in tests. */
  constructor(options: { clock?: Clock } = {}) {
    this.clock = options.clock ?? Date.now;
  }

  /** How many entries (revoked tokens and per-user cut-offs) are held. */
  get size(): number {
    this.purge();
    return this.entries.size;
  }

  add(jti: string, expiresAt: number): void {
    this.put(`jti:${jti}`, 1, expiresAt);
  }

  has(jti: string): boolean {
    this.purge();
    return this.entries.has(`jti:${jti}`);
  }

  setCutoff(sub: string, cutoff: number, expiresAt: number): void {
    this.put(`sub:${sub}`, cutoff, expiresAt);
  }

  cutoff(sub: string): number | undefined {
    this.purge();
    return this.entries.get(`sub:${sub}`)?.value;
  }

  /** Both lookups of a request at once: synchronous, so the manager needs no promise or timer for them. */
  lookup(jti: string | undefined, sub: string): RevocationLookup {
    this.purge();
    return {
      revoked: jti !== undefined && this.entries.has(`jti:${jti}`),
      cutoff: this.entries.get(`sub:${sub}`)?.value,
    };
  }

  /** Synchronous, like the rest: read and write with nothing in between is what makes it atomic in one process. */
  retire(jti: string, at: number, expiresAt: number): number | undefined {
    this.purge();
    const earlier = this.entries.get(`retired:${jti}`)?.value;
    if (earlier === undefined) this.put(`retired:${jti}`, at, expiresAt);
    return earlier;
  }

  retiredAt(jti: string): number | undefined {
    this.purge();
    return this.entries.get(`retired:${jti}`)?.value;
  }

  private put(key: string, value: number, expiresAt: number): void {
    this.purge();
    if (expiresAt <= this.clock()) return;
    this.entries.set(key, { value, expiresAt });
    this.expiries.push({ key, expiresAt });
  }

  private purge(): void {
    for (const { key, expiresAt } of this.expiries.popExpired(this.clock())) {
      // A key set again since has a later expiry of its own; only its last one removes it.
      if (this.entries.get(key)?.expiresAt === expiresAt) this.entries.delete(key);
    }
  }
}
