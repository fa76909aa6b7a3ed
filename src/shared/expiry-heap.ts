/** A key and the time it expires. */
export interface Expiry {
  key: string;
  expiresAt: number;
}

const earlier = (a: Expiry | undefined, b: Expiry | undefined): boolean =>
  a !== undefined && b !== undefined && a.expiresAt < b.expiresAt;

/** A binary min-heap of expiries: O(log n) to add, and the next one to expire always on top. */
export class ExpiryHeap<T extends Expiry = Expiry> {
  private readonly items: T[] = [];

  get length(): number {
    return this.items.length;
  }

  /** When the next item expires; `Infinity` when there is none (a check that costs nothing). */
  get nextExpiry(): number {
    return this.items[0]?.expiresAt ?? Number.POSITIVE_INFINITY;
  }

  push(item: T): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!earlier(item, items[parent])) break;
      items[i] = items[parent] as T;
      i = parent;
    }
    items[i] = item;
  }

  /** Removes and yields every item that has expired by `now`, earliest first. */
  *popExpired(now: number): Generator<T> {
    while (this.items.length && (this.items[0] as T).expiresAt <= now) yield this.pop();
  }

  private pop(): T {
    const items = this.items;
    const top = items[0] as T;
    const last = items.pop() as T;
    if (items.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const child = earlier(items[left + 1], items[left]) ? left + 1 : left;
      if (!earlier(items[child], last)) break;
      items[i] = items[child] as T;
      i = child;
    }
    items[i] = last;
    return top;
  }
}
