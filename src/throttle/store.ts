/** One throttling rule, in milliseconds: what a store needs to count attempts on a key. */
export interface ThrottleLimits {
  /** Attempts counted before the first wait. */
  attempts: number;
  /** The first wait; each further counted failure doubles it. */
  delayMs: number;
  /** The longest wait. */
  maxDelayMs: number;
  /** Failures are forgotten this long after the last one. */
  forgetMs: number;
}

/**
 * Where failed login attempts are counted. Each call is atomic on its key, so instances
 * sharing a store share the count and concurrent attempts cannot slip past it. Times come
 * from the caller's clock (milliseconds since the epoch), never the store's.
 */
export interface ThrottleStore {
  /**
   * Counts one attempt on `key` unless the key must wait; returns 0 when counted, else
   * the milliseconds left to wait (nothing counted). After `attempts` counted failures,
   * the wait after the last one is `delayMs · 2^(failures − attempts)`, at most `maxDelayMs`.
   */
  consume(key: string, now: number, limits: ThrottleLimits): Promise<number>;
  /** Takes back one counted attempt: it succeeded, or never reached the password check. */
  refund(key: string): Promise<void>;
  /** Forgets `key` (the account logged in; an administrator unlocked it). */
  clear(key: string): Promise<void>;
}

/** Milliseconds `key` must still wait with `failures` counted, the last at `last`. */
export function waitMs(failures: number, last: number, now: number, limits: ThrottleLimits): number {
  if (failures < limits.attempts) return 0;
  const wait = Math.min(limits.maxDelayMs, limits.delayMs * 2 ** (failures - limits.attempts));
  return Math.max(0, Math.ceil(last + wait - now));
}
