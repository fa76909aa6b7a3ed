/**
 * How long a revocation takes to reach another mirrored instance (`RedisRevocationStore` with `mirror`),
 * and how long a mirror takes to load: `REDIS_URL=redis://127.0.0.1:6379 node build/bench/mirror-delay.js`
 * (or `REDIS_CLUSTER_NODES=host:port,...` for a Cluster) after `npm run build && npm run build:test`.
 * Not part of `npm run bench` (it needs Redis); the README's "Several instances" quotes its output.
 *
 * Two stores on their own connections, one prefix: A revokes (one Lua script, which publishes the change),
 * B, mirrored, is polled (`lookup`, synchronous, from memory) after every turn of the event loop until it
 * refuses. The delay is from A's call to B's first refusal, and from A's reply (the revoking request done) to
 * it. Then a third store loads `BENCH_MIRROR_ENTRIES` entries (refused ids) at start.
 *
 * Environment: BENCH_MIRROR_REVOCATIONS [2000], BENCH_MIRROR_ENTRIES [100000; 0 skips the load].
 */
import { Cluster, Redis } from 'ioredis';
import { RedisRevocationStore } from 'routing-controllers-login';

const env = process.env;
const revocations = Number(env.BENCH_MIRROR_REVOCATIONS ?? 2000);
const entries = Number(env.BENCH_MIRROR_ENTRIES ?? 100_000);

function connect(): Redis | Cluster {
  const seeds = env.REDIS_CLUSTER_NODES?.split(',').filter(Boolean);
  if (seeds?.length) {
    return new Cluster(seeds.map((seed) => ({ host: seed.split(':')[0], port: Number(seed.split(':')[1]) })));
  }
  if (!env.REDIS_URL) throw new Error('set REDIS_URL (or REDIS_CLUSTER_NODES)');
  return new Redis(env.REDIS_URL);
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

function percentiles(name: string, values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number).toFixed(3);
  return `${name}: median ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms (${values.length} revocations)`;
}

async function delays(prefix: string): Promise<void> {
  const a = new RedisRevocationStore(connect(), { prefix });
  const b = new RedisRevocationStore(connect(), { prefix, mirror: true });
  await b.ready();
  const fromCall: number[] = [];
  const fromReply: number[] = [];
  for (let i = 0; i < revocations; i += 1) {
    const started = performance.now();
    let replied = Number.NaN;
    const done = a.revoke('user@example.com', `jti-${i}`, Date.now() + 60_000).then(() => {
      replied = performance.now();
    });
    for (;;) {
      const found = await b.lookup('user@example.com', `jti-${i}`, undefined);
      if (found.revoked) break;
      await turn();
    }
    const seen = performance.now();
    await done;
    fromCall.push(seen - started);
    fromReply.push(Math.max(0, seen - replied));
  }
  console.log(percentiles('revoke called on A → refused on B', fromCall));
  console.log(percentiles("A's reply → refused on B", fromReply));
  await b.close();
}

async function load(prefix: string): Promise<void> {
  const writer = new RedisRevocationStore(connect(), { prefix });
  for (let i = 0; i < entries; i += 1000) {
    const batch = Array.from({ length: Math.min(1000, entries - i) }, (_, j) =>
      writer.revoke(`user-${(i + j) % 5000}@example.com`, `jti-${i + j}`, Date.now() + 600_000),
    );
    await Promise.all(batch);
  }
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const mirror = new RedisRevocationStore(connect(), { prefix, mirror: true });
  await mirror.ready();
  const ms = performance.now() - started;
  const mib = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  console.log(`load of ${mirror.mirrorSize} entries: ${ms.toFixed(0)} ms, heap +${mib.toFixed(1)} MiB (before GC)`);
  await mirror.close();
}

async function main(): Promise<void> {
  const prefix = `rcl-bench:mirror:${process.pid}:${Date.now()}:`;
  await delays(prefix);
  if (entries > 0) await load(`${prefix}load:`);
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
