import { createHash } from 'node:crypto';
import { checkRedisClient, checkStoreOptions, isClock, isKeyPrefix } from '../shared/store-options';
import { type MirrorClient, RedisMirror } from './redis-mirror';
import { mirrorOption } from './redis-mirror-options';
import { END, LOOKUP, REVOKE, REVOKE_ALL, ROTATE, type Script, SESSIONS, START } from './redis-scripts';
import type { RevocationLookup, RevocationStore, RotationOutcome, RotationRequest, SessionRecord } from './store';
import { MalformedStoreValueError, parseEnded, parseLookup, parseRotation, parseSessions } from './store-values';

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
  /**
   * Answer requests from a copy in this process's memory, kept current from Redis, instead of asking Redis
   * on every request: `true`, or `{ maxStaleness }` (milliseconds, default 1000: how long the copy is trusted
   * without news from every master). While the copy is not trusted (loading, resubscribing, Redis silent),
   * requests ask Redis as without `mirror`. Writes always run in Redis. Needs a client that can `duplicate()`,
   * `publish` and `scan` (ioredis `Redis` or `Cluster`); `await store.close()`, or closing the client, ends it. Default `false`.
   */
  mirror?: boolean | RedisMirrorOptions;
}

/** `RedisRevocationStore`'s `mirror: { ... }`. */
export interface RedisMirrorOptions {
  /** Milliseconds the copy is trusted without a heartbeat from every master: the longest a revocation can take to reach it. Default 1000. */
  maxStaleness?: number;
}

/** Lone surrogates travel to Redis and back as U+FFFD: a mirrored id is looked up as Redis spelled it. */
const asRedisSpells = (value: string): string =>
  /[\uD800-\uDFFF]/.test(value) ? Buffer.from(value).toString() : value;

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
  private readonly mirror: RedisMirror | undefined;
  /** Users' digests, for a mirror's lookups with cut-offs (bounded: emptied when full). */
  private readonly digests = new Map<string, string>();

  /**
   * `client`: an ioredis instance, e.g. `new Redis(process.env.REDIS_URL)`. Throws a `LoginConfigurationError`
   * for a client without its commands, an unknown option or an option of the wrong type.
   */
  constructor(
    private readonly client: RedisCommands,
    options: RedisRevocationStoreOptions = {},
  ) {
    checkRedisClient('RedisRevocationStore', client, ['eval']);
    checkStoreOptions('RedisRevocationStore', options, { prefix: isKeyPrefix, clock: isClock, mirror: mirrorOption });
    this.prefix = options.prefix ?? 'rcl:';
    this.clock = options.clock ?? Date.now;
    const maxStaleness = mirrorOption(options.mirror, client);
    if (maxStaleness !== undefined) {
      this.mirror = new RedisMirror(client as unknown as MirrorClient, this.prefix, this.clock, maxStaleness);
    }
    // Without an 'error' listener ioredis prints every failed reconnect; the manager
    // already reports an outage once, so an unattended client gets a quiet one.
    if (client.on && client.listenerCount?.('error') === 0) client.on('error', () => {});
  }

  /** Resolves once a mirrored store's copy is loaded and current (at once without `mirror`). */
  async ready(): Promise<void> {
    await this.mirror?.ready();
  }

  /** Ends a mirrored store's subscription and heartbeats (the client given stays open: it is yours). */
  async close(): Promise<void> {
    await this.mirror?.close();
  }

  /** Entries a mirrored store holds in memory (refused ids, cut-offs, login records); 0 without `mirror`. */
  get mirrorSize(): number {
    return this.mirror?.size ?? 0;
  }

  async revoke(sub: string, id: string, expiresAt: number): Promise<void> {
    await this.change(REVOKE, sub, id, this.ttl(expiresAt));
  }

  /** Mirrored: synchronous, from memory, while the copy is current. Otherwise (and plain) one command. */
  lookup(sub: string, id: string, family: string | undefined): RevocationLookup | Promise<RevocationLookup> {
    if (this.mirror?.current()) {
      const fam = family === undefined ? undefined : asRedisSpells(family);
      return this.mirror.lookup(() => this.digest(sub), asRedisSpells(id), fam);
    }
    return this.run(LOOKUP, sub, id, family ?? '').then(parseLookup);
  }

  async revokeAll(sub: string, cutoff: number, expiresAt: number, endedUntil: number): Promise<void> {
    await this.change(REVOKE_ALL, sub, cutoff, this.ttl(expiresAt), this.ttl(endedUntil));
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
    return parseEnded(await this.change(START, sub, ...(label === undefined ? args : [...args, label])));
  }

  async rotate(sub: string, request: RotationRequest): Promise<RotationOutcome> {
    const { family, generation, now, graceMs, keepUntil, endedUntil, limit } = request;
    const args = [family, generation, now, graceMs, this.ttl(keepUntil), this.ttl(endedUntil), limit];
    return parseRotation(await this.change(ROTATE, sub, ...args));
  }

  async endSession(sub: string, family: string, endedUntil: number): Promise<void> {
    await this.change(END, sub, family, this.ttl(endedUntil));
  }

  async sessions(sub: string): Promise<SessionRecord[]> {
    return parseSessions(await this.run(SESSIONS, sub));
  }

  /** A write script: its result; what it changed goes into this instance's mirror at once (it reads its own writes). */
  private async change(script: Script, sub: string, ...args: (string | number)[]): Promise<unknown> {
    const reply = await this.run(script, sub, ...args);
    if (!Array.isArray(reply) || reply.length !== 2) throw new MalformedStoreValueError('script reply');
    const [result, message] = reply as unknown[];
    if (this.mirror && typeof message === 'string' && message !== '') this.mirror.applyMessage(message);
    return result;
  }

  /** The user's digest, the hash tag of their keys (no email in a key name). */
  private digest(sub: string): string {
    let digest = this.digests.get(sub);
    if (digest === undefined) {
      digest = createHash('sha256').update(sub).digest('base64url').slice(0, 22);
      if (this.digests.size >= 10_000) this.digests.clear();
      this.digests.set(sub, digest);
    }
    return digest;
  }

  /** The script on the user's slot: by its digest, and by its text when Redis does not have it yet. */
  private async run(script: Script, sub: string, ...args: (string | number)[]): Promise<unknown> {
    const base = `${this.prefix}{${this.digest(sub)}}:`;
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
