import { expect } from 'chai';
import { MemoryRevocationStore } from '../../src/revocation/memory-store';
import { ExpiryHeap } from '../../src/shared/expiry-heap';
import { frozenClock } from '../helpers/clock';

describe('revocation/expiry-heap: ExpiryHeap', () => {
  it('pops expired items earliest first, matching a sorted model over random input (seeded)', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const heap = new ExpiryHeap();
    const model: number[] = [];
    for (let round = 0; round < 200; round += 1) {
      for (let i = 0; i < 20; i += 1) {
        const expiresAt = Math.floor(random() * 10_000);
        heap.push({ key: `k${round}-${i}`, expiresAt });
        model.push(expiresAt);
      }
      const now = Math.floor(random() * 10_000);
      const popped = [...heap.popExpired(now)].map((item) => item.expiresAt);
      const expected = model.filter((t) => t <= now).sort((a, b) => a - b);
      expect(popped).to.deep.equal(expected);
      model.splice(0, model.length, ...model.filter((t) => t > now));
      expect(heap.length).to.equal(model.length);
    }
  });
});

describe('revocation/memory-store: MemoryRevocationStore', () => {
  it('remembers a revoked jti until its expiry, then forgets it', async () => {
    const clock = frozenClock();
    const store = new MemoryRevocationStore({ clock: clock.now });
    await store.add('a', clock.ms + 1000);
    expect(await store.has('a')).to.equal(true);
    expect(await store.has('b')).to.equal(false);
    clock.advance(999);
    expect(await store.has('a')).to.equal(true);
    clock.advance(1);
    expect(await store.has('a')).to.equal(false);
    expect(store.size).to.equal(0);
  });

  it('ignores an entry that has already expired', async () => {
    const clock = frozenClock();
    const store = new MemoryRevocationStore({ clock: clock.now });
    await store.add('old', clock.ms);
    expect(store.size).to.equal(0);
  });

  it('keeps the newest cut-off of a user, with its own expiry', async () => {
    const clock = frozenClock();
    const store = new MemoryRevocationStore({ clock: clock.now });
    await store.setCutoff('u', 100, clock.ms + 1000);
    await store.setCutoff('u', 200, clock.ms + 5000);
    expect(await store.cutoff('u')).to.equal(200);
    clock.advance(1000);
    expect(await store.cutoff('u')).to.equal(200);
    clock.advance(4000);
    expect(await store.cutoff('u')).to.equal(undefined);
    expect(await store.cutoff('nobody')).to.equal(undefined);
  });

  it('keeps jti and user entries apart', async () => {
    const store = new MemoryRevocationStore();
    await store.setCutoff('x', 1, Date.now() + 1000);
    expect(await store.has('x')).to.equal(false);
  });

  it('retires a refresh token once: of concurrent calls exactly one gets undefined, until its expiry', async () => {
    const clock = frozenClock();
    const store = new MemoryRevocationStore({ clock: clock.now });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.retire('r', clock.ms + i, clock.ms + 1000)),
    );
    expect(results.filter((result) => result === undefined)).to.have.length(1);
    expect(results.filter((result) => result === clock.ms)).to.have.length(9);
    expect(await store.retiredAt('r')).to.equal(clock.ms);
    expect(await store.has('r')).to.equal(false);
    clock.advance(1000);
    expect(await store.retiredAt('r')).to.equal(undefined);
  });
});
