import { checkRedisClient, checkStoreOptions, isClock, isKeyPrefix } from '../shared/store-options';
import type { RevocationLookup, RevocationStore } from './store';

/**
 * The few ioredis commands the store uses. Any ioredis `Redis` or `Cluster` instance
 * fits, so the library itself never imports ioredis.
 */
export interface RedisCommands {
  /** `SET key value PX milliseconds`: writes a key that Redis forgets after `milliseconds`. */
  set(key: string, value: string, mode: 'PX', milliseconds: number): Promise<unknown>;
  /** `SET key value PX milliseconds NX`: writes the key only if it is absent (`null` otherwise), atomically. */
  set(key: string, value: string, mode: 'PX', milliseconds: number, condition: 'NX'): Promise<unknown>;
  /** `EXISTS key`: 1 when the key is there, 0 when not. */
  exists(key: string): Promise<number>;
  /** `GET key`: the value, or `null`. */
  get(key: string): Promise<string | null>;
  /** Used, when present, to read a token's revocation and its user's cut-off in one command. */
  mget?(...keys: string[]): Promise<Array<string | null>>;
  /** ioredis sets it on a `Cluster`, where the two keys may live on different nodes: then they are read apart. */
  isCluster?: boolean;
  /** ioredis' event emitter: the store adds a quiet `'error'` listener when the client has none. */
  on?(event: 'error', listener: (error: Error) => void): unknown;
  /** How many `'error'` listeners the client has. */
  listenerCount?(event: 'error'): number;
}

/** Options of `RedisRevocationStore`. */
export interface RedisRevocationStoreOptions {
  /** Prepended to every key. Default `'rcl:'`. */
  prefix?: string;
  /** Milliseconds since the epoch, for the TTLs; give the manager's if you freeze time. Default `Date.now`. */
  clock?: () => number;
}

/**
 * Revocations in Redis, shared by every app instance that uses the same server: a
 * logout on one is refused by all. Each key's TTL is the token's remaining lifetime,
 * so Redis forgets revocations once they no longer matter.
 */
export class RedisRevocationStore implements RevocationStore {
  private readonly prefix: string;
  private readonly clock: () => number;

  /**
   * `client`: an ioredis instance, e.g. `new Redis(process.env.REDIS_URL)`. Throws a `LoginConfigurationError`
   * for a client without its commands, an unknown option or an option of the wrong type.
   */
  constructor(
    private readonly client: RedisCommands,
    options: RedisRevocationStoreOptions = {},
  ) {
    checkRedisClient('RedisRevocationStore', client, ['set', 'get', 'exists']);
    checkStoreOptions('RedisRevocationStore', options, { prefix: isKeyPrefix, clock: isClock });
    this.prefix = options.prefix ?? 'rcl:';
    this.clock = options.clock ?? Date.now;
    // Without an 'error' listener ioredis prints every failed reconnect; the manager
    // already reports an outage once, so an unattended client gets a quiet one.
    if (client.on && client.listenerCount?.('error') === 0) client.on('error', () => {});
  }

  async add(jti: string, expiresAt: number): Promise<void> {
    await this.setUntil(`jti:${jti}`, '1', expiresAt);
  }

  async has(jti: string): Promise<boolean> {
    return (await this.client.exists(`${this.prefix}jti:${jti}`)) > 0;
  }

  async setCutoff(sub: string, cutoff: number, expiresAt: number): Promise<void> {
    await this.setUntil(`sub:${sub}`, String(cutoff), expiresAt);
  }

  async cutoff(sub: string): Promise<number | undefined> {
    const value = await this.client.get(`${this.prefix}sub:${sub}`);
    return value === null ? undefined : Number(value);
  }

  /** Both lookups of a request: one MGET, or (on a cluster, or a client without mget) two reads at once. */
  async lookup(jti: string | undefined, sub: string): Promise<RevocationLookup> {
    if (jti === undefined) return { revoked: false, cutoff: await this.cutoff(sub) };
    const { mget } = this.client;
    if (!mget || this.client.isCluster) {
      const [revoked, cutoff] = await Promise.all([this.has(jti), this.cutoff(sub)]);
      return { revoked, cutoff };
    }
    const [revoked, cutoff] = await mget.call(this.client, `${this.prefix}jti:${jti}`, `${this.prefix}sub:${sub}`);
    return { revoked: revoked != null, cutoff: cutoff == null ? undefined : Number(cutoff) };
  }

  /** `SET ... NX`: Redis lets exactly one of concurrent callers, on any instance, set the key. */
  async retire(jti: string, at: number, expiresAt: number): Promise<number | undefined> {
    const key = `${this.prefix}retired:${jti}`;
    const ttl = Math.ceil(expiresAt - this.clock());
    if (ttl <= 0) return undefined;
    if ((await this.client.set(key, String(at), 'PX', ttl, 'NX')) !== null) return undefined;
    return (await this.retiredAt(jti)) ?? at;
  }

  /**
   * DPoP: `SET dpop:<id> 1 PX <ttl> NX`, one key, so on a single Redis and on a Cluster exactly one
   * of concurrent uses of a proof, on any instance, sets it (kept at least a millisecond).
   */
  async firstUse(id: string, expiresAt: number): Promise<boolean> {
    const ttl = Math.max(1, Math.ceil(expiresAt - this.clock()));
    return (await this.client.set(`${this.prefix}dpop:${id}`, '1', 'PX', ttl, 'NX')) !== null;
  }

  async retiredAt(jti: string): Promise<number | undefined> {
    const value = await this.client.get(`${this.prefix}retired:${jti}`);
    return value === null ? undefined : Number(value);
  }

  private async setUntil(key: string, value: string, expiresAt: number): Promise<void> {
    const ttl = Math.ceil(expiresAt - this.clock());
    if (ttl > 0) await this.client.set(`${this.prefix}${key}`, value, 'PX', ttl);
  }
}
