import { ExpiryHeap } from '../shared/expiry-heap';
import { checkStoreOptions } from '../shared/store-options';
import { type ThrottleLimits, type ThrottleStore, waitMs } from './store';

interface Entry {
  failures: number;
  last: number;
  expiresAt: number;
}

/**
 * Failed attempts in this process's memory: right for one server (behind a load
 * balancer, use `RedisThrottleStore` so every instance sees the same count). An entry
 * leaves once its failures are forgotten, so memory holds recent failures only.
 */
export class MemoryThrottleStore implements ThrottleStore {
  private readonly entries = new Map<string, Entry>();
  private readonly expiries = new ExpiryHeap();

  /** It takes no options; a `LoginConfigurationError` says so when given some (a typo would silently do nothing). */
  constructor(options?: Record<string, never>) {
    checkStoreOptions('MemoryThrottleStore', options, {});
  }

  /** How many keys (accounts and addresses) have failures counted. */
  get size(): number {
    return this.entries.size;
  }

  async consume(key: string, now: number, limits: ThrottleLimits): Promise<number> {
    this.purge(now);
    const entry = this.entries.get(key);
    const failures = entry && now - entry.last < limits.forgetMs ? entry.failures : 0;
    const wait = entry ? waitMs(failures, entry.last, now, limits) : 0;
    if (wait > 0) return wait;
    const expiresAt = now + limits.forgetMs + limits.maxDelayMs;
    this.entries.set(key, { failures: failures + 1, last: now, expiresAt });
    this.expiries.push({ key, expiresAt });
    return 0;
  }

  async refund(key: string): Promise<void> {
    const entry = this.entries.get(key);
    if (entry && entry.failures > 0) entry.failures -= 1;
  }

  async clear(key: string): Promise<void> {
    this.entries.delete(key);
  }

  private purge(now: number): void {
    for (const { key, expiresAt } of this.expiries.popExpired(now)) {
      // A key counted again since has a later expiry of its own; only its last one removes it.
      if (this.entries.get(key)?.expiresAt === expiresAt) this.entries.delete(key);
    }
  }
}
