import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { Get, JsonController } from 'routing-controllers';
import { LoggedIn, LoginManager, RedisRevocationStore, type RotationRequest, User } from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { appWith } from '../helpers/app';
import { frozenClock } from '../helpers/clock';
import { HS256_SECRET } from '../helpers/keys';
import { OwnRedisServer, redisServerBinary } from '../helpers/redis-server';
import {
  describeOnRedis,
  type RedisClient,
  type RedisTarget,
  redisTargets,
  uniquePrefix,
} from '../helpers/redis-targets';
import { type Account, accountLoader } from '../helpers/users';
import { storeContract } from './store-contract';

const users = accountLoader();
const DAY = 86_400_000;

/** The key base of a user, as the store makes it: the prefix and a hash tag of the user's digest. */
const baseOf = (prefix: string, sub: string) =>
  `${prefix}{${createHash('sha256').update(sub).digest('base64url').slice(0, 22)}}:`;

@LoggedIn()
@Service()
@JsonController('/redis')
class RedisGuardedController {
  @Get('/me')
  me(@User() user: Account) {
    return { email: user.email };
  }
}

/** An app instance: its own manager, its own Redis connection, the same server and secret as its siblings. */
function instance(client: RedisClient, prefix: string, storeTimeout = 1000) {
  const logs = { errors: [] as string[], warnings: [] as string[] };
  const manager = new LoginManager<Account>({
    secret: HS256_SECRET,
    tokenUrl: '/t',
    userLoader: users.load,
    revocationStore: new RedisRevocationStore(client, { prefix }),
    storeTimeout,
    logger: {
      error: (message: string) => void logs.errors.push(message),
      warn: (m: string) => void logs.warnings.push(m),
    },
  });
  const app = appWith(manager, { controllers: [RedisGuardedController] });
  const me = (token: string) => request(app).get('/redis/me').set('Authorization', `Bearer ${token}`);
  return { client, manager, app, me, logs };
}

/** The keys of one user: on a Cluster, asked of every master (one of them holds the user's slot). */
async function keysOf(client: RedisClient, base: string): Promise<string[]> {
  const nodes = 'nodes' in client ? client.nodes('master') : [client];
  return (await Promise.all(nodes.map((node) => node.keys(`${base}*`)))).flat();
}

/** `client`, counting the commands sent through it. */
function counting(client: RedisClient) {
  const calls: string[] = [];
  const proxy = new Proxy(client, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function' || typeof name !== 'string' || !/^eval/.test(name)) return value;
      return (...args: unknown[]) => {
        calls.push(name);
        return value.apply(target, args);
      };
    },
  });
  return { proxy, calls };
}

