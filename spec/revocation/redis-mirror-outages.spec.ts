import { expect } from 'chai';
import { Cluster, Redis } from 'ioredis';
import { claimsOf, mastersOf, storeInstance, within } from '../helpers/mirror';
import { OwnRedisCluster, OwnRedisServer, redisServerBinary } from '../helpers/redis-server';
import { describeOnRedis, type RedisClient, redisTargets, uniquePrefix } from '../helpers/redis-targets';

describeOnRedis('A mirrored RedisRevocationStore whose subscription drops', (target) => {
  it('asks Redis while it is not subscribed, and loads again before it answers from memory: a revocation made in the gap is refused', async () => {
    const prefix = uniquePrefix('mirror-gap');
    const mirror = storeInstance(target.connect(), prefix, { store: { mirror: true } });
    const plain = storeInstance(target.connect(), prefix);
    const admin = target.connect();
    try {
      await mirror.store.ready();
      const token = plain.manager.createAccessToken({ data: { sub: 'john@example.com' } });
      await mirror.me(token).expect(200);
      for (const node of mastersOf(admin)) await node.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
      await plain.manager.revoke(token);
      // Published to nobody: the mirror was not subscribed when it was made.
      let listening = 0;
      for (const node of mastersOf(admin)) {
        listening += Number(((await node.pubsub('NUMSUB', `${prefix}changes`)) as [string, number])[1]);
      }
      expect(listening).to.equal(0);
      const answers = new Set<number>();
      await within(5000, 'the mirror refused the token', async () => {
        const { status } = await mirror.me(token);
        answers.add(status);
        return status === 401;
      });
      expect([...answers]).not.to.include(200);
      // Answered from memory again (synchronously), the gap's revocation in it.
      await within(5000, 'the mirror answered from memory again', () => {
        const found = mirror.store.lookup('john@example.com', claimsOf(token).jti, undefined);
        return !(found instanceof Promise) && found.revoked;
      });
    } finally {
      await mirror.close();
    }
  });
});

// Redis frozen (SIGSTOP) and let go on (SIGCONT): servers of the spec's own, never the shared ones.
const binary = redisServerBinary();
const single = redisTargets().find((target) => !target.cluster);
const cluster = redisTargets().find((target) => target.cluster);
const deployments: { name: string; configured: boolean; start(): Promise<Frozen> }[] = [
  {
    name: 'its own single Redis',
    configured: Boolean(single?.configured && binary),
    async start() {
      const server = await OwnRedisServer.start(binary as string);
      return {
        client: new Redis(server.url),
        pause: () => server.pause(),
        resume: () => server.resume(),
        stop: () => server.stop(),
      };
    },
  },
  {
    name: 'its own Redis Cluster',
    configured: Boolean(cluster?.configured && binary),
    async start() {
      const own = OwnRedisCluster.start();
      return {
        client: new Cluster(own.seeds),
        pause: () => own.signal('SIGSTOP'),
        resume: () => own.signal('SIGCONT'),
        stop: async () => own.stop(),
      };
    },
  },
];

interface Frozen {
  client: RedisClient;
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

for (const deployment of deployments) {
  const title = `A mirrored RedisRevocationStore on ${deployment.name} when it freezes (SIGSTOP) and goes on (SIGCONT)`;
  (deployment.configured ? describe : describe.skip)(
    deployment.configured
      ? title
      : `${title} (set REDIS_URL, or REDIS_CLUSTER_NODES for the cluster; needs redis-server)`,
    function () {
      this.timeout(60_000);
      let redis: Frozen;
      before(async () => {
        redis = await deployment.start();
      });
      after(async () => {
        redis?.resume();
        redis?.client.disconnect();
        await redis?.stop();
      });

      it('answers 503 within storeTimeout, never from a copy it cannot vouch for, and recovers by itself', async () => {
        const timeout = 300;
        const options = { store: { mirror: { maxStaleness: timeout } }, storeTimeout: timeout };
        const mirror = storeInstance(redis.client, uniquePrefix('mirror-frozen'), options);
        try {
          await mirror.store.ready();
          const token = mirror.manager.createAccessToken({ data: { sub: 'john@example.com' } });
          await mirror.me(token).expect(200);
          redis.pause();
          // Trusted for at most maxStaleness after the last heartbeat; then asked of Redis, for storeTimeout at most.
          await within(2 * timeout + 2000, 'a 503', async () => (await mirror.me(token)).status === 503);
          for (let i = 0; i < 3; i += 1) {
            const started = performance.now();
            const answer = await mirror.me(token);
            expect(answer.status).to.equal(503);
            expect(answer.body).to.include({ code: 'store_unavailable' });
            expect(performance.now() - started).to.be.below(timeout + 2000);
          }
          redis.resume();
          await within(10_000, 'recovered', async () => (await mirror.me(token)).status === 200);
          expect(mirror.logs.errors).to.have.length(1);
          expect(mirror.logs.warnings).to.have.length(1);
        } finally {
          redis.resume();
          await mirror.close();
        }
      });
    },
  );
}
