import { createHash } from 'node:crypto';
import { checkRedisClient, checkStoreOptions, isClock, isKeyPrefix } from '../shared/store-options';
import { END, LOOKUP, REVOKE, REVOKE_ALL, ROTATE, type Script, SESSIONS, START } from './redis-scripts';
import type { RevocationLookup, RevocationStore, RotationOutcome, RotationRequest, SessionRecord } from './store';
import { parseEnded, parseLookup, parseRotation, parseSessions } from './store-values';

/** Sets a DPoP proof's key unless it exists: 1 for the first use, 0 after. */
const FIRST_USE = "if redis.call('SET', KEYS[1], '1', 'PX', ARGV[1], 'NX') then return 1 else return 0 end";

/**
 * The few ioredis commands the store uses. Any ioredis `Redis` or `Cluster` instance fits,
 * so the library itself never imports ioredis.
 */
export interface RedisCommands {
  /** `EVAL script numberOfKeys ...args`: runs one of the store's Lua scripts atomically. */
  eval(script: string, numberOfKeys: number, ...args: (string | number)[]): Promise<unknown>;
  /** `EVALSHA sha1 numberOfKeys ...args`: the same by the script's digest, used when present (`eval` after `NOSCRIPT`). */
  evalsha?(sha1: string, numberOfKeys: number, ...args: (string | number)[]): Promise<unknown>;
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
 * Revocations and logins in Redis, shared by every app instance that uses the same server: a
 * logout on one is refused by all, and a login refreshes on any. A user's keys share one hash
 * tag, a digest of the user's id (so no email is ever in a key name), so what a request asks,
 * and each change, is one Lua script on one slot: one command, on a single Redis or a Cluster.
 * Every key has a TTL: Redis forgets an entry once the tokens it is about could no longer be
 * accepted, and a login's record is updated in place however often it refreshes.
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
    checkRedisClient('RedisRevocationStore', client, ['eval']);
    checkStoreOptions('RedisRevocationStore', options, { prefix: isKeyPrefix, clock: isClock });
    this.prefix = options.prefix ?? 'rcl:';
    this.clock = options.clock ?? Date.now;
    // Without an 'error' listener ioredis prints every failed reconnect; the manager
    // already reports an outage once, so an unattended client gets a quiet one.
    if (client.on && client.listenerCount?.('error') === 0) client.on('error', () => {});
  }

  async revoke(sub: string, id: string, expiresAt: number): Promise<void> {
    await this.run(REVOKE, sub, id, this.ttl(expiresAt));
  }

  async lookup(sub: string, id: string, family: string | undefined): Promise<RevocationLookup> {
    return parseLookup(await this.run(LOOKUP, sub, id, family ?? ''));
  }

  async revokeAll(sub: string, cutoff: number, expiresAt: number, endedUntil: number): Promise<void> {
    await this.run(REVOKE_ALL, sub, cutoff, this.ttl(expiresAt), this.ttl(endedUntil));
  }

  async startSession(
    sub: string,
    session: SessionRecord,
    keepUntil: number,
    limit: number,
    endedUntil: number,
  ): Promise<string[]> {
    const { id, started, label } = session;
    const args = [id, started, this.ttl(keepUntil), limit, this.ttl(endedUntil)];
    return parseEnded(await this.run(START, sub, ...(label === undefined ? args : [...args, label])));
  }

  async rotate(sub: string, request: RotationRequest): Promise<RotationOutcome> {
    const { family, generation, now, graceMs, keepUntil, endedUntil, limit } = request;
    const args = [family, generation, now, graceMs, this.ttl(keepUntil), this.ttl(endedUntil), limit];
    return parseRotation(await this.run(ROTATE, sub, ...args));
  }

  async endSession(sub: string, family: string, endedUntil: number): Promise<void> {
    await this.run(END, sub, family, this.ttl(endedUntil));
  }

  async sessions(sub: string): Promise<SessionRecord[]> {
    return parseSessions(await this.run(SESSIONS, sub));
  }

  /** The script on the user's slot: by its digest, and by its text when Redis does not have it yet. */
  private async run(script: Script, sub: string, ...args: (string | number)[]): Promise<unknown> {
    const base = `${this.prefix}{${createHash('sha256').update(sub).digest('base64url').slice(0, 22)}}:`;
    if (this.client.evalsha) {
      try {
        return await this.client.evalsha(script.sha, 1, base, ...args);
      } catch (error) {
        if (!String((error as Error)?.message).startsWith('NOSCRIPT')) throw error;
      }
    }
    return this.client.eval(script.text, 1, base, ...args);
  }

  /**
   * DPoP: `SET dpop:<id> 1 PX <ttl> NX` in one script, one key, so on a single Redis and on a Cluster
   * exactly one of concurrent uses of a proof, on any instance, sets it (kept at least a millisecond).
   */
  async firstUse(id: string, expiresAt: number): Promise<boolean> {
    return (await this.client.eval(FIRST_USE, 1, `${this.prefix}dpop:${id}`, this.ttl(expiresAt))) === 1;
  }

  /** Milliseconds from now (the store's clock) until `at`; at least 1, so Redis never keeps a key without a TTL. */
  private ttl(at: number): number {
    return Math.max(1, Math.ceil(at - this.clock()));
  }
}
