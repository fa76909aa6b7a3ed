import { expect } from 'chai';
import { Redis } from 'ioredis';
import { Get, JsonController } from 'routing-controllers';
import { LoggedIn, LoginManager, RedisRevocationStore, User } from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { appWith } from '../helpers/app';
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

const users = accountLoader();

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

describeOnRedis('RedisRevocationStore', (target) => {
  const prefix = uniquePrefix('revocation');
  let a: ReturnType<typeof instance>;
  let b: ReturnType<typeof instance>;

  before(() => {
    a = instance(target.connect(), prefix);
    b = instance(target.connect(), prefix);
  });

  it('stores a revocation with a TTL equal to the token remaining lifetime', async () => {
    const store = new RedisRevocationStore(a.client, { prefix });
    await store.add('jti-1', Date.now() + 60_000);
    expect(await store.has('jti-1')).to.equal(true);
    expect(await store.has('jti-2')).to.equal(false);
    const ttl = await a.client.pttl(`${prefix}jti:jti-1`);
    expect(ttl).to.be.within(58_000, 60_000);
  });

  it('does not store what has already expired', async () => {
    const store = new RedisRevocationStore(a.client, { prefix });
    await store.add('gone', Date.now() - 1);
    expect(await a.client.exists(`${prefix}jti:gone`)).to.equal(0);
  });

  it('stores cut-offs with their TTL', async () => {
    const store = new RedisRevocationStore(a.client, { prefix });
    await store.setCutoff('user@example.com', 1_234_567, Date.now() + 5_000);
    expect(await store.cutoff('user@example.com')).to.equal(1_234_567);
    expect(await store.cutoff('nobody@example.com')).to.equal(undefined);
    expect(await a.client.pttl(`${prefix}sub:user@example.com`)).to.be.within(3_000, 5_000);
  });

  /** `a.client`, counting the commands called through it; `extra` overrides some of its members. */
  const counted = (calls: string[], extra: Record<string, unknown> = {}) =>
    new Proxy(a.client, {
      get(client, name, receiver) {
        if (name in extra) return extra[name as string];
        const value = Reflect.get(client, name, receiver);
        if (typeof value !== 'function' || typeof name !== 'string') return value;
        return (...args: unknown[]) => {
          calls.push(name);
          return value.apply(client, args);
        };
      },
    });

  /** The commands each store made for a revoked token with a cut-off, then for one without either. */
  async function lookupCommands(clients: (calls: string[]) => RedisClient[], jti = 'lookup-jti') {
    const now = Date.now();
    const seed = new RedisRevocationStore(a.client, { prefix });
    await seed.add(jti, now + 60_000);
    await seed.setCutoff('lookup@example.com', 42, now + 60_000);
    const calls: string[] = [];
    const used: string[][] = [];
    for (const client of clients(calls)) {
      const store = new RedisRevocationStore(client, { prefix });
      calls.length = 0;
      expect(await store.lookup(jti, 'lookup@example.com')).to.deep.equal({ revoked: true, cutoff: 42 });
      expect(await store.lookup('other-jti', 'nobody@example.com')).to.deep.equal({
        revoked: false,
        cutoff: undefined,
      });
      used.push([...new Set(calls.filter((name) => name !== 'on' && name !== 'listenerCount'))].sort());
    }
    return used;
  }

  if (!target.cluster) {
    it('reads a revocation and a cut-off in one MGET, and apart on a cluster or a client without mget', async () => {
      const used = await lookupCommands((calls) => [
        counted(calls),
        counted(calls, { isCluster: true }),
        counted(calls, { mget: undefined }),
      ]);
      expect(used).to.deep.equal([['mget'], ['exists', 'get'], ['exists', 'get']]);
    });
  } else {
    it('reads a revocation and a cut-off apart, as the cluster refuses one MGET of keys in two slots (CROSSSLOT)', async () => {
      // A token id whose key is in another slot than the user's, as almost every one is.
      const subSlot = await a.client.cluster('KEYSLOT', `${prefix}sub:lookup@example.com`);
      let jti = 'lookup-jti';
      for (let n = 0; (await a.client.cluster('KEYSLOT', `${prefix}jti:${jti}`)) === subSlot; n += 1)
        jti = `lookup-jti-${n}`;
      const both = a.client.mget(`${prefix}jti:${jti}`, `${prefix}sub:lookup@example.com`);
      expect(
        await both.then(
          () => 'answered',
          (error: Error) => error.message,
        ),
      ).to.match(/^CROSSSLOT/);
      expect(await lookupCommands((calls) => [counted(calls)], jti)).to.deep.equal([['exists', 'get']]);
    });
  }

  it('retires a refresh token once across connections (SET NX), with the token lifetime as TTL', async () => {
    const stores = [a, b].map((side) => new RedisRevocationStore(side.client, { prefix }));
    const at = Date.now();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (stores[i % 2] as RedisRevocationStore).retire('r-1', at + i, at + 60_000)),
    );
    expect(results.filter((result) => result === undefined)).to.have.length(1);
    const first = await stores[0]?.retiredAt('r-1');
    expect(results.filter((result) => result === first)).to.have.length(9);
    expect(await a.client.pttl(`${prefix}retired:r-1`)).to.be.within(58_000, 60_000);
    expect(await stores[1]?.retiredAt('r-2')).to.equal(undefined);
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
const single = redisTargets().find((target) => !target.cluster) as RedisTarget;
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
