import type { Checked } from '../shared/checked';
import { LoginConfigurationError } from '../shared/errors';
import { type TokenPayload, timeFailure } from './claims';
import { Doorkeeper } from './doorkeeper';
import { Generations } from './generations';
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

/** One remembered token and its check's result, frozen throughout: every later request of that token shares it. */
interface Entry {
  token: string;
  checked: Readonly<{ ok: true; value: TokenPayload }>;
}

/**
 * `verifyToken` with a memory: a token string that verified recently skips the signature
 * and JSON work. What a hit still checks, on every request: the time claims against the
 * clock (exp, nbf, iat, maxAge, so an expired token is refused on time; the other claim
 * checks depend only on the frozen claims and the manager's fixed policy), and that the key set
 * is the one the token was verified with (`KeySelector.version`: keys that change, as a
 * remote JWK Set's do, empty the cache). Token type, route requirements and revocation
 * are the callers' checks and run on every request, cache or not.
 *
 * Bounded by entry count, least recently used leaving first (`Generations`); a size of 0
 * turns the cache off. A token is remembered on its second sighting (`Doorkeeper`), so a
 * flood of tokens each sent once costs no cache write and evicts nothing. Keyed by the
 * signature segment, which is short (so a lookup hashes
 * 43 characters of an HS256 token, not all of it), and a hit counts only when the whole
 * token is the one that verified.
 */
export class VerifiedTokens {
  private readonly cache: Generations<Entry> | undefined;
  private readonly doorkeeper: Doorkeeper | undefined;
  private version: number;

  /** `policy`: how tokens are verified, its keys included (the cache empties when their `version` changes). */
  constructor(
    size: number,
    private readonly policy: VerifyPolicy,
  ) {
    this.cache = size > 0 ? new Generations<Entry>(size) : undefined;
    this.doorkeeper = size > 0 ? new Doorkeeper(size) : undefined;
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
    const signature = token.slice(token.lastIndexOf('.') + 1);
    const known = cache.get(signature);
    if (known !== undefined && known.token === token) {
      // Claims, policy and keys are as they were when it verified; only time has moved. (With
      // several issuers the time limits are the same for all: only issuer and audience differ.)
      const late = timeFailure(known.checked.value, now, policy);
      if (late === undefined) return known.checked;
      cache.delete(signature);
      return late;
    }
    const checked = verifyToken(token, policy, now);
    if (!checked.ok) return checked;
    const frozen = deepFreeze(checked);
    if (this.doorkeeper?.seen(signature)) cache.set(signature, { token, checked: frozen });
    return frozen;
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
