import { expect } from 'chai';
import { MemoryRevocationStore } from '../../src/revocation/memory-store';
import type { RotationRequest } from '../../src/revocation/store';
import { ExpiryHeap } from '../../src/shared/expiry-heap';
import { frozenClock } from '../helpers/clock';
import { storeContract } from './store-contract';

const DAY = 86_400_000;

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

/** Entries the store holds, and the heap entries that will remove them: both must stay bounded. */
const held = (store: MemoryRevocationStore) => ({
  size: store.size,
  heap: (store as unknown as { expiries: { length: number } }).expiries.length,
});

describe('revocation/memory-store: MemoryRevocationStore', () => {
  describe('the RevocationStore contract', () => {
    storeContract(() => {
      const clock = frozenClock();
      return { store: new MemoryRevocationStore({ clock: clock.now }), clock };
    });
  });

  it('remembers a revoked id until its expiry, then forgets it', () => {
    const clock = frozenClock();
    const store = new MemoryRevocationStore({ clock: clock.now });
    store.revoke('u', 'a', clock.ms + 1000);
    expect(store.lookup('u', 'a', undefined).revoked).to.equal(true);
    clock.advance(999);
    expect(store.lookup('u', 'a', undefined).revoked).to.equal(true);
    clock.advance(1);
    expect(store.lookup('u', 'a', undefined).revoked).to.equal(false);
    expect(held(store)).to.deep.equal({ size: 0, heap: 0 });
  });

  it('ignores an entry that has already expired, and keeps the later expiry of an id revoked twice', () => {
    const clock = frozenClock();
    const store = new MemoryRevocationStore({ clock: clock.now });
    store.revoke('u', 'old', clock.ms);
    expect(store.size).to.equal(0);
    store.revoke('u', 'twice', clock.ms + 5000);
    store.revoke('u', 'twice', clock.ms + 1000);
    clock.advance(1000);
    expect(store.lookup('u', 'twice', undefined).revoked).to.equal(true);
    clock.advance(4000);
    expect(store.lookup('u', 'twice', undefined).revoked).to.equal(false);
  });

  it('forgets a login once its tokens expire (keepUntil), and a cut-off at its expiry', () => {
    const clock = frozenClock();
    const store = new MemoryRevocationStore({ clock: clock.now });
    store.startSession('u', { id: 'f', started: clock.ms, refreshed: clock.ms, generation: 0 }, clock.ms + DAY, 20, 0);
    store.revokeAll('v', clock.ms, clock.ms + 2 * DAY, clock.ms + 2 * DAY);
    clock.advance(DAY);
    expect(store.sessions('u')).to.deep.equal([]);
    expect(store.lookup('v', 'j', undefined).cutoff).to.equal(clock.ms - DAY);
    clock.advance(DAY);
    expect(held(store)).to.deep.equal({ size: 0, heap: 0 });
  });

  it('holds one record for a login however often it rotates: 60 000 rotations cost what one does', () => {
    const clock = frozenClock();
    const store = new MemoryRevocationStore({ clock: clock.now });
    // The login's refresh tokens all end when the first does (rotation keeps `exp`).
    const end = clock.ms + 30 * DAY;
    const rotation = (generation: number): RotationRequest => ({
      family: 'f',
      generation,
      now: clock.ms,
      graceMs: 30_000,
      keepUntil: end,
      endedUntil: clock.ms + 30 * DAY,
      limit: 20,
    });
    store.rotate('u', rotation(0));
    const afterOne = held(store);
    for (let generation = 1; generation <= 60_000; generation += 1) {
      clock.advance(10);
      expect(store.rotate('u', rotation(generation)).outcome).to.equal('rotated');
    }
    expect(held(store)).to.deep.equal(afterOne);
    expect(afterOne).to.deep.equal({ size: 1, heap: 1 });
  });

  it('stays bounded under many logins of many users: each leaves once its tokens expire', () => {
    const clock = frozenClock();
    const store = new MemoryRevocationStore({ clock: clock.now });
    for (let i = 0; i < 15_000; i += 1) {
      const session = { id: `f${i}`, started: clock.ms, refreshed: clock.ms, generation: 0 };
      store.startSession(`user-${i % 500}`, session, clock.ms + DAY, 20, clock.ms + DAY);
      clock.advance(1);
    }
    // 20 live logins for each of 500 users; the 10 beyond 20 ended, each refused until its tokens expire.
    expect(store.sessions('user-7')).to.have.length(20);
    expect(store.size).to.equal(500 * 20 + 500 * 10);
    clock.advance(DAY);
    expect(held(store)).to.deep.equal({ size: 0, heap: 0 });
  });
});