describeOnRedis('RedisRevocationStore', (target) => {
  const prefix = () => uniquePrefix('revocation');
  let a: ReturnType<typeof instance>;
  let b: ReturnType<typeof instance>;

  before(() => {
    const shared = prefix();
    a = instance(target.connect(), shared);
    b = instance(target.connect(), shared);
  });

  describe('the RevocationStore contract', () => {
    storeContract(() => {
      const clock = frozenClock();
      return { store: new RedisRevocationStore(a.client, { prefix: prefix(), clock: clock.now }), clock };
    });
  });

  it('gives every key a TTL until the time it was given, the user in a hash tag and no email in a key name', async () => {
    const own = prefix();
    const store = new RedisRevocationStore(a.client, { prefix: own });
    const now = Date.now();
    await store.revoke('ann@example.com', 'jti-1', now + 60_000);
    await store.revokeAll('bob@example.com', now, now + 5_000, now + 5_000);
    const session = { id: 'fam-1', started: now, refreshed: now, generation: 0 };
    await store.startSession('ann@example.com', session, now + 30_000, 20, now + 30_000);
    const ann = baseOf(own, 'ann@example.com');
    expect(await a.client.pttl(`${ann}r:jti-1`)).to.be.within(58_000, 60_000);
    expect(await a.client.pttl(`${baseOf(own, 'bob@example.com')}c`)).to.be.within(3_000, 5_000);
    expect(await a.client.pttl(`${ann}s:fam-1`)).to.be.within(28_000, 30_000);
    expect(await a.client.pttl(`${ann}i`)).to.be.within(28_000, 30_000);
    const keys = [...(await keysOf(a.client, ann)), ...(await keysOf(a.client, baseOf(own, 'bob@example.com')))];
    expect(keys).to.have.length(4);
    expect(keys.join(' ')).not.to.include('example.com');
  });

  it('answers a request in one command, for a plain token and for a token of a login', async () => {
    const { proxy, calls } = counting(a.client);
    const store = new RedisRevocationStore(proxy, { prefix: prefix() });
    await store.lookup('warm@example.com', 'jti', undefined); // Redis learns the script (EVALSHA, then EVAL)
    calls.length = 0;
    await store.lookup('ann@example.com', 'jti', undefined);
    await store.lookup('ann@example.com', 'jti', 'fam');
    expect(calls).to.deep.equal(['evalsha', 'evalsha']);
  });

  it('holds the same two keys for a login however often it rotates', async () => {
    const own = prefix();
    const store = new RedisRevocationStore(a.client, { prefix: own });
    const now = Date.now();
    const rotation = (generation: number): RotationRequest => ({
      family: 'fam',
      generation,
      now: now + generation,
      graceMs: 30_000,
      keepUntil: now + DAY,
      endedUntil: now + DAY,
      limit: 20,
    });
    await store.rotate('ann@example.com', rotation(0));
    const base = baseOf(own, 'ann@example.com');
    const afterOne = await keysOf(a.client, base);
    const pipeline = [];
    for (let generation = 1; generation <= 2000; generation += 1) {
      pipeline.push(store.rotate('ann@example.com', rotation(generation)));
    }
    expect(new Set((await Promise.all(pipeline)).map((o) => o.outcome))).to.deep.equal(new Set(['rotated']));
    expect((await keysOf(a.client, base)).sort()).to.deep.equal(afterOne.sort());
    expect(afterOne).to.have.length(2);
  });

  it('lets exactly one of concurrent refreshes on two connections rotate', async () => {
    const own = prefix();
    const stores = [a, b].map((side) => new RedisRevocationStore(side.client, { prefix: own }));
    const now = Date.now();
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (stores[i % 2] as RedisRevocationStore).rotate('ann@example.com', {
          family: 'fam',
          generation: 0,
          now,
          graceMs: 0,
          keepUntil: now + DAY,
          endedUntil: now + DAY,
          limit: 20,
        }),
      ),
    );
    expect(outcomes.filter((o) => o.outcome === 'rotated')).to.have.length(1);
    expect(outcomes.filter((o) => o.outcome === 'reused')).to.have.length(1);
    expect(outcomes.filter((o) => o.outcome === 'ended')).to.have.length(18);
  });

  it('treats a value it did not write as an outage (503, logged once), never as "not revoked"', async () => {
    const own = prefix();
    const app = instance(target.connect(), own);
    {
      const token = app.manager.createAccessToken({ data: { sub: 'john@example.com' } });
      await app.me(token).expect(200);
      const base = baseOf(own, 'john@example.com');
      for (const write of [
        () => app.client.set(`${base}c`, 'not-a-number'),
        () => app.client.set(`${base}c`, '-Infinity'),
        () => app.client.set(`${base}c`, ''),
        async () => {
          await app.client.del(`${base}c`);
          await app.client.hset(`${base}c`, 'x', '1');
        },
      ]) {
        await write();
        const refused = await app.me(token).expect(503);
        expect(refused.body).to.include({ code: 'store_unavailable' });
      }
      await app.client.del(`${base}c`);
      await app.me(token).expect(200);
      // A login's record whose generation is not a number, and a refused id that is not "1".
      const { accessToken } = await app.manager.createTokens({ data: { sub: 'john@example.com' } });
      const family = (
        JSON.parse(Buffer.from(accessToken.split('.')[1] as string, 'base64url').toString()) as {
          fam: string;
        }
      ).fam;
      await app.client.hset(`${base}s:${family}`, 'g', 'x', 'r', '1');
      await app.me(accessToken).expect(503);
      await app.client.del(`${base}s:${family}`);
      await app.me(accessToken).expect(200);
      await app.client.set(`${base}r:${family}`, 'yes');
      await app.me(accessToken).expect(503);
      expect(app.logs.errors).to.have.length(1);
      expect(app.logs.errors[0]).to.match(/not one the library wrote/);
    }
  });

  it('refuses on instance B a token revoked through instance A', async () => {
    const token = a.manager.createAccessToken({ data: { sub: 'john@example.com' } });
    await b.me(token).expect(200);
    await a.manager.revoke(token);
    await b.me(token).expect(401);
    await a.me(token).expect(401);
  });

  it('shares revokeAllFor between instances, and accepts tokens issued afterwards', async () => {
    const old = b.manager.createAccessToken({ data: { sub: 'jane@example.com' } });
    await new Promise((resolve) => setTimeout(resolve, 2));
    await a.manager.revokeAllFor('jane@example.com');
    await new Promise((resolve) => setTimeout(resolve, 2));
    await b.me(old).expect(401);
    await b.me(b.manager.createAccessToken({ data: { sub: 'jane@example.com' } })).expect(200);
  });
});

// A server of its own that it stops and starts again: one node (a cluster's failover is another story).
const single = redisTargets().find((candidate) => !candidate.cluster) as RedisTarget;
const binary = redisServerBinary();
const describeWithServer = single.configured && binary ? describe : describe.skip;

describeWithServer(
  `RedisRevocationStore on its own single Redis when it stops and comes back${single.configured && binary ? '' : ` (${single.howToRun}; needs redis-server on PATH)`}`,
  function () {
    this.timeout(30_000);
    let server: OwnRedisServer;
    let app: ReturnType<typeof instance>;

    before(async () => {
      server = await OwnRedisServer.start(binary as string);
      app = instance(new Redis(server.url, { retryStrategy: () => 50 }), 'outage:', 300);
      await new Promise((resolve) => app.client.once('ready', resolve));
    });
    after(async () => {
      app?.client.disconnect();
      await server?.stop();
    });

    it('answers 503 within the timeout while Redis is down, accepting nothing, and logs in again once it is back', async () => {
      const valid = app.manager.createAccessToken({ data: { sub: 'john@example.com' } });
      await app.me(valid).expect(200);

      await server.stop();
      for (let i = 0; i < 3; i += 1) {
        const started = Date.now();
        await app.me(valid).expect(503);
        expect(Date.now() - started).to.be.below(2_000);
      }
      const refused = await app.manager.getCurrentUser(valid).catch((e: { code: string }) => e.code);
      expect(refused).to.equal('store_unavailable');

      await server.restart();
      const deadline = Date.now() + 10_000;
      let status = 0;
      while (Date.now() < deadline && status !== 200) {
        status = (await app.me(valid)).status;
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(status).to.equal(200);
      expect(app.logs.errors).to.have.length(1);
      expect(app.logs.warnings).to.have.length(1);
    });
  },
);
