import { expect } from 'chai';
import { Redis } from 'ioredis';
import { MemoryThrottleStore, RedisThrottleStore, type ThrottleStore } from 'routing-controllers-login';

const REDIS_URL = process.env.REDIS_URL;
const HOW_TO_RUN = 'pending: set REDIS_URL=redis://127.0.0.1:6379 (a running redis-server) or run .ci/run';
const limits = { attempts: 3, delayMs: 1000, maxDelayMs: 8000, forgetMs: 60_000 };
const T0 = Date.UTC(2030, 0, 1);

/** The same table for every store: the rule lives twice (TypeScript and Lua), so both run it. */
function storeContract(name: string, make: () => { store: ThrottleStore; done?: () => Promise<unknown> }) {
  describe(name, () => {
    let store: ThrottleStore;
    let done: (() => Promise<unknown>) | undefined;
    let n = 0;
    let key: string;
    beforeEach(() => {
      ({ store, done } = make());
      n += 1;
      key = `account:${process.pid}-${Date.now()}-${n}`;
    });
    afterEach(() => done?.());

    it('counts `attempts` freely, then waits delay · 2^(failures − attempts), capped at maxDelay', async () => {
      for (let i = 0; i < 3; i += 1) expect(await store.consume(key, T0, limits)).to.equal(0);
      expect(await store.consume(key, T0, limits)).to.equal(1000);
      expect(await store.consume(key, T0 + 400, limits)).to.equal(600);
      expect(await store.consume(key, T0 + 1000, limits)).to.equal(0); // 4th failure counted
      expect(await store.consume(key, T0 + 1000, limits)).to.equal(2000);
      let now = T0 + 3000;
      for (const wait of [4000, 8000, 8000]) {
        expect(await store.consume(key, now, limits)).to.equal(0);
        expect(await store.consume(key, now, limits)).to.equal(wait);
        now += wait;
      }
    });

    it('forgets failures forgetMs after the last one', async () => {
      for (let i = 0; i < 3; i += 1) await store.consume(key, T0, limits);
      expect(await store.consume(key, T0 + 59_999, limits)).to.equal(0);
      expect(await store.consume(key, T0 + 59_999, limits)).to.be.above(0);
      expect(await store.consume(key, T0 + 59_999 + 60_000, limits)).to.equal(0);
      expect(await store.consume(key, T0 + 59_999 + 60_000, limits)).to.equal(0);
    });

    it('takes an attempt back with refund, and forgets the key with clear', async () => {
      for (let i = 0; i < 3; i += 1) await store.consume(key, T0, limits);
      await store.refund(key);
      expect(await store.consume(key, T0, limits)).to.equal(0);
      expect(await store.consume(key, T0, limits)).to.equal(1000);
      await store.clear(key);
      expect(await store.consume(key, T0, limits)).to.equal(0);
      await store.refund(`${key}-never-seen`);
    });

    it('counts concurrent attempts one by one: of 10 at once, exactly `attempts` pass', async () => {
      const waits = await Promise.all(Array.from({ length: 10 }, () => store.consume(key, T0, limits)));
      expect(waits.filter((wait) => wait === 0)).to.have.length(3);
    });
  });
}

describe('throttle stores', () => {
  storeContract('MemoryThrottleStore', () => ({ store: new MemoryThrottleStore() }));

  it('MemoryThrottleStore drops keys whose failures are forgotten', async () => {
    const store = new MemoryThrottleStore();
    await store.consume('a', T0, limits);
    await store.consume('b', T0 + 5000, limits);
    expect(store.size).to.equal(2);
    await store.consume('c', T0 + limits.forgetMs + limits.maxDelayMs + 1, limits);
    expect(store.size).to.equal(2);
  });

  if (REDIS_URL) {
    storeContract(`RedisThrottleStore against a real Redis (${REDIS_URL})`, () => {
      const client = new Redis(REDIS_URL);
      return { store: new RedisThrottleStore(client, { prefix: 'rcl-test:throttle:' }), done: () => client.quit() };
    });

    it('RedisThrottleStore keeps the account out of the key and gives it a TTL', async () => {
      const client = new Redis(REDIS_URL);
      try {
        const store = new RedisThrottleStore(client, { prefix: `rcl-test:${process.pid}:` });
        await store.consume('account:abc', Date.now(), limits);
        const ttl = await client.pttl(`rcl-test:${process.pid}:account:abc`);
        expect(ttl).to.be.within(60_000, 68_000);
      } finally {
        await client.quit();
      }
    });
  } else {
    describe.skip(`RedisThrottleStore against a real Redis (${HOW_TO_RUN})`, () => {
      it('runs the store table');
    });
  }
});
