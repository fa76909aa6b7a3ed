import { checkRedisClient, checkStoreOptions, isKeyPrefix } from '../shared/store-options';
import type { ThrottleLimits, ThrottleStore } from './store';

/**
 * The ioredis commands the store uses; any ioredis `Redis` fits, so the library never
 * imports ioredis. Keys are independent, so a `Cluster` works too.
 */
export interface ThrottleRedisCommands {
  /** `EVAL script numberOfKeys ...args`: runs the store's Lua script atomically. */
  eval(script: string, numberOfKeys: number, ...args: (string | number)[]): Promise<unknown>;
  /** `DEL key`: forgets a count (after a successful login). */
  del(key: string): Promise<number>;
  /** ioredis' event emitter: the store adds a quiet `'error'` listener when the client has none. */
  on?(event: 'error', listener: (error: Error) => void): unknown;
  /** How many `'error'` listeners the client has. */
  listenerCount?(event: 'error'): number;
}

/** Options of `RedisThrottleStore`. */
export interface RedisThrottleStoreOptions {
  /** Prepended to every key. Default `'rcl:throttle:'`. */
  prefix?: string;
}

/**
 * `consume` in one script, so concurrent attempts on any instance are counted one by one.
 * The same rule as `waitMs`: ARGV = now, attempts, delayMs, maxDelayMs, forgetMs. The key's
 * TTL only collects garbage; what counts is `last`, read against the caller's clock.
 */
const CONSUME = `
local now, attempts, delay, maxDelay, forget = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local state = redis.call('HMGET', KEYS[1], 'f', 'l')
local failures, last = tonumber(state[1]) or 0, tonumber(state[2]) or 0
if now - last >= forget then failures = 0 end
if failures >= attempts then
  local wait = math.ceil(last + math.min(maxDelay, delay * 2 ^ (failures - attempts)) - now)
  if wait > 0 then return wait end
end
redis.call('HSET', KEYS[1], 'f', failures + 1, 'l', now)
redis.call('PEXPIRE', KEYS[1], forget + maxDelay)
return 0`;

const REFUND = `
local failures = tonumber(redis.call('HGET', KEYS[1], 'f'))
if failures and failures > 0 then redis.call('HSET', KEYS[1], 'f', failures - 1) end
return 0`;

/**
 * Failed attempts in Redis, shared by every app instance using the same server: an
 * attacker spreading guesses over instances meets one count. Keys are hashes of the
 * account or address, never the email itself.
 */
export class RedisThrottleStore implements ThrottleStore {
  private readonly prefix: string;

  /**
   * `client`: an ioredis instance, e.g. `new Redis(process.env.REDIS_URL)`. Throws a `LoginConfigurationError`
   * for a client without its commands, an unknown option or an option of the wrong type.
   */
  constructor(
    private readonly client: ThrottleRedisCommands,
    options: RedisThrottleStoreOptions = {},
  ) {
    checkRedisClient('RedisThrottleStore', client, ['eval', 'del']);
    checkStoreOptions('RedisThrottleStore', options, { prefix: isKeyPrefix });
    this.prefix = options.prefix ?? 'rcl:throttle:';
    // Without an 'error' listener ioredis prints every failed reconnect; the throttle reports outages itself.
    if (client.on && client.listenerCount?.('error') === 0) client.on('error', () => {});
  }

  async consume(key: string, now: number, limits: ThrottleLimits): Promise<number> {
    const { attempts, delayMs, maxDelayMs, forgetMs } = limits;
    const wait = await this.client.eval(CONSUME, 1, this.prefix + key, now, attempts, delayMs, maxDelayMs, forgetMs);
    return Number(wait);
  }

  async refund(key: string): Promise<void> {
    await this.client.eval(REFUND, 1, this.prefix + key);
  }

  async clear(key: string): Promise<void> {
    await this.client.del(this.prefix + key);
  }
}
