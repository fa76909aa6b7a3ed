import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Clock } from '../shared/clock';
import { type Change, MirrorCopy } from './mirror-copy';
import { parseChanges } from './mirror-feed';
import { type HeartbeatNode, Heartbeats, type Master } from './mirror-heartbeat';
import { type LoadNode, loadInto } from './mirror-load';
import { MirrorSubscriber, type SubscriberSource } from './mirror-subscriber';
import type { RevocationLookup } from './store';

/** A single Redis, or one master of a Cluster: what a mirror sends it. */
type RedisNode = LoadNode & HeartbeatNode & SubscriberSource;

/** A single Redis, or a Cluster (whose masters it names): what a mirror needs of the store's client. */
export type MirrorClient = RedisNode & {
  nodes?(role: 'master'): (RedisNode & { options?: { host?: string; port?: number } })[];
  once?(event: 'ready' | 'end', listener: () => void): unknown;
};

type Parsed = { digest: string; changes: Change[] };

/**
 * A mirrored store's copy and how it is kept current (see `RedisRevocationStore`'s `mirror` option):
 * subscribed to the changes the write scripts publish, loaded whenever the subscription (re)starts or a
 * heartbeat says a change may have been missed, and trusted (`current()`) only while a heartbeat sent at
 * most `maxStaleness` ago has come back. While it is not, the store asks Redis as a plain store does, so no
 * request is answered from a copy that may be missing a change, and one Redis cannot answer within
 * `storeTimeout` gets a 503.
 */
export class RedisMirror {
  private copy: MirrorCopy;
  private synced = false;
  private epoch = 0;
  private buffer: Parsed[] | undefined;
  private closed = false;
  private readonly changes: string;
  private readonly heartbeats: Heartbeats;
  private readonly subscriber: MirrorSubscriber;
  private readonly timer: NodeJS.Timeout;
  private readonly first: Promise<void>;
  private firstDone: () => void = () => {};

  constructor(
    private readonly client: MirrorClient,
    private readonly prefix: string,
    private readonly clock: Clock,
    private readonly maxStaleness: number,
  ) {
    this.copy = new MirrorCopy(clock);
    this.changes = `${prefix}changes`;
    const beat = `${prefix}heartbeat:${randomUUID()}`;
    this.heartbeats = new Heartbeats(beat);
    this.first = new Promise((resolve) => (this.firstDone = resolve));
    const sources = () => this.masters().map((master) => master.node);
    this.subscriber = new MirrorSubscriber(
      sources,
      [this.changes, beat],
      {
        message: (channel, message) => (channel === beat ? this.heard(message) : this.applyMessage(message)),
        ready: () => void this.resync(),
        lost: () => this.lose(),
      },
      Boolean(client.nodes),
    );
    this.timer = setInterval(() => this.tick(), Math.max(5, Math.floor(maxStaleness / 4)));
    this.timer.unref();
    this.tick();
    client.once?.('ready', () => this.tick()); // a Cluster names its masters once connected: subscribe then
    client.once?.('end', () => void this.close()); // closed by its owner: nothing of the mirror keeps the process up
  }

  /** Entries held (refused ids, cut-offs, login records). */
  get size(): number {
    return this.copy.size;
  }

  /** Resolves once the first load is in and the copy is current. */
  ready(): Promise<void> {
    return this.first;
  }

  /**
   * Whether the copy may answer: loaded since the subscription last (re)started, nothing missed since, and
   * every master's heartbeat heard back within `maxStaleness`. Otherwise the store asks Redis.
   */
  current(): boolean {
    return this.synced && performance.now() - this.heartbeats.confirmedAt <= this.maxStaleness;
  }

  /** What a request reads, from memory (only while `current()`). */
  lookup(digest: () => string, id: string, family: string | undefined): RevocationLookup {
    return this.copy.lookup(this.copy.hasCutoffs ? digest() : undefined, id, family);
  }

  /** A change message, from the feed or from a write of this instance (so it reads its own writes at once). */
  applyMessage(message: string): void {
    let parsed: Parsed;
    try {
      parsed = parseChanges(message);
    } catch {
      this.lose(); // not one of ours: what else was said cannot be trusted
      return;
    }
    this.buffer?.push(parsed);
    for (const change of parsed.changes) this.copy.apply(parsed.digest, change);
  }

  /** Stops the heartbeats and closes the subscription (the store's client is left to its owner; closing it closes this too). */
  async close(): Promise<void> {
    this.closed = true;
    this.synced = false;
    this.epoch += 1;
    clearInterval(this.timer);
    await this.subscriber.close();
  }

  private settle(): void {
    if (this.current()) this.firstDone();
  }

  /** The masters: the Cluster's, or the single Redis itself. */
  private masters(): Master<RedisNode>[] {
    if (!this.client.nodes) return [{ key: 'redis', node: this.client }];
    return this.client.nodes('master').map((node) => ({ key: `${node.options?.host}:${node.options?.port}`, node }));
  }

  private tick(): void {
    if (this.closed) return;
    const same = this.heartbeats.send(this.masters(), performance.now());
    if (!same && this.synced) this.lose();
    this.subscriber.check();
  }

  private heard(message: string): void {
    if (!this.heartbeats.received(message)) this.lose();
    else this.settle();
  }

  /** The copy may be missing a change: not trusted until loaded again (now, or once subscribed again). */
  private lose(): void {
    if (this.closed) return;
    this.synced = false;
    this.epoch += 1;
    this.buffer = undefined;
    if (this.subscriber.ready) void this.resync();
  }

  private async resync(): Promise<void> {
    if (this.closed) return;
    const epoch = ++this.epoch;
    const abandoned = () => epoch !== this.epoch;
    this.synced = false;
    const started = performance.now();
    const buffer: Parsed[] = [];
    this.buffer = buffer; // before SUBSCRIBE: a change heard with its reply must not slip between
    this.heartbeats.forgetPending(); // what was lost before this subscription, the load makes up for
    try {
      await this.subscriber.subscribe();
      if (abandoned()) return;
      this.heartbeats.forgetPending();
      const masters = this.masters();
      const fresh = new MirrorCopy(this.clock);
      await loadInto(
        fresh,
        masters.map((master) => master.node),
        this.prefix,
        abandoned,
      );
      if (abandoned()) return;
      for (const { digest, changes } of buffer) for (const change of changes) fresh.apply(digest, change);
      this.copy = fresh;
      this.buffer = undefined;
      this.heartbeats.loaded(
        started,
        masters.map((master) => master.key),
      );
      this.synced = true;
      this.settle();
    } catch {
      if (abandoned()) return;
      this.buffer = undefined;
      setTimeout(() => !abandoned() && void this.resync(), Math.max(5, this.maxStaleness / 4)).unref();
    }
  }
}
