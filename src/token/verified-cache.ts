import { LRUCache } from 'lru-cache';
import type { Checked } from '../shared/checked';
import { LoginConfigurationError } from '../shared/errors';
import { type TokenPayload, timeFailure } from './claims';
import type { VerifyPolicy } from './trust';
import { verifyToken } from './verify';

/** How many verified tokens a manager remembers by default. */
const DEFAULT_TOKEN_CACHE_SIZE = 10_000;

/** Checks the `tokenCacheSize` option: how many verified tokens to remember, 0 for none. */
export function tokenCacheSize(value: unknown = DEFAULT_TOKEN_CACHE_SIZE): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 10_000_000) return value;
  throw new LoginConfigurationError(
    `\`tokenCacheSize\` is a whole number of tokens, 0 (no cache) to 10000000; the default is ${DEFAULT_TOKEN_CACHE_SIZE}.`,
  );
}

/** One remembered token: its check's result, frozen throughout, since every later request of that token shares it. */
type Entry = Readonly<{ ok: true; value: TokenPayload }>;

/**
 * `verifyToken` with a memory: a token string that verified recently skips the signature
 * and JSON work. What a hit still checks, on every request: the time claims against the
 * clock (exp, nbf, iat, maxAge, so an expired token is refused on time; the other claim
 * checks depend only on the frozen claims and the manager's fixed policy), and that the key set
 * is the one the token was verified with (`KeySelector.version`: keys that change, as a
 * remote JWK Set's do, empty the cache). Token type, route requirements and revocation
 * are the callers' checks and run on every request, cache or not.
 *
 * Bounded by entry count (least recently used leave first), and each entry leaves at its
 * token's `exp`; a size of 0 turns the cache off.
 */
export class VerifiedTokens {
  private readonly cache: LRUCache<string, Entry> | undefined;
  private version: number;
  private inserted = 0;

  /**
   * `policy`: how tokens are verified, its keys included (the cache empties when their
   * `version` changes). `clock`: the manager's, in milliseconds, so entries expire by the
   * same clock that checks `exp`.
   */
  constructor(
    size: number,
    private readonly policy: VerifyPolicy,
    clock: () => number = Date.now,
  ) {
    // ttlResolution 0: lru-cache would otherwise start a timer every millisecond to cache its clock.
    const options = { max: size, ttlResolution: 0, perf: { now: clock } };
    this.cache = size > 0 ? new LRUCache<string, Entry>(options) : undefined;
    this.version = policy.keys.version;
  }

  /** How many tokens are remembered (for tests). */
  get size(): number {
    return this.cache?.size ?? 0;
  }

  /** The checked claims of `token`, from memory when it verified before. `now` in (fractional) seconds. */
  verify(token: string, now: number): Checked<TokenPayload> {
    const { cache, policy } = this;
    if (!cache) {
      // Frozen with or without the cache, so a loader behaves the same either way.
      const checked = verifyToken(token, policy, now);
      return checked.ok ? deepFreeze(checked) : checked;
    }
    if (this.version !== policy.keys.version) {
      cache.clear();
      this.version = policy.keys.version;
    }
    const known = cache.get(token);
    if (known !== undefined) {
      // Claims, policy and keys are as they were when it verified; only time has moved. (With
      // several issuers the time limits are the same for all: only issuer and audience differ.)
      const late = timeFailure(known.value, now, policy);
      if (late === undefined) return known;
      cache.delete(token);
      return late;
    }
    const checked = verifyToken(token, policy, now);
    if (!checked.ok) return checked;
    const entry = deepFreeze(checked);
    // Past exp (plus leeway) the token is refused anyway: its entry goes then, not when pushed out.
    // Entries of tokens never seen again are swept once per `max` insertions, amortised O(1).
    cache.set(token, entry, { ttl: Math.max(1, Math.ceil((entry.value.exp + policy.leeway - now) * 1000)) });
    if (++this.inserted % cache.max === 0) cache.purgeStale();
    return entry;
  }
}

/** Freezes parsed JSON throughout, so no request can change what the next one of the same token sees. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
