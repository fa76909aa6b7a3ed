import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import {
  type LoginOptions,
  MemoryRevocationStore,
  RedisRevocationStore,
  type RevocationStore,
  type TokenPayload,
} from 'routing-controllers-login';
import { frozenClock } from '../helpers/clock';
import { describeOnRedis, uniquePrefix } from '../helpers/redis-targets';
import { type RotatingInstance, rotatingInstance } from '../helpers/rotating-app';
import type { Account } from '../helpers/users';

const decode = (token: string) => jwt.decode(token) as TokenPayload;
type Clock = ReturnType<typeof frozenClock>;
/** Two app instances sharing one store (and `clock`), built with `options`; `store` is the first one's. */
type Pair = (
  clock: Clock,
  options?: Partial<LoginOptions<Account>>,
) => [RotatingInstance, RotatingInstance] & { store: RevocationStore };

/** The answer of each instance in turn to one refresh token presented again and again at once. */
async function parallel(instances: RotatingInstance[], token: string, count = instances.length) {
  const answers = await Promise.all(
    Array.from({ length: count }, (_, i) => (instances[i % instances.length] as RotatingInstance).refresh(token)),
  );
  return answers.map((answer) => ({ status: answer.status, body: answer.body as Record<string, string> }));
}

/** Refresh grace as every store must give it, the two parallel refreshes reaching different instances. */
function graceContract(name: string, pair: Pair) {
  describe(name, () => {
    let clock: Clock;
    beforeEach(() => {
      clock = frozenClock(Date.now());
    });

    it('gives both of two parallel refreshes a working pair of the same login, and revokes nothing', async () => {
      const [a, b] = pair(clock);
      for (let round = 0; round < 5; round += 1) {
        const login = await a.manager.createTokens({ data: { sub: 'jane@example.com' } });
        const answers = await parallel([a, b], login.refreshToken);
        expect(
          answers.map((answer) => answer.status),
          `round ${round}`,
        ).to.deep.equal([200, 200]);
        const [first, second] = answers.map((answer) => decode(answer.body.refresh_token as string));
        // Siblings: the same login and generation, each its own token.
        expect(first).to.include({ fam: decode(login.refreshToken).fam, gen: 1 });
        expect(second).to.include({ fam: first?.fam, gen: 1 });
        expect(first?.jti).not.to.equal(second?.jti);
        for (const { body } of answers) {
          await a.me(body.access_token as string).expect(200);
          await b.me(body.access_token as string).expect(200);
        }
        await b.me(login.accessToken).expect(200);
        const next = await b.refresh(answers[round % 2]?.body.refresh_token as string).expect(200);
        for (const { body } of [...answers, next]) await a.me(body.access_token as string).expect(200);
      }
      expect([...a.warnings, ...b.warnings]).to.deep.equal([]);
    });

    it('ends the login when the rotated-away token comes back after the window (default 15 s, forged clock)', async () => {
      const [a, b] = pair(clock);
      const login = await a.manager.createTokens({ data: { sub: 'jane@example.com' } });
      const rotated = (await a.refresh(login.refreshToken).expect(200)).body;
      clock.advance(14_999);
      const late = (await b.refresh(login.refreshToken).expect(200)).body;
      expect(decode(late.refresh_token).gen).to.equal(1);
      clock.advance(1);
      const reused = await b.refresh(login.refreshToken).expect(401);
      expect(reused.body).to.include({ code: 'refresh_token_reused' });
      expect(b.warnings.join('\n')).to.match(/refresh token was presented again/);
      for (const pair of [rotated, late]) {
        await a.me(pair.access_token).expect(401);
        await a.refresh(pair.refresh_token).expect(401);
      }
    });

    it('rotates once per generation: every parallel refresh gets that one next generation, and no fork outlives the window', async () => {
      const instances = pair(clock);
      const [a, b] = instances;
      const login = await a.manager.createTokens({ data: { sub: 'jane@example.com' } });
      const answers = await parallel([a, b], login.refreshToken, 8);
      expect(answers.map((answer) => answer.status)).to.deep.equal(Array(8).fill(200));
      expect(new Set(answers.map(({ body }) => decode(body.refresh_token as string).gen))).to.deep.equal(new Set([1]));
      const [session, ...others] = await instances.store.sessions('jane@example.com');
      expect(others).to.deep.equal([]);
      expect(session).to.include({ id: decode(login.refreshToken).fam, generation: 1 });
      // One sibling refreshes on: the login moves to generation 2, and the other siblings are
      // the previous generation, held to the same window as any rotated-away token.
      const [kept, sibling] = answers.map(({ body }) => body.refresh_token as string);
      await a.refresh(kept as string).expect(200);
      clock.advance(15_000);
      expect((await b.refresh(sibling as string).expect(401)).body).to.include({ code: 'refresh_token_reused' });
    });

    it('gives no grace to an older generation than the previous one, even within the window', async () => {
      const [a, b] = pair(clock);
      const login = await a.manager.createTokens({ data: { sub: 'jane@example.com' } });
      const first = (await a.refresh(login.refreshToken).expect(200)).body;
      const second = (await b.refresh(first.refresh_token).expect(200)).body;
      expect((await a.refresh(login.refreshToken).expect(401)).body).to.include({ code: 'refresh_token_reused' });
      await b.me(second.access_token).expect(401);
    });

    it('takes the window from refreshGrace, and refreshGrace: 0 keeps no grace (one 200, one 401, the login ended)', async () => {
      const [a, b] = pair(clock, { refreshGrace: '1m' });
      const login = await a.manager.createTokens({ data: { sub: 'jane@example.com' } });
      await a.refresh(login.refreshToken).expect(200);
      clock.advance(59_999);
      await b.refresh(login.refreshToken).expect(200);
      clock.advance(1);
      await b.refresh(login.refreshToken).expect(401);

      const [c, d] = pair(clock, { refreshGrace: 0 });
      const other = await c.manager.createTokens({ data: { sub: 'jane@example.com' } });
      const answers = await parallel([c, d], other.refreshToken);
      expect(answers.map((answer) => answer.status).sort()).to.deep.equal([200, 401]);
      const won = answers.find((answer) => answer.status === 200)?.body as Record<string, string>;
      await c.me(won.access_token as string).expect(401);
    });
  });
}

