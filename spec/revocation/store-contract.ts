import { expect } from 'chai';
import type { RevocationStore, RotationRequest, SessionRecord } from 'routing-controllers-login';
import type { frozenClock } from '../helpers/clock';

/** A store under test and the clock it was built on. */
export interface StoreUnderTest {
  store: RevocationStore;
  clock: ReturnType<typeof frozenClock>;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * What every `RevocationStore` must do, as `spec/revocation/` runs it against the memory store and
 * Redis (single and Cluster): run it against yours. `make` gives a fresh store (its own keys).
 */
export function storeContract(make: () => StoreUnderTest | Promise<StoreUnderTest>): void {
  let store: RevocationStore;
  let clock: StoreUnderTest['clock'];
  let users = 0;
  let sub: string;
  beforeEach(async () => {
    ({ store, clock } = await make());
    users += 1;
    sub = `user-${users}@example.com`;
  });

  const request = (family: string, generation: number, extra: Partial<RotationRequest> = {}): RotationRequest => ({
    family,
    generation,
    now: clock.ms,
    graceMs: 30_000,
    keepUntil: clock.ms + 30 * DAY,
    endedUntil: clock.ms + 30 * DAY,
    limit: 20,
    ...extra,
  });
  const start = (id: string, label?: string, limit = 20) =>
    store.startSession(
      sub,
      { id, started: clock.ms, refreshed: clock.ms, generation: 0, ...(label ? { label } : {}) },
      clock.ms + 30 * DAY,
      limit,
      clock.ms + 30 * DAY,
    );
  const ids = async () => (await store.sessions(sub)).map((session) => session.id);

  it('refuses a revoked id, and every token of a family whose id is revoked', async () => {
    await store.revoke(sub, 'jti-1', clock.ms + MINUTE);
    expect(await store.lookup(sub, 'jti-1', undefined)).to.include({ revoked: true });
    expect(await store.lookup(sub, 'jti-2', undefined)).to.include({ revoked: false, cutoff: undefined });
    await store.revoke(sub, 'family-1', clock.ms + MINUTE);
    expect(await store.lookup(sub, 'jti-3', 'family-1')).to.include({ revoked: true });
    expect(await store.lookup(sub, 'jti-3', 'family-2')).to.include({ revoked: false });
  });

  it('records a login, lists it with its label, and looks it up with a token of its family', async () => {
    await start('family-1', 'Firefox on Linux');
    const [listed] = await store.sessions(sub);
    expect(listed).to.deep.equal({
      id: 'family-1',
      started: clock.ms,
      refreshed: clock.ms,
      generation: 0,
      label: 'Firefox on Linux',
    } satisfies SessionRecord);
    const found = await store.lookup(sub, 'jti', 'family-1');
    expect(found.revoked).to.equal(false);
    expect(found.session).to.deep.include({ generation: 0, refreshed: clock.ms });
    expect((await store.lookup(sub, 'jti', undefined)).session).to.equal(undefined);
    expect(await store.sessions('somebody-else')).to.deep.equal([]);
  });

  it('rotates the current generation, once: the next, refreshed now', async () => {
    await start('family-1');
    clock.advance(MINUTE);
    expect(await store.rotate(sub, request('family-1', 0))).to.deep.equal({ outcome: 'rotated', generation: 1 });
    expect((await store.lookup(sub, 'jti', 'family-1')).session).to.deep.include({
      generation: 1,
      refreshed: clock.ms,
    });
    expect(await store.rotate(sub, request('family-1', 1))).to.deep.equal({ outcome: 'rotated', generation: 2 });
  });

  it('lets the previous generation refresh within the grace without changing anything, and ends the login after it', async () => {
    await start('family-1');
    await store.rotate(sub, request('family-1', 0));
    clock.advance(29_999);
    expect(await store.rotate(sub, request('family-1', 0))).to.deep.equal({ outcome: 'grace', generation: 1 });
    expect((await store.lookup(sub, 'jti', 'family-1')).session).to.deep.include({ generation: 1 });
    clock.advance(1);
    expect(await store.rotate(sub, request('family-1', 0))).to.deep.equal({ outcome: 'reused' });
    expect(await store.lookup(sub, 'jti', 'family-1')).to.include({ revoked: true });
    expect(await ids()).to.deep.equal([]);
    expect(await store.rotate(sub, request('family-1', 1))).to.deep.equal({ outcome: 'ended' });
  });

  it('has no grace with graceMs 0: the previous generation is reuse at once', async () => {
    await start('family-1');
    await store.rotate(sub, request('family-1', 0, { graceMs: 0 }));
    expect(await store.rotate(sub, request('family-1', 0, { graceMs: 0 }))).to.deep.equal({ outcome: 'reused' });
  });

  it('counts an older or a newer generation as reuse, which ends the login', async () => {
    for (const [family, presented] of [
      ['older', 0],
      ['newer', 5],
    ] as const) {
      await start(family);
      await store.rotate(sub, request(family, 0));
      await store.rotate(sub, request(family, 1));
      expect(await store.rotate(sub, request(family, presented))).to.deep.equal({ outcome: 'reused' });
      expect(await store.lookup(sub, 'x', family)).to.include({ revoked: true });
    }
  });

  it('adopts a family it has no record of at its first refresh, and lists it from then on', async () => {
    expect(await store.rotate(sub, request('family-1', 0))).to.deep.equal({ outcome: 'rotated', generation: 1 });
    expect(await store.sessions(sub)).to.deep.equal([
      { id: 'family-1', started: clock.ms, refreshed: clock.ms, generation: 1 },
    ]);
    expect(await store.rotate(sub, request('family-1', 0, { now: clock.ms + 60_000 }))).to.deep.equal({
      outcome: 'reused',
    });
  });

  it('never adopts a family that was ended', async () => {
    await start('family-1');
    await store.endSession(sub, 'family-1', clock.ms + DAY);
    expect(await store.rotate(sub, request('family-1', 0))).to.deep.equal({ outcome: 'ended' });
    expect(await ids()).to.deep.equal([]);
  });

  it('ends one login: gone from the list, its family refused, the others untouched', async () => {
    await start('family-1');
    await start('family-2');
    await store.endSession(sub, 'family-1', clock.ms + DAY);
    expect(await ids()).to.deep.equal(['family-2']);
    expect(await store.lookup(sub, 'jti', 'family-1')).to.include({ revoked: true });
    expect(await store.lookup(sub, 'jti', 'family-2')).to.include({ revoked: false });
  });

  it('revokeAll: the later cut-off kept, and every live login ended', async () => {
    await start('family-1');
    await start('family-2');
    await store.revokeAll(sub, clock.ms, clock.ms + DAY, clock.ms + DAY);
    await store.revokeAll(sub, clock.ms - 5000, clock.ms + DAY, clock.ms + DAY);
    expect(await store.lookup(sub, 'jti', undefined)).to.include({ cutoff: clock.ms });
    expect(await ids()).to.deep.equal([]);
    for (const family of ['family-1', 'family-2']) {
      expect(await store.lookup(sub, 'jti', family)).to.include({ revoked: true });
    }
    expect(await store.lookup('somebody-else', 'jti', undefined)).to.include({ cutoff: undefined });
  });

  it('keeps at most `limit` logins per user, ending the least recently refreshed', async () => {
    await start('a', undefined, 3);
    clock.advance(1);
    await start('b', undefined, 3);
    clock.advance(1);
    await start('c', undefined, 3);
    clock.advance(1);
    await store.rotate(sub, request('a', 0, { limit: 3 }));
    clock.advance(1);
    const ended = await start('d', undefined, 3);
    // Telling which logins it ended is optional (for the `:session-ended` event); told, it is exactly those.
    if (ended !== undefined) expect(ended).to.deep.equal(['b']);
    expect(await start('e', undefined, 10)).to.satisfy((none: unknown) => none === undefined || Array.isArray(none));
    expect(await ids()).to.deep.equal(['c', 'a', 'd', 'e']);
    expect(await store.lookup(sub, 'jti', 'b')).to.include({ revoked: true });
  });

  it('lets exactly one of concurrent refreshes of one generation rotate; within the grace the others get the same generation', async () => {
    await start('family-1');
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => store.rotate(sub, request('family-1', 0))));
    expect(outcomes.filter((o) => o.outcome === 'rotated')).to.deep.equal([{ outcome: 'rotated', generation: 1 }]);
    expect(outcomes.filter((o) => o.outcome === 'grace')).to.have.length(19);
    expect(new Set(outcomes.map((o) => o.generation))).to.deep.equal(new Set([1]));
    const none = await Promise.all(
      Array.from({ length: 10 }, () => store.rotate(sub, request('family-1', 1, { graceMs: 0 }))),
    );
    expect(none.map((o) => o.outcome).sort()).to.deep.equal(['reused', ...Array(8).fill('ended'), 'rotated'].sort());
  });
}
