/** The connection a mirror subscribes on: an ioredis `Redis` made by `duplicate()`. */
interface Connection {
  status: string;
  subscribe(...channels: string[]): Promise<unknown>;
  on(event: 'message', listener: (channel: string, message: string) => void): unknown;
  on(event: 'ready' | 'close' | 'end', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  connect?(): Promise<unknown>;
  disconnect(): void;
}

/** Where a subscriber connection comes from: the single Redis, or one master of a Cluster. */
export interface SubscriberSource {
  duplicate(override?: Record<string, unknown>): Connection;
}

/** What the mirror is told: a message, a subscription (re)made, a subscription lost. */
export interface SubscriberEvents {
  message(channel: string, message: string): void;
  ready(): void;
  lost(): void;
}

/**
 * The mirror's own connection in subscribe mode, kept on one node: a plain `Redis`, even for a Cluster
 * (whose own subscriber moves between nodes without a word, which would hide a gap in the feed). Every
 * close is reported (`lost`) and every reconnection (`ready`), after which the mirror subscribes and
 * loads again. A Cluster node's connection does not reconnect by itself in ioredis, so this one is given a
 * retry strategy; one that ends (no more retries) is replaced, on the next master, at the next `check`.
 */
export class MirrorSubscriber {
  private connection: Connection | undefined;
  private turn = 0;
  private closed = false;

  constructor(
    private readonly sources: () => SubscriberSource[],
    private readonly channels: string[],
    private readonly events: SubscriberEvents,
    private readonly cluster: boolean,
  ) {}

  /** Whether the connection is up (a subscription made now takes effect). */
  get ready(): boolean {
    return this.connection?.status === 'ready';
  }

  /** Subscribes (again: idempotent); resolves once Redis has confirmed it. */
  async subscribe(): Promise<void> {
    if (!this.connection) throw new Error('no subscriber connection yet');
    await this.connection.subscribe(...this.channels);
  }

  /** Makes the connection if there is none yet (a Cluster whose masters are not known yet), or none left. */
  check(): void {
    if (this.closed || (this.connection && this.connection.status !== 'end')) return;
    const sources = this.sources();
    if (!sources.length) return;
    this.connection?.disconnect();
    const source = sources[this.turn++ % sources.length] as SubscriberSource;
    const connection = source.duplicate(
      this.cluster ? { retryStrategy: (times: number) => Math.min(times * 50, 1000), lazyConnect: false } : undefined,
    );
    this.connection = connection;
    connection.on('error', () => {}); // the outage shows as 503s, reported by the manager
    connection.on('message', (channel, message) => this.events.message(channel, message));
    connection.on('ready', () => this.events.ready());
    connection.on('close', () => this.events.lost());
    if (connection.status === 'wait') connection.connect?.().catch(() => {});
  }

  async close(): Promise<void> {
    this.closed = true;
    this.connection?.disconnect();
  }
}
