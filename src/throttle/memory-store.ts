import { fail } from '../shared/checks';
import { checkStoreOptions, type StoreOptionCheck } from '../shared/store-options';
import { type ThrottleLimits, type ThrottleStore, waitMs } from './store';

interface Entry {
  failures: number;
  last: number;
  expiresAt: number;
}

/**
 * How many keys a `MemoryThrottleStore` keeps by default: about 30 MB at most (some 300 bytes
 * a key), and more failed logins than one server sees in the hour it remembers them.
 */
const DEFAULT_MAX_ENTRIES = 100_000;
const MOST_ENTRIES = 10_000_000;

/** Options of `MemoryThrottleStore`. */
export interface MemoryThrottleStoreOptions {
  /**
   * The most keys (accounts and addresses) kept; past it, the key counted longest ago leaves
   * (least recently used first out), so a new key is always counted. Default 100 000.
   */
  maxEntries?: number;
}

const isMaxEntries: StoreOptionCheck = (value) =>
  Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MOST_ENTRIES
    ? value
    : fail(`\`maxEntries\` is a whole number of keys from 1 to ${MOST_ENTRIES} (default ${DEFAULT_MAX_ENTRIES}).`);

/** The options checked (unknown ones refused), with their defaults. */
function storeOptions(options: MemoryThrottleStoreOptions | undefined): Required<MemoryThrottleStoreOptions> {
  checkStoreOptions('MemoryThrottleStore', options, { maxEntries: isMaxEntries });
  return { maxEntries: options?.maxEntries ?? DEFAULT_MAX_ENTRIES };
}

/**
 * Failed attempts in this process's memory: right for one server (behind a load
 * balancer, use `RedisThrottleStore` so every instance sees the same count). An entry
 * leaves once its failures are forgotten, and memory is bounded whatever arrives: past
 * `maxEntries` keys, the one counted longest ago leaves (a `Map` kept in the order keys
 * were last counted), so a first attempt is never refused for want of room.
 */
export class MemoryThrottleStore implements ThrottleStore {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;

  constructor(options?: MemoryThrottleStoreOptions) {
    this.maxEntries = storeOptions(options).maxEntries;
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
    // Deleted first, so the key moves to the end: the order is that of the last count.
    this.entries.delete(key);
    this.entries.set(key, { failures: failures + 1, last: now, expiresAt: now + limits.forgetMs + limits.maxDelayMs });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    return 0;
  }

  async refund(key: string): Promise<void> {
    const entry = this.entries.get(key);
    if (entry && entry.failures > 0) entry.failures -= 1;
  }

  async clear(key: string): Promise<void> {
    this.entries.delete(key);
  }

  /**
   * Drops the expired keys at the front (those counted longest ago), amortised O(1). A key
   * behind one with a longer rule may outstay its expiry a while: it is counted afresh all the
   * same (its failures are past `forgetMs`), and the bound holds.
   */
  private purge(now: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt > now) return;
      this.entries.delete(key);
    }
  }
}
