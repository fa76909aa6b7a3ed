import { expect } from 'chai';
import { MemoryReplayCache } from '../../src/dpop/replay';

describe('dpop/replay: MemoryReplayCache', () => {
  it('answers true for a first use and false for the same id until its expiry (inclusive), then true again', () => {
    const cache = new MemoryReplayCache();
    expect(cache.firstUse('a', 2000, 1000)).to.equal(true);
    expect(cache.firstUse('a', 2000, 1500)).to.equal(false);
    expect(cache.firstUse('a', 2000, 2000)).to.equal(false);
    expect(cache.firstUse('b', 3000, 1500)).to.equal(true);
    expect(cache.firstUse('a', 4000, 2001)).to.equal(true);
  });

  it('lets expired ids go as new ones arrive, so it holds only the ids still in their window', () => {
    const cache = new MemoryReplayCache();
    for (let i = 0; i < 1000; i += 1) cache.firstUse(`id-${i}`, i * 10 + 120, i * 10);
    // Each id lives 120 ms and one arrives every 10 ms: about 13 are alive at any time.
    expect(cache.size).to.be.at.most(13);
  });

  it('keeps at most maxEntries, the oldest out first', () => {
    const cache = new MemoryReplayCache({ maxEntries: 3 });
    for (const id of ['a', 'b', 'c', 'd']) expect(cache.firstUse(id, 10_000, 0)).to.equal(true);
    expect(cache.size).to.equal(3);
    expect(cache.firstUse('d', 10_000, 1)).to.equal(false);
    expect(cache.firstUse('b', 10_000, 1)).to.equal(false);
    expect(cache.firstUse('a', 10_000, 1)).to.equal(true); // pushed out: the bound's price, documented
  });

  it('refuses a maxEntries that is not a whole number of at least 1', () => {
    for (const maxEntries of [0, -1, 1.5, Number.NaN]) {
      expect(() => new MemoryReplayCache({ maxEntries })).to.throw(RangeError, /maxEntries/);
    }
  });
});
