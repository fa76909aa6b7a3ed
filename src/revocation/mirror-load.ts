import type { MirrorCopy } from './mirror-copy';
import { entryChange, splitKey } from './mirror-feed';
import { READ_ENTRY } from './redis-scripts';

/** A master as the load reads it: an ioredis `Redis` (a single Redis, or one node of a `Cluster`). */
export interface LoadNode {
  scan(cursor: string, match: 'MATCH', pattern: string, count: 'COUNT', n: number): Promise<[string, string[]]>;
  eval(script: string, numberOfKeys: number, ...args: string[]): Promise<unknown>;
  evalsha?(sha1: string, numberOfKeys: number, ...args: string[]): Promise<unknown>;
}

/** Keys a `SCAN` call asks for at a time. */
const SCAN_COUNT = 1000;

/** `prefix` as a literal in a `SCAN MATCH` pattern. */
const literal = (prefix: string) => prefix.replace(/[*?[\]\\]/g, '\\$&');

async function readEntry(node: LoadNode, key: string): Promise<unknown> {
  if (node.evalsha) {
    try {
      return await node.evalsha(READ_ENTRY.sha, 1, key);
    } catch (error) {
      if (!String((error as Error)?.message).startsWith('NOSCRIPT')) throw error;
    }
  }
  return node.eval(READ_ENTRY.text, 1, key);
}

/**
 * Reads every key of the store under `prefix` on every master into `copy`: `SCAN` (each node holds its
 * own slots), then one read of each key's value and TTL, a page of keys at a time. Not a snapshot: what
 * changes meanwhile also comes through the feed, which the mirror buffers from before the load and
 * applies after it. Stops early, unfinished, once `abandoned()` says a newer load has begun.
 */
export async function loadInto(copy: MirrorCopy, nodes: LoadNode[], prefix: string, abandoned: () => boolean) {
  const pattern = `${literal(prefix)}{*`;
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_COUNT);
      if (abandoned()) return;
      const entries = keys.flatMap((key) => {
        const split = splitKey(prefix, key);
        return split && split.rest !== 'i' ? [{ key, ...split }] : [];
      });
      const replies = await Promise.all(entries.map(({ key }) => readEntry(node, key)));
      entries.forEach(({ digest, rest }, i) => {
        const change = entryChange(rest, replies[i]);
        if (change) copy.apply(digest, change);
      });
      cursor = next;
    } while (cursor !== '0');
  }
}
