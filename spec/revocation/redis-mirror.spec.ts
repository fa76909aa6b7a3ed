import { expect } from 'chai';
import { RedisRevocationStore } from 'routing-controllers-login';
import { frozenClock } from '../helpers/clock';
import {
  callsAdded,
  commandCalls,
  familyOf,
  mastersOf,
  type StoreInstance,
  storeInstance,
  within,
} from '../helpers/mirror';
import { describeOnRedis, uniquePrefix } from '../helpers/redis-targets';
import { storeContract } from './store-contract';

/** How long a mirrored instance may take to refuse what another revoked: its `maxStaleness` (the default). */
const BOUND = 1000;

describeOnRedis('RedisRevocationStore mirrored in memory', (target) => {
  const open: StoreInstance[] = [];
  const opened = (instance: StoreInstance) => {
    open.push(instance);
    return instance;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((instance) => instance.close()));
  });

  describe('the RevocationStore contract', () => {
    const stores: RedisRevocationStore[] = [];
    after(async () => {
      await Promise.all(stores.map((store) => store.close()));
    });
    storeContract(async () => {
      const clock = frozenClock();
      const store = new RedisRevocationStore(target.connect(), {
        prefix: uniquePrefix('mirror-contract'),
        clock: clock.now,
        mirror: true,
      });
      stores.push(store);
      await store.ready();
      return { store, clock };
    });
  });

  /** Three instances on one prefix, each on its own connection: `mirrored` of them mirrored (as `mirror`). */
  async function instances(mirrored: number, mirror: true | { maxStaleness: number } = true) {
    const prefix = uniquePrefix('mirror');
    const all = [0, 1, 2].map((i) =>
      opened(storeInstance(target.connect(), prefix, { store: { mirror: i < mirrored && mirror } })),
    );
    await Promise.all(all.map((instance) => instance.store.ready()));
    return all as [StoreInstance, StoreInstance, StoreInstance];
  }

  it('refuses on every other instance, within the bound, a token revoked through one', async () => {
    const [a, b, c] = await instances(3);
    const token = a.manager.createAccessToken({ data: { sub: 'john@example.com' } });
    await b.me(token).expect(200);
    await c.me(token).expect(200);
    await a.manager.revoke(token);
    await a.me(token).expect(401); // its own write, at once
    for (const other of [b, c]) {
      await within(
        BOUND,
        'the revocation reached the other instance',
        async () => (await other.me(token)).status === 401,
      );
    }
  });

  it('shares logout and revokeAllFor, and a plain instance’s writes reach the mirrored ones', async () => {
    const [a, b, plain] = await instances(2);
    const { accessToken } = await plain.manager.createTokens({ data: { sub: 'jane@example.com' } });
    const standalone = a.manager.createAccessToken({ data: { sub: 'john@example.com' } });
    await a.me(accessToken).expect(200);
    await b.me(standalone).expect(200);
    await plain.store.endSession('jane@example.com', familyOf(accessToken), Date.now() + 60_000);
    await new Promise((resolve) => setTimeout(resolve, 2));
    await plain.manager.revokeAllFor('john@example.com');
    for (const mirror of [a, b]) {
      await within(BOUND, 'the logout reached it', async () => (await mirror.me(accessToken)).status === 401);
      await within(BOUND, 'the cut-off reached it', async () => (await mirror.me(standalone)).status === 401);
    }
    await b.me(b.manager.createAccessToken({ data: { sub: 'john@example.com' } })).expect(200);
  });

  it('starts with what Redis already holds: refused ids, ended logins, cut-offs and login records', async () => {
    const prefix = uniquePrefix('mirror-load');
    const plain = new RedisRevocationStore(target.connect(), { prefix });
    const now = Date.now();
    await plain.revoke('ann@example.com', 'jti-1', now + 60_000);
    await plain.revokeAll('bob@example.com', now, now + 60_000, now + 60_000);
    const session = { id: 'fam-1', started: now, refreshed: now, generation: 0 };
    await plain.startSession('ann@example.com', session, now + 60_000, 20, now + 60_000);
    const rotation = { family: 'fam-1', generation: 0, now, graceMs: 0, limit: 20 };
    await plain.rotate('ann@example.com', { ...rotation, keepUntil: now + 60_000, endedUntil: now + 60_000 });
    await plain.endSession('cy@example.com', 'fam-2', now + 60_000);
    const mirror = new RedisRevocationStore(target.connect(), { prefix, mirror: true });
    try {
      await mirror.ready();
      expect(mirror.lookup('ann@example.com', 'jti-1', undefined)).to.include({ revoked: true });
      expect(mirror.lookup('bob@example.com', 'jti-2', undefined)).to.include({ revoked: false, cutoff: now });
      expect(mirror.lookup('ann@example.com', 'jti-3', 'fam-1')).to.deep.include({ revoked: false, cutoff: undefined });
      expect(mirror.lookup('ann@example.com', 'jti-3', 'fam-1')).to.have.nested.property('session.generation', 1);
      expect(mirror.lookup('cy@example.com', 'jti-4', 'fam-2')).to.include({ revoked: true });
      expect(mirror.mirrorSize).to.equal(4);
    } finally {
      await mirror.close();
    }
  });

  it('sends Redis no command for a request: none per request on a mirrored instance, one on a plain one', async () => {
    // Trusted for 10 s without a heartbeat: a busy machine's slow heartbeat sends nobody to Redis here.
    const [mirrored, , plain] = await instances(1, { maxStaleness: 10_000 });
    const { accessToken } = await plain.manager.createTokens({ data: { sub: 'john@example.com' } });
    const tokens = [
      accessToken,
      ...Array.from({ length: 9 }, () => plain.manager.createAccessToken({ data: { sub: 'jane@example.com' } })),
    ];
    await plain.manager.revokeAllFor('nobody@example.com'); // a cut-off held: the mirror digests each request's user
    await within(BOUND, 'the cut-off reached the mirror', () => mirrored.store.mirrorSize > 0);
    const requests = async (instance: StoreInstance) => {
      for (let i = 0; i < 200; i += 1) await instance.me(tokens[i % tokens.length] as string).expect(200);
    };
    let before = await commandCalls(mirrored.client);
    await requests(mirrored);
    const byMirrored = callsAdded(before, await commandCalls(mirrored.client));
    before = await commandCalls(mirrored.client);
    await requests(plain);
    const byPlain = callsAdded(before, await commandCalls(mirrored.client));
    // What runs anyway: the mirrors' heartbeats (PUBLISH), these INFOs, a Cluster client's slot refreshes.
    const background = (calls: Record<string, number>) =>
      Object.fromEntries(
        Object.entries(calls).filter(([name]) => !['publish', 'info', 'cluster|slots', 'cluster'].includes(name)),
      );
    expect(background(byMirrored)).to.deep.equal({});
    expect(byPlain.evalsha).to.be.at.least(200);
  });

  it('closes itself when its client is closed, so that nothing of it keeps the process up', async () => {
    const prefix = uniquePrefix('mirror-end');
    const client = target.connect();
    const admin = target.connect();
    const store = new RedisRevocationStore(client, { prefix, mirror: true });
    await store.ready();
    const listening = async () => {
      let count = 0;
      for (const node of mastersOf(admin)) {
        count += Number(((await node.pubsub('NUMSUB', `${prefix}changes`)) as [string, number])[1]);
      }
      return count;
    };
    expect(await listening()).to.equal(1);
    client.disconnect();
    await within(BOUND, 'the mirror unsubscribed', async () => (await listening()) === 0);
  });

  it('holds only what is live: what it mirrors leaves when it expires', async () => {
    const [mirror, , plain] = await instances(1);
    const now = Date.now();
    for (let i = 0; i < 50; i += 1) await plain.store.revoke('ann@example.com', `jti-${i}`, now + 300);
    const session = { id: 'fam', started: now, refreshed: now, generation: 0 };
    await plain.store.startSession('ann@example.com', session, now + 300, 20, now + 300);
    await within(BOUND, 'every entry reached the mirror', () => mirror.store.mirrorSize === 51);
    await within(5000, 'every entry left the mirror at its expiry', () => mirror.store.mirrorSize === 0);
  });
});
