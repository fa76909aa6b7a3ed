import { expect } from 'chai';
import { Redis } from 'ioredis';
import { Get, JsonController } from 'routing-controllers';
import { LoggedIn, LoginManager, RedisRevocationStore, User } from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { appWith } from '../helpers/app';
import { HS256_SECRET } from '../helpers/keys';
import { OwnRedisServer, redisServerBinary } from '../helpers/redis-server';
import { type Account, accountLoader } from '../helpers/users';

const REDIS_URL = process.env.REDIS_URL;
const HOW_TO_RUN = 'pending: set REDIS_URL=redis://127.0.0.1:6379 (a running redis-server) or run .ci/run';
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
function instance(url: string, prefix: string, storeTimeout = 1000) {
  const client = new Redis(url, { retryStrategy: () => 50 });
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

const describeWithRedis = REDIS_URL ? describe : describe.skip;

describeWithRedis(`RedisRevocationStore against a real Redis (${REDIS_URL ? REDIS_URL : HOW_TO_RUN})`, () => {
  const url = REDIS_URL as string;
  const prefix = `rcl-test:${process.pid}:${Date.now()}:`;
  let a: ReturnType<typeof instance>;
  let b: ReturnType<typeof instance>;

  before(() => {
    a = instance(url, prefix);
    b = instance(url, prefix);
  });
  after(async () => {
    await Promise.all([a.client.quit(), b.client.quit()]);
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

  it('reads a revocation and a cut-off in one MGET, and apart on a cluster or a client without mget', async () => {
    const calls: string[] = [];
    const counted = (extra: Record<string, unknown> = {}) =>
      new Proxy(a.client, {
        get(target, name, receiver) {
          if (name in extra) return extra[name as string];
          const value = Reflect.get(target, name, receiver);
          if (typeof value !== 'function' || typeof name !== 'string') return value;
          return (...args: unknown[]) => {
            calls.push(name);
            return value.apply(target, args);
          };
        },
      });
    const now = Date.now();
    const seed = new RedisRevocationStore(a.client, { prefix });
    await seed.add('lookup-jti', now + 60_000);
    await seed.setCutoff('lookup@example.com', 42, now + 60_000);
    for (const [client, expected] of [
      [counted(), ['mget']],
      [counted({ isCluster: true }), ['exists', 'get']],
      [counted({ mget: undefined }), ['exists', 'get']],
    ] as const) {
      const store = new RedisRevocationStore(client, { prefix });
      calls.length = 0;
      expect(await store.lookup('lookup-jti', 'lookup@example.com')).to.deep.equal({ revoked: true, cutoff: 42 });
      expect(await store.lookup('other-jti', 'nobody@example.com')).to.deep.equal({
        revoked: false,
        cutoff: undefined,
      });
      expect([...new Set(calls.filter((name) => name !== 'on' && name !== 'listenerCount'))].sort()).to.deep.equal(
        expected,
      );
    }
  });

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

const binary = redisServerBinary();
const describeWithServer = REDIS_URL && binary ? describe : describe.skip;

describeWithServer(
  `RedisRevocationStore when Redis stops and comes back${REDIS_URL && binary ? '' : ` (${HOW_TO_RUN}; needs redis-server on PATH)`}`,
  function () {
    this.timeout(30_000);
    let server: OwnRedisServer;
    let app: ReturnType<typeof instance>;

    before(async () => {
      server = await OwnRedisServer.start(binary as string);
      app = instance(server.url, 'outage:', 300);
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
