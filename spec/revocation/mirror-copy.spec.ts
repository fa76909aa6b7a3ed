import { expect } from 'chai';
import { type Change, MirrorCopy } from '../../src/revocation/mirror-copy';
import { entryChange, parseChanges, splitKey } from '../../src/revocation/mirror-feed';
import { Heartbeats } from '../../src/revocation/mirror-heartbeat';
import { MalformedStoreValueError } from '../../src/revocation/store-values';
import { frozenClock } from '../helpers/clock';

const DIGEST = 'AAAAAAAAAAAAAAAAAAAAAA';
const MINUTE = 60_000;

/** Every order of `items`. */
function orders<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) =>
    orders([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

describe('revocation/mirror-copy: a mirrored store’s copy', () => {
  it('ends in the same state whatever the order its changes arrive in (feed and load overlap)', () => {
    const changes: Change[] = [
      { kind: 's', family: 'fam', generation: 1, refreshed: 1000, ms: MINUTE },
      { kind: 's', family: 'fam', generation: 2, refreshed: 2000, ms: 2 * MINUTE },
      { kind: 'c', value: 500, ms: MINUTE },
      { kind: 'c', value: 900, ms: 2 * MINUTE },
      { kind: 'r', id: 'jti', ms: MINUTE },
      { kind: 'r', id: 'jti', ms: 3 * MINUTE },
    ];
    const states = new Set<string>();
    for (const order of orders(changes)) {
      const clock = frozenClock();
      const copy = new MirrorCopy(clock.now);
      for (const change of order) copy.apply(DIGEST, change);
      const now = copy.lookup(DIGEST, 'jti', 'fam');
      clock.advance(2 * MINUTE + 1); // the record and the cut-off gone, the refusal still there
      states.add(JSON.stringify([now, copy.lookup(DIGEST, 'jti', 'fam'), copy.size]));
    }
    expect([...states]).to.deep.equal([
      JSON.stringify([
        {
          revoked: true,
          cutoff: 900,
          session: { generation: 2, refreshed: 2000, expiresAt: Date.UTC(2030, 0, 1, 12) + 2 * MINUTE },
        },
        { revoked: true },
        1,
      ]),
    ]);
  });

  it('does not take back the record of a login that ended, in whatever order the record and the end arrive', () => {
    const end: Change[] = [
      { kind: 'e', family: 'fam' },
      { kind: 'r', id: 'fam', ms: MINUTE },
    ];
    const record: Change = { kind: 's', family: 'fam', generation: 3, refreshed: 1, ms: MINUTE };
    for (const order of [
      [record, ...end],
      [...end, record],
    ]) {
      const copy = new MirrorCopy(frozenClock().now);
      for (const change of order) copy.apply(DIGEST, change);
      expect(copy.lookup(undefined, 'other', 'fam')).to.deep.equal({
        revoked: true,
        cutoff: undefined,
        session: undefined,
      });
      expect(copy.size).to.equal(1);
    }
  });

  it('holds only what is live: each entry leaves at its expiry', () => {
    const clock = frozenClock();
    const copy = new MirrorCopy(clock.now);
    for (let i = 0; i < 1000; i += 1) {
      copy.apply(DIGEST, { kind: 'r', id: `jti-${i}`, ms: 1000 + i });
      copy.apply(`${DIGEST.slice(0, 18)}${String(i).padStart(4, '0')}`, { kind: 'c', value: i, ms: 1000 + i });
      copy.apply(DIGEST, { kind: 's', family: `fam-${i}`, generation: 0, refreshed: i, ms: 1000 + i });
    }
    expect(copy.size).to.equal(3000);
    clock.advance(1499); // ids 0 to 499 have expired
    expect(copy.size).to.equal(1500);
    clock.advance(500);
    expect(copy.size).to.equal(0);
    expect(copy.lookup(DIGEST, 'jti-999', 'fam-999')).to.deep.equal({
      revoked: false,
      cutoff: undefined,
      session: undefined,
    });
  });

  it('answers 503 (a malformed value), never "not revoked", for a cut-off or a record that is not the store’s', () => {
    const copy = new MirrorCopy(frozenClock().now);
    copy.apply(DIGEST, { kind: 'c', value: Number.NaN, ms: MINUTE });
    expect(() => copy.lookup(DIGEST, 'jti', undefined)).to.throw(MalformedStoreValueError);
    copy.apply(DIGEST, { kind: 's', family: 'fam', generation: Number.NaN, refreshed: 1, ms: MINUTE });
    expect(() => copy.lookup(undefined, 'jti', 'fam')).to.throw(MalformedStoreValueError);
  });
});

describe('revocation/mirror-feed: what a mirror reads from Redis', () => {
  it('parses the scripts’ messages and refuses anything else (the mirror then loads again)', () => {
    const message = JSON.stringify([
      DIGEST,
      [
        ['r', 'jti', 1000],
        ['c', '1700000000000', 5],
        ['s', 'f', 2, '7', 9],
        ['e', 'f'],
      ],
    ]);
    expect(parseChanges(message)).to.deep.equal({
      digest: DIGEST,
      changes: [
        { kind: 'r', id: 'jti', ms: 1000 },
        { kind: 'c', value: 1_700_000_000_000, ms: 5 },
        { kind: 's', family: 'f', generation: 2, refreshed: 7, ms: 9 },
        { kind: 'e', family: 'f' },
      ],
    });
    for (const bad of [
      '',
      'hello',
      '{}',
      `["${DIGEST}",{}]`,
      `["short",[]]`,
      `["${DIGEST}",[["r","jti"]]]`,
      `["${DIGEST}",[["c","-1",5]]]`,
      `["${DIGEST}",[["s","f",1.5,7,9]]]`,
      `["${DIGEST}",[["x","f"]]]`,
    ]) {
      expect(() => parseChanges(bad), bad).to.throw(MalformedStoreValueError);
    }
  });

  it('splits the store’s keys and reads a loaded entry, skipping the index and keys that are gone', () => {
    expect(splitKey('rcl:', `rcl:{${DIGEST}}:r:jti`)).to.deep.equal({ digest: DIGEST, rest: 'r:jti' });
    expect(splitKey('rcl:', 'rcl:dpop:x')).to.equal(undefined);
    expect(splitKey('rcl:', `other:{${DIGEST}}:c`)).to.equal(undefined);
    expect(entryChange('r:jti', [5000, '1'])).to.deep.equal({ kind: 'r', id: 'jti', ms: 5000 });
    expect(entryChange('c', [5000, 'x']))
      .to.deep.include({ kind: 'c' })
      .and.satisfy((c: { value: number }) => Number.isNaN(c.value));
    expect(entryChange('s:f', [5000, '3', '9'])).to.deep.equal({
      kind: 's',
      family: 'f',
      generation: 3,
      refreshed: 9,
      ms: 5000,
    });
    expect(entryChange('s:f', [5000, '1'])).to.satisfy((c: { generation: number }) => Number.isNaN(c.generation));
    expect(entryChange('i', [5000])).to.equal(undefined);
    expect(entryChange('r:jti', [-2, null])).to.equal(undefined);
    expect(entryChange('r:jti', [-1, '1'])).to.deep.equal({ kind: 'r', id: 'jti', ms: Number.POSITIVE_INFINITY });
  });
});

describe('revocation/mirror-heartbeat: how current the feed is', () => {
  const master = (key: string, sent: string[]) => ({
    key,
    node: { publish: async (_channel: string, message: string) => void sent.push(message) },
  });

  it('is current as of the oldest latest heartbeat heard from each master, and says when a round was skipped', () => {
    const sent: string[] = [];
    const beats = new Heartbeats('hb');
    const masters = [master('a:1', sent), master('b:2', sent)];
    expect(beats.send(masters, 100)).to.equal(false); // the masters were not known before
    expect(beats.send(masters, 200)).to.equal(true);
    expect(beats.confirmedAt).to.equal(Number.NEGATIVE_INFINITY);
    expect(beats.received('a:1 1')).to.equal(true);
    expect(beats.confirmedAt).to.equal(Number.NEGATIVE_INFINITY); // b:2 not heard yet
    expect(beats.received('b:2 1')).to.equal(true);
    expect(beats.confirmedAt).to.equal(100);
    expect(beats.received('a:1 2')).to.equal(true);
    expect(beats.confirmedAt).to.equal(100);
    beats.send(masters, 300);
    expect(beats.received('b:2 3')).to.equal(false); // round 2 of b:2 never came: the feed may have lost a change
    expect(beats.received('someone-else 9')).to.equal(true);
  });

  it('says when the masters changed, and takes a load as news from every master', () => {
    const beats = new Heartbeats('hb');
    beats.send([master('a:1', [])], 0);
    expect(beats.send([master('a:1', []), master('c:3', [])], 10)).to.equal(false);
    beats.loaded(50, ['a:1', 'c:3']);
    expect(beats.confirmedAt).to.equal(50);
  });
});
