import { expect } from 'chai';
import { LoginConfigurationError, MemoryThrottleStore } from 'routing-controllers-login';

const limits = { attempts: 3, delayMs: 30_000, maxDelayMs: 15 * 60_000, forgetMs: 60 * 60_000 };
const T0 = Date.UTC(2030, 0, 1);
/** The documented default of `maxEntries`. */
const DEFAULT_MAX_ENTRIES = 100_000;

describe('MemoryThrottleStore: bounded, oldest first out, never refusing a first attempt for want of room', () => {
  it('stays at maxEntries (100 000 by default) under 150 000 distinct accounts and addresses', async () => {
    const store = new MemoryThrottleStore();
    for (let i = 0; i < 150_000; i += 1) {
      // All within one second: nothing has been forgotten yet, only the bound can keep memory flat.
      expect(await store.consume(`${i % 2 ? 'address' : 'account'}:${i}`, T0 + (i % 1000), limits)).to.equal(0);
      if (i >= DEFAULT_MAX_ENTRIES) expect(store.size).to.equal(DEFAULT_MAX_ENTRIES);
    }
    expect(store.size).to.equal(DEFAULT_MAX_ENTRIES);
  });

  it('takes maxEntries, pushing out the key counted longest ago, not the one counted again since', async () => {
    const store = new MemoryThrottleStore({ maxEntries: 3 });
    for (const key of ['a', 'b', 'c']) await store.consume(key, T0, limits);
    await store.consume('a', T0 + 1, limits); // counted again: now the newest
    await store.consume('d', T0 + 2, limits); // b, counted longest ago, goes
    expect(store.size).to.equal(3);
    for (let i = 0; i < 2; i += 1) await store.consume('a', T0 + 3, limits);
    expect(await store.consume('a', T0 + 3, limits)).to.be.above(0, 'a kept its count: it waits');
    for (let i = 0; i < 3; i += 1) expect(await store.consume('b', T0 + 4, limits)).to.equal(0, 'b starts afresh');
  });

  it('counts a new key at once when the store is full of locked-out keys: eviction, never refusal', async () => {
    const store = new MemoryThrottleStore({ maxEntries: 1000 });
    for (let i = 0; i < 1000; i += 1) {
      for (let n = 0; n < 3; n += 1) await store.consume(`account:locked-${i}`, T0, limits);
      expect(await store.consume(`account:locked-${i}`, T0, limits)).to.be.above(0);
    }
    expect(await store.consume('account:honest', T0, limits)).to.equal(0);
    expect(store.size).to.equal(1000);
  });

  it('refuses a maxEntries that is not a whole number from 1, saying what it is', () => {
    for (const maxEntries of [0, -1, 1.5, '100', Number.POSITIVE_INFINITY]) {
      expect(() => new MemoryThrottleStore({ maxEntries } as never), String(maxEntries)).to.throw(
        LoginConfigurationError,
        /MemoryThrottleStore: `maxEntries` is a whole number of keys from 1 to 10000000 \(default 100000\)/,
      );
    }
    expect(() => new MemoryThrottleStore({ maxEntries: 1 })).not.to.throw();
  });
});
