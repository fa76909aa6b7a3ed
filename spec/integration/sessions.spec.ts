import { expect } from 'chai';
import express from 'express';
import jwt from 'jsonwebtoken';
import {
  type LoginOptions,
  type LoginSession,
  MemoryRevocationStore,
  RedisRevocationStore,
  type RevocationStore,
  type TokenPayload,
} from 'routing-controllers-login';
import request from 'supertest';
import { frozenClock } from '../helpers/clock';
import { describeOnRedis, uniquePrefix } from '../helpers/redis-targets';
import { type RotatingInstance, rotatingInstance } from '../helpers/rotating-app';
import type { Account } from '../helpers/users';

const decode = (token: string) => jwt.decode(token) as TokenPayload;
const JANE = 'jane@example.com';
const DAY = 86_400_000;
type Clock = ReturnType<typeof frozenClock>;
type Pair = (clock: Clock, options?: Partial<LoginOptions<Account>>) => [RotatingInstance, RotatingInstance];

/** "Your devices", as every store must give it: instance A and instance B share one store. */
function sessionsContract(name: string, pair: Pair) {
  describe(name, () => {
    let clock: Clock;
    beforeEach(() => {
      clock = frozenClock(Date.now());
    });

    it('lists one entry per login, newest first, with its label and times as Dates; refreshing moves lastRefreshedAt', async () => {
      const [a, b] = pair(clock);
      const phone = await a.manager.createTokens({ data: { sub: JANE }, label: 'Phone' });
      clock.advance(1000);
      const laptop = await b.manager.createTokens({ data: { sub: JANE }, label: 'Laptop' });
      const started = clock.ms;
      clock.advance(1000);
      await a.refresh(laptop.refreshToken).expect(200);
      const listed = await b.manager.sessions(JANE);
      expect(listed).to.deep.equal([
        {
          id: decode(laptop.refreshToken).fam as string,
          startedAt: new Date(started),
          lastRefreshedAt: new Date(clock.ms),
          label: 'Laptop',
          current: false,
        },
        {
          id: decode(phone.refreshToken).fam as string,
          startedAt: new Date(started - 1000),
          lastRefreshedAt: new Date(started - 1000),
          label: 'Phone',
          current: false,
        },
      ] satisfies LoginSession[]);
      expect(await a.manager.sessions('john@example.com')).to.deep.equal([]);
    });

    it('ends one login on instance A: its access and refresh tokens are refused on B, the other login works', async () => {
      const [a, b] = pair(clock);
      const ended = await a.manager.createTokens({ data: { sub: JANE }, label: 'Stolen phone' });
      const kept = await a.manager.createTokens({ data: { sub: JANE }, label: 'Laptop' });
      const refreshed = (await b.refresh(ended.refreshToken).expect(200)).body;
      const id = decode(ended.accessToken).fam as string;
      expect(await a.manager.endSession(JANE, id)).to.equal(true);
      for (const access of [ended.accessToken, refreshed.access_token]) await b.me(access).expect(401);
      for (const refresh of [ended.refreshToken, refreshed.refresh_token]) await b.refresh(refresh).expect(401);
      await b.me(kept.accessToken).expect(200);
      await b.refresh(kept.refreshToken).expect(200);
      expect((await b.manager.sessions(JANE)).map((session) => session.label)).to.deep.equal(['Laptop']);
      expect(await b.manager.endSession(JANE, id), 'ended already').to.equal(false);
    });

    it("ends nothing for an id that is not one of the user's logins, another user's included", async () => {
      const [a, b] = pair(clock);
      const johns = await a.manager.createTokens({ data: { sub: 'john@example.com' } });
      expect(await a.manager.endSession(JANE, decode(johns.accessToken).fam as string)).to.equal(false);
      expect(await a.manager.endSession(JANE, 'no-such-login')).to.equal(false);
      await b.me(johns.accessToken).expect(200);
      expect(await b.manager.sessions('john@example.com')).to.have.length(1);
    });

    it('keeps an ended login refused until its last token is past exp plus clockTolerance (forged clock)', async () => {
      const [a, b] = pair(clock, { clockTolerance: 60, refreshExpiry: '1d' });
      const login = await a.manager.createTokens({ data: { sub: JANE } });
      await a.manager.endSession(JANE, decode(login.refreshToken).fam as string);
      clock.advance(DAY + 59_000);
      const late = await b.manager.refreshTokens(login.refreshToken).catch((error) => error);
      expect(late.code).to.equal('token_revoked');
    });

    it('revokeAllFor ends every login: none is listed afterwards, and none refreshes', async () => {
      const [a, b] = pair(clock);
      const logins = [
        await a.manager.createTokens({ data: { sub: JANE }, label: 'One' }),
        await b.manager.createTokens({ data: { sub: JANE }, label: 'Two' }),
      ];
      await a.manager.revokeAllFor(JANE);
      expect(await b.manager.sessions(JANE)).to.deep.equal([]);
      for (const login of logins) {
        await b.me(login.accessToken).expect(401);
        await b.refresh(login.refreshToken).expect(401);
      }
    });

    it('keeps the newest maxSessions logins per user', async () => {
      const [a, b] = pair(clock, { maxSessions: 2 });
      for (const label of ['First', 'Second', 'Third']) {
        await a.manager.createTokens({ data: { sub: JANE }, label });
        clock.advance(1000);
      }
      expect((await b.manager.sessions(JANE)).map((session) => session.label)).to.deep.equal(['Third', 'Second']);
    });
  });
}

