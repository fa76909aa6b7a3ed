/**
 * The Redis deployments the Redis specs run on, so that a spec written once runs on each of them:
 *
 * - a single Redis, when `REDIS_URL` is set (`redis://127.0.0.1:6390`), through ioredis `Redis`;
 * - a three-master Redis Cluster, when `REDIS_CLUSTER_NODES` is set (`127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3`,
 *   its seed nodes), through ioredis `Cluster`.
 *
 * `.ci/run` sets both. By hand: `eval "$(.ci/redis-cluster start)"` starts a cluster and exports
 * `REDIS_CLUSTER_NODES`; `.ci/redis-cluster stop "$REDIS_CLUSTER_DIR"` stops it. A target that is not set
 * is reported as pending, saying how to set it.
 *
 * A new Redis spec:
 *
 *     describeOnRedis('MyStore', (target) => {
 *       let client: RedisClient;
 *       before(() => { client = target.connect(); }); // every client connected here is closed after the block
 *       it('...', async () => { ... new MyStore(client, { prefix: uniquePrefix('my-store') }) ... });
 *     });
 *
 * gives "MyStore on a single Redis (redis://…)" and "MyStore on a Redis Cluster (…)". Keep the body free of
 * Redis work outside hooks and tests: for a target that is not set it still runs, to list its tests as pending.
 * Use `target.cluster` for what differs (ioredis sets `client.isCluster` too). On a cluster, the keys one
 * command touches must hash to one slot (`CROSSSLOT` otherwise): give them a common hash tag, `{...}`.
 */
import { Cluster, Redis } from 'ioredis';

/** What `connect()` gives: both speak the same commands, routed to the right node by a `Cluster`. */
export type RedisClient = Redis | Cluster;

export interface RedisTarget {
  /** True for the Redis Cluster. */
  cluster: boolean;
  /** For titles: `a single Redis (redis://…)` or `a Redis Cluster (127.0.0.1:…, …)`. */
  name: string;
  /** Whether the environment names this target; if not, its specs are pending with `howToRun`. */
  configured: boolean;
  /** How to run the specs of this target, for the pending title. */
  howToRun: string;
  /** A new client of this target (closed by `describeOnRedis` after its block). */
  connect(): RedisClient;
}

const open = new Set<RedisClient>();

function track<T extends RedisClient>(client: T): T {
  open.add(client);
  client.once('end', () => open.delete(client));
  return client;
}

/** The single Redis and the Redis Cluster, configured or not. */
export function redisTargets(): RedisTarget[] {
  const url = process.env.REDIS_URL;
  const seeds = (process.env.REDIS_CLUSTER_NODES ?? '')
    .split(',')
    .map((seed) => seed.trim())
    .filter(Boolean)
    .map((seed) => ({
      host: seed.slice(0, seed.lastIndexOf(':')),
      port: Number(seed.slice(seed.lastIndexOf(':') + 1)),
    }));
  return [
    {
      cluster: false,
      name: url ? `a single Redis (${url})` : 'a single Redis',
      configured: Boolean(url),
      howToRun: 'pending: set REDIS_URL=redis://127.0.0.1:6379 (a running redis-server) or run .ci/run',
      connect: () => track(new Redis(url as string)),
    },
    {
      cluster: true,
      name: seeds.length ? `a Redis Cluster (${process.env.REDIS_CLUSTER_NODES})` : 'a Redis Cluster',
      configured: seeds.length > 0,
      howToRun:
        'pending: set REDIS_CLUSTER_NODES=127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3 (eval "$(.ci/redis-cluster start)") or run .ci/run',
      connect: () => track(new Cluster(seeds)),
    },
  ];
}

/** Closes every client `connect()` gave that is still open. */
export async function closeRedisClients(): Promise<void> {
  await Promise.all([...open].map((client) => client.quit().catch(() => client.disconnect())));
  open.clear();
}

/** `describe(title on <target>)` for each target, pending (with how to run it) for a target that is not set. */
export function describeOnRedis(title: string, body: (target: RedisTarget) => void): void {
  for (const target of redisTargets()) {
    if (!target.configured) {
      describe.skip(`${title} on ${target.name} (${target.howToRun})`, () => body(target));
      continue;
    }
    describe(`${title} on ${target.name}`, () => {
      after(closeRedisClients);
      body(target);
    });
  }
}

let prefixes = 0;

/** A key prefix no other run or spec uses, so specs on one shared server never see each other's keys. */
export function uniquePrefix(name: string): string {
  prefixes += 1;
  return `rcl-test:${name}:${process.pid}:${Date.now()}:${prefixes}:`;
}
