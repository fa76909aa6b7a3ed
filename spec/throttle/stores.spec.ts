import { expect } from 'chai';
import { MemoryThrottleStore, RedisThrottleStore, type ThrottleStore } from 'routing-controllers-login';
import { describeOnRedis, uniquePrefix } from '../helpers/redis-targets';

const limits = { attempts: 3, delayMs: 1000, maxDelayMs: 8000, forgetMs: 60_000 };
const T0 = Date.UTC(2030, 0, 1);

/** The same table for every store: the rule lives twice (TypeScript and Lua), so both run it. */
function storeContract(name: string, make: () => ThrottleStore) {
  describe(name, () => {
    let store: ThrottleStore;
    let n = 0;
    let key: string;
    beforeEach(() => {
      store = make();
      n += 1;
      key = `account:${process.pid}-${Date.now()}-${n}`;
    });

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
  storeContract('MemoryThrottleStore', () => new MemoryThrottleStore());

  it('MemoryThrottleStore drops keys whose failures are forgotten', async () => {
    const store = new MemoryThrottleStore();
    await store.consume('a', T0, limits);
    await store.consume('b', T0 + 5000, limits);
    expect(store.size).to.equal(2);
    await store.consume('c', T0 + limits.forgetMs + limits.maxDelayMs + 1, limits);
    expect(store.size).to.equal(2);
  });

  describeOnRedis('RedisThrottleStore', (target) => {
    storeContract(
      'the store table',
      () => new RedisThrottleStore(target.connect(), { prefix: uniquePrefix('throttle') }),
    );

    it('keeps the account out of the key and gives it a TTL', async () => {
      const client = target.connect();
      const prefix = uniquePrefix('throttle-ttl');
      const store = new RedisThrottleStore(client, { prefix });
      await store.consume('account:abc', Date.now(), limits);
      const ttl = await client.pttl(`${prefix}account:abc`);
      expect(ttl).to.be.within(60_000, 68_000);
    });
  });
});