/** Two instances sharing `store(clock)`, on the same forged clock. */
const sharing =
  (store: (clock: Clock) => () => RevocationStore): Pair =>
  (clock, options = {}) => {
    const make = store(clock);
    return [0, 1].map(() => rotatingInstance({ clock: clock.now, revocationStore: make(), ...options })) as [
      RotatingInstance,
      RotatingInstance,
    ];
  };

describe('sessions: the logins a user can see and end', () => {
  sessionsContract(
    'in memory',
    sharing((clock) => {
      const store = new MemoryRevocationStore({ clock: clock.now });
      return () => store;
    }),
  );

  describeOnRedis('two app instances, each with its own client of one Redis', (target) => {
    sessionsContract(
      'sharing one RedisRevocationStore prefix',
      sharing((clock) => {
        const prefix = uniquePrefix('sessions');
        return () => new RedisRevocationStore(target.connect(), { prefix, clock: clock.now });
      }),
    );
  });

  describe('labels', () => {
    const { manager } = rotatingInstance({ revocationStore: new MemoryRevocationStore() });
    const labelOf = async (label: unknown) => {
      const sub = `label-${Math.random()}@example.com`;
      const tokens = await manager.createTokens({ data: { sub }, label: label as string });
      for (const token of Object.values(tokens)) expect(decode(token)).not.to.have.property('label');
      return (await manager.sessions(sub))[0]?.label;
    };

    it('strips control and bidirectional characters, and cuts a long one at 200 characters', async () => {
      expect(await labelOf('Firefox\r\nSet-Cookie: x=1\u0000 on \u202Elinux')).to.equal(
        'Firefox Set-Cookie: x=1 on linux',
      );
      expect(await labelOf(`${'é'.repeat(199)}😀😀`)).to.equal(`${'é'.repeat(199)}😀`);
      expect(await labelOf(' \t\u0007 ')).to.equal(undefined);
      expect(await labelOf(undefined)).to.equal(undefined);
    });

    it('refuses a label that is not a string, naming it', async () => {
      for (const label of [42, {}, null]) {
        const error = await labelOf(label).catch((caught) => caught);
        expect(error, String(label)).to.be.instanceOf(TypeError);
        expect(error.message).to.match(/createTokens: `label` is a string/);
      }
    });
  });

  it('marks the login of the request given as current', async () => {
    const clock = frozenClock(Date.now());
    const { manager } = rotatingInstance({
      clock: clock.now,
      revocationStore: new MemoryRevocationStore({ clock: clock.now }),
    });
    const here = await manager.createTokens({ data: { sub: JANE }, label: 'Here' });
    clock.advance(1000);
    await manager.createTokens({ data: { sub: JANE }, label: 'Elsewhere' });
    const app = express().get('/sessions', async (req, res) => void res.json(await manager.sessions(JANE, req)));
    const { body } = await request(app).get('/sessions').set('Authorization', `Bearer ${here.accessToken}`).expect(200);
    expect(body.map((entry: LoginSession) => [entry.label, entry.current])).to.deep.equal([
      ['Elsewhere', false],
      ['Here', true],
    ]);
    await request(app)
      .get('/sessions')
      .expect(200, /"current":false.*"current":false/);
  });

  it('refuses a sub or id that is not a non-empty string', async () => {
    const { manager } = rotatingInstance({ revocationStore: new MemoryRevocationStore() });
    const calls: (() => Promise<unknown>)[] = [() => manager.sessions(''), () => manager.endSession(JANE, 3 as never)];
    for (const call of calls) {
      expect(
        await Promise.resolve()
          .then(call)
          .catch((error) => error),
      ).to.be.instanceOf(TypeError);
    }
  });
});
