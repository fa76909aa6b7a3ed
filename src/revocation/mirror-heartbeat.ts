/** A master of the deployment, to publish heartbeats through. */
export interface HeartbeatNode {
  publish(channel: string, message: string): Promise<unknown>;
}

/** A master and its name (`host:port`, or one name for a single Redis). */
export interface Master<T extends HeartbeatNode = HeartbeatNode> {
  key: string;
  node: T;
}

/** Rounds sent to a node and not heard back yet, oldest first; more than this is a stall, not a delay. */
const MAX_PENDING = 64;

/**
 * How current a mirror's feed is. Each round, the mirror PUBLISHes `<node> <round>` on its own heartbeat
 * channel through every master. Pub/sub keeps a node's order (a subscriber on another node hears it over
 * that node's one cluster-bus link), so a heartbeat heard back proves that every change that node
 * published before it was heard too: the feed is complete as of the oldest of the latest heartbeats heard
 * from each master (`confirmedAt`). A round heard after a later one of the same node was skipped, or a set
 * of masters that changed, means a change may have been lost: `send` and `received` say so, and the mirror
 * loads again. Times are `performance.now()`.
 */
export class Heartbeats {
  private round = 0;
  private nodes: string[] = [];
  private readonly pending = new Map<string, { round: number; sentAt: number }[]>();
  private readonly confirmed = new Map<string, number>();
  /** Every change published before this time has been heard; `-Infinity` while unknown. */
  confirmedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly channel: string) {}

  /** Sends one round through `nodes`; false when they are not the masters of the previous round. */
  send(masters: Master[], now: number): boolean {
    const keys = masters.map((master) => master.key).sort();
    const same = keys.join(',') === this.nodes.join(',');
    this.nodes = keys;
    this.round += 1;
    for (const { key, node } of masters) {
      const queue = this.pending.get(key) ?? [];
      this.pending.set(key, queue);
      const sent = { round: this.round, sentAt: now };
      queue.push(sent);
      if (queue.length > MAX_PENDING) queue.shift();
      // A round that was not sent is not waited for; its successor is not taken for a loss.
      node.publish(this.channel, `${key} ${this.round}`).catch(() => {
        const index = queue.indexOf(sent);
        if (index >= 0) queue.splice(index, 1);
      });
    }
    if (!same) this.update();
    return same;
  }

  /** A heartbeat heard; false when an earlier round of that node was skipped (a change may have been too). */
  received(message: string): boolean {
    const space = message.lastIndexOf(' ');
    const queue = this.pending.get(message.slice(0, space));
    const round = Number(message.slice(space + 1));
    if (!queue?.length || !((queue[0]?.round as number) <= round)) return true;
    let skipped = false;
    while (queue.length && (queue[0]?.round as number) < round) {
      queue.shift();
      skipped = true;
    }
    const heard = queue[0]?.round === round ? queue.shift() : undefined;
    if (heard) {
      this.confirmed.set(message.slice(0, space), heard.sentAt);
      this.update();
    }
    return !skipped;
  }

  /** The feed is subscribed again: rounds sent before may be lost without meaning anything. */
  forgetPending(): void {
    this.pending.clear();
  }

  /** A load of the masters `keys` that started at `at` is in: the feed is complete as of `at` for every one. */
  loaded(at: number, keys: string[]): void {
    this.nodes = [...keys].sort();
    for (const key of this.nodes) this.confirmed.set(key, Math.max(this.confirmed.get(key) ?? at, at));
    this.update();
  }

  private update(): void {
    let oldest = this.nodes.length ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    for (const key of this.nodes) oldest = Math.min(oldest, this.confirmed.get(key) ?? Number.NEGATIVE_INFINITY);
    this.confirmedAt = oldest;
  }
}
