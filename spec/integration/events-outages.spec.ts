import { expect } from 'chai';
import { Redis } from 'ioredis';
import {
  LOGIN_EVENTS,
  LoginManager,
  MemoryRevocationStore,
  MemoryThrottleStore,
  RedisRevocationStore,
} from 'routing-controllers-login';
import request from 'supertest';
import { frozenClock } from '../helpers/clock';
import { onEveryServer } from '../helpers/drivers';
import { listen } from '../helpers/events';
import { EVENTS_CONTROLLERS, PASSWORD, SUB, setUp, useManager } from '../helpers/events-app';
import { startKeyServer } from '../helpers/key-server';
import { HS256_SECRET, keyPair } from '../helpers/keys';
import { OwnRedisServer, redisServerBinary } from '../helpers/redis-server';
import type { Account } from '../helpers/users';
import { recordingLogger } from '../helpers/verifier';

/** `store` whose every method throws while `down` is set, as a store does when its server is gone. */
function breakable<T extends object>(store: T): T & { down: boolean } {
  const state = { down: false };
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'down') return state.down;
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (state.down) throw new Error('connection refused (password=hunter2)');
        return value.apply(target, args);
      };
    },
    set(target, property, value) {
      if (property !== 'down') return Reflect.set(target, property, value);
      state.down = value as boolean;
      return true;
    },
  }) as T & { down: boolean };
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

onEveryServer('security events: outages, once when they start and once when they end', (server) => {
  let log: ReturnType<typeof listen>;
  beforeEach(() => {
    log = listen();
    log.secret(PASSWORD, HS256_SECRET, 'hunter2');
  });
  afterEach(() => log.stop());

  it(':store-outage of the revocation store: start with the first 503, end with the first answer', async () => {
    server.expectServerErrors();
    const store = breakable(new MemoryRevocationStore());
    const { manager } = setUp({ revocationStore: store });
    const app = server.app(manager, { controllers: EVENTS_CONTROLLERS });
    const token = manager.createAccessToken({ data: { sub: SUB } });
    log.secret(token);
    store.down = true;
    for (let i = 0; i < 3; i += 1) await request(app).get('/events/me').set(bearer(token)).expect(503);
    expect(log.of(LOGIN_EVENTS.storeOutage)).to.deep.equal([{ store: 'revocation', phase: 'start' }]);
    store.down = false;
    for (let i = 0; i < 2; i += 1) await request(app).get('/events/me').set(bearer(token)).expect(200);
    expect(log.of(LOGIN_EVENTS.storeOutage)).to.deep.equal([
      { store: 'revocation', phase: 'start' },
      { store: 'revocation', phase: 'end' },
    ]);
    log.expectNoSecret();
  });

  it(':store-outage of the throttle store, on the token route', async () => {
    server.expectServerErrors();
    const store = breakable(new MemoryThrottleStore());
    const { manager } = setUp({}, { store });
    const app = server.app(manager, { controllers: EVENTS_CONTROLLERS });
    const form = { username: SUB, password: PASSWORD };
    store.down = true;
    await request(app).post('/events/token').send(form).expect(503);
    store.down = false;
    log.secretsOf(await request(app).post('/events/token').send(form).expect(200));
    expect(log.of(LOGIN_EVENTS.storeOutage)).to.deep.equal([
      { store: 'throttle', phase: 'start' },
      { store: 'throttle', phase: 'end' },
    ]);
    log.expectNoSecret();
  });

  it(':key-source-outage: the JWK Set URL without its query, and whether keys are known', async () => {
    server.expectServerErrors();
    const rsa = keyPair('rsa');
    const issuer = new LoginManager({
      keys: [{ kid: 'k1', algorithm: 'RS256', privateKey: rsa.privatePem }],
      audience: 'events-api',
      tokenUrl: '/t',
    });
    const keys = await startKeyServer(issuer.jwks());
    try {
      keys.mode = 'down';
      const clock = frozenClock(Date.now()); // the issuer's tokens are stamped with the real time
      const verifier = new LoginManager<Account>({
        jwksUri: `${keys.jwksUri}?api_key=sekrit-key-of-the-idp`,
        audience: 'events-api',
        tokenUrl: '/t',
        userLoader: (sub) => ({ email: sub, name: sub }),
        clock: clock.now,
        logger: recordingLogger(),
      });
      useManager(verifier);
      log.secret('sekrit-key-of-the-idp');
      const app = server.app(verifier as LoginManager<unknown>, { controllers: EVENTS_CONTROLLERS });
      const token = issuer.createAccessToken({ data: { sub: SUB } });
      log.secret(token);
      await request(app).get('/events/me').set(bearer(token)).expect(503);
      expect(log.of(LOGIN_EVENTS.keySourceOutage)).to.deep.equal([
        { source: keys.jwksUri, phase: 'start', keysKnown: false },
      ]);
      keys.mode = 'ok';
      clock.advance(31_000); // past the cooldown between fetches
      await request(app).get('/events/me').set(bearer(token)).expect(200);
      expect(log.of(LOGIN_EVENTS.keySourceOutage)[1]).to.deep.equal({
        source: keys.jwksUri,
        phase: 'end',
        keysKnown: true,
      });
      log.expectNoSecret();
    } finally {
      await keys.close();
    }
  });
});

const binary = redisServerBinary();
(binary ? describe : describe.skip)(
  `security events: :store-outage of a real Redis that stops and comes back${binary ? '' : ' (needs redis-server on PATH)'}`,
  function () {
    this.timeout(30_000);
    let redis: OwnRedisServer;
    let client: Redis;
    before(async () => {
      redis = await OwnRedisServer.start(binary as string);
      client = new Redis(redis.url, { retryStrategy: () => 50 });
      await new Promise((resolve) => client.once('ready', resolve));
    });
    after(async () => {
      client?.disconnect();
      await redis?.stop();
    });

    it('publishes start when Redis stops answering and end when it answers again', async () => {
      const log = listen();
      try {
        const manager = new LoginManager<Account>({
          secret: HS256_SECRET,
          tokenUrl: '/t',
          userLoader: (sub) => ({ email: sub, name: sub }),
          revocationStore: new RedisRevocationStore(client, { prefix: 'events:' }),
          storeTimeout: 300,
          logger: recordingLogger(),
        });
        const token = manager.createAccessToken({ data: { sub: SUB } });
        log.secret(token, HS256_SECRET);
        await manager.getCurrentUser(token);
        await redis.stop();
        for (let i = 0; i < 3; i += 1) await manager.getCurrentUser(token).catch(() => undefined);
        expect(log.of(LOGIN_EVENTS.storeOutage)).to.deep.equal([{ store: 'revocation', phase: 'start' }]);
        await redis.restart();
        const deadline = Date.now() + 10_000;
        while (log.of(LOGIN_EVENTS.storeOutage).length < 2 && Date.now() < deadline) {
          await manager.getCurrentUser(token).catch(() => new Promise((resolve) => setTimeout(resolve, 100)));
        }
        expect(log.of(LOGIN_EVENTS.storeOutage)).to.deep.equal([
          { store: 'revocation', phase: 'start' },
          { store: 'revocation', phase: 'end' },
        ]);
        log.expectNoSecret();
      } finally {
        log.stop();
      }
    });
  },
);