/** Two instances sharing `store(clock)`, on the same forged clock. */
const sharing =
  (store: (clock: Clock) => RevocationStore | (() => RevocationStore)): Pair =>
  (clock, options = {}) => {
    const made = store(clock);
    const stores = [0, 1].map(() => (typeof made === 'function' ? made() : made)) as [RevocationStore, RevocationStore];
    const instances = stores.map((revocationStore) =>
      rotatingInstance({ clock: clock.now, revocationStore, ...options }),
    );
    return Object.assign(instances as [RotatingInstance, RotatingInstance], { store: stores[0] });
  };

describe('refresh grace: a refresh token presented again just after its rotation', () => {
  graceContract(
    'in memory',
    sharing((clock) => new MemoryRevocationStore({ clock: clock.now })),
  );

  describeOnRedis('two app instances, each with its own client of one Redis', (target) => {
    graceContract(
      'sharing one RedisRevocationStore prefix',
      sharing((clock) => {
        const prefix = uniquePrefix('refresh-grace');
        return () => new RedisRevocationStore(target.connect(), { prefix, clock: clock.now });
      }),
    );
  });

  it('keeps maxSessions live logins per user: one more ends the least recently refreshed', async () => {
    const clock = frozenClock();
    const { manager, refresh } = rotatingInstance({
      clock: clock.now,
      revocationStore: new MemoryRevocationStore({ clock: clock.now }),
      maxSessions: 2,
    });
    const logins = [];
    for (let i = 0; i < 3; i += 1) {
      logins.push(await manager.createTokens({ data: { sub: 'jane@example.com' } }));
      clock.advance(1000);
    }
    await refresh(logins[0]?.refreshToken as string).expect(401);
    const ended = await manager.refreshTokens(logins[0]?.refreshToken as string).catch((error) => error);
    expect(ended.code).to.equal('token_revoked');
    for (const login of logins.slice(1)) await refresh(login.refreshToken).expect(200);
  });
});
