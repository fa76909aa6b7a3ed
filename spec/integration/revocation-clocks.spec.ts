import { expect } from 'chai';
import { Redis } from 'ioredis';
import jwt from 'jsonwebtoken';
import {
  LoginManager,
  type LoginOptions,
  MemoryRevocationStore,
  RedisRevocationStore,
  type RevocationStore,
  type TokenPayload,
} from 'routing-controllers-login';
import { frozenClock } from '../helpers/clock';
import { HS256_SECRET } from '../helpers/keys';
import { type Account, accountLoader } from '../helpers/users';

const users = accountLoader();
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 86_400_000;
const decode = (token: string) => jwt.decode(token) as TokenPayload;
/** Why `manager` refuses `token` (`'accepted'` when it does not). */
const verdict = (manager: LoginManager<Account>, token: string, refresh = false) =>
  manager.getCurrentUser(token, { refresh }).then(
    () => 'accepted',
    (error: { code: string }) => error.code,
  );

function managerOn(clock: { now: () => number }, store: RevocationStore, options: Partial<LoginOptions<Account>> = {}) {
  return new LoginManager<Account>({
    secret: HS256_SECRET,
    tokenUrl: '/t',
    userLoader: users.load,
    clock: clock.now,
    revocationStore: store,
    logger: { error: () => {}, warn: () => {} },
    ...options,
  });
}

describe('revocations last as long as a token can be accepted: exp + clockTolerance (issue 16 item 2)', () => {
  const setup = () => {
    const clock = frozenClock();
    const store = new MemoryRevocationStore({ clock: clock.now });
    return { clock, store, manager: managerOn(clock, store, { clockTolerance: 10 }) };
  };

  it('keeps refusing a revoked token after its exp, while the tolerance still accepts it', async () => {
    const { clock, manager } = setup();
    const token = manager.createAccessToken({ data: { sub: 'john@example.com' } });
    await manager.revoke(token);
    clock.advance(15 * MINUTE + 1 * SECOND);
    expect(await verdict(manager, token)).to.equal('token_revoked');
    clock.advance(9 * SECOND);
    expect(await verdict(manager, token)).to.equal('token_expired');
  });

  it('keeps a revokeAllFor cut-off until the longest-lived earlier token is past its tolerance', async () => {
    const { clock, store, manager } = setup();
    const refresh = manager.createRefreshToken({ data: { sub: 'john@example.com' } });
    clock.advance(1);
    await manager.revokeAllFor('john@example.com');
    clock.advance(30 * DAY + 5 * SECOND);
    expect(await verdict(manager, refresh, true)).to.equal('token_revoked');
    clock.advance(5 * SECOND);
    expect(await verdict(manager, refresh, true)).to.equal('token_expired');
    expect(store.size).to.equal(0);
  });

  it('still knows a rotated-away refresh token after its exp, within the tolerance: reuse, not a new access token', async () => {
    const { clock, manager } = setup();
    const { refreshToken } = await manager.createTokens({ data: { sub: 'john@example.com' } });
    clock.advance(DAY);
    await manager.refreshTokens(refreshToken);
    clock.advance(29 * DAY + 5 * SECOND);
    const reused = await manager.refreshAccessToken(refreshToken).catch((error: { code: string }) => error.code);
    expect(reused).to.equal('refresh_token_reused');
  });

  if (process.env.REDIS_URL) {
    it('writes Redis TTLs to exp + clockTolerance', async () => {
      const client = new Redis(process.env.REDIS_URL as string);
      try {
        const prefix = `rcl-tolerance:${process.pid}:${Date.now()}:`;
        const manager = new LoginManager<Account>({
          secret: HS256_SECRET,
          tokenUrl: '/t',
          userLoader: users.load,
          clockTolerance: 10,
          revocationStore: new RedisRevocationStore(client, { prefix }),
        });
        await manager.revoke(manager.createAccessToken({ data: { sub: 'john@example.com' } }));
        await manager.revokeAllFor('jane@example.com');
        const ttls = await Promise.all((await client.keys(`${prefix}*`)).sort().map((key) => client.pttl(key)));
        // The cut-off (30 days + 10 s) and the revocation (15 minutes + 10 s), each at most a second short.
        expect(ttls.sort((x, y) => x - y)[0]).to.be.within(909 * SECOND, 910 * SECOND);
        expect(ttls.at(-1)).to.be.within(30 * DAY + 9 * SECOND, 30 * DAY + 10 * SECOND);
      } finally {
        await client.quit();
      }
    });
  }
});

describe('iat, exp and nbf in whole seconds (issue 17 item 7), and revokeAllFor still exact to the millisecond', () => {
  it('issues whole seconds in every token: access, refresh, pair, rotated, renewed', async () => {
    const clock = frozenClock(Date.UTC(2030, 0, 1, 12, 0, 0, 517));
    const manager = managerOn(clock, new MemoryRevocationStore({ clock: clock.now }));
    const pair = await manager.createTokens({ data: { sub: 'john@example.com' } });
    clock.advance(1234);
    const rotated = await manager.refreshTokens(pair.refreshToken);
    const tokens = [
      manager.createAccessToken({ data: { sub: 'john@example.com' } }),
      manager.createRefreshToken({ data: { sub: 'john@example.com' } }),
      pair.accessToken,
      pair.refreshToken,
      rotated.accessToken,
      rotated.refreshToken,
      await manager.refreshAccessToken(rotated.refreshToken),
    ];
    for (const token of tokens) {
      const { iat, exp, nbf } = decode(token);
      expect([iat, exp].every(Number.isInteger), JSON.stringify({ iat, exp })).to.equal(true);
      expect(nbf).to.equal(undefined);
    }
  });

  it('refuses a token issued a millisecond before revokeAllFor and accepts one a millisecond after, in the same second', async () => {
    const clock = frozenClock(Date.UTC(2030, 0, 1, 12, 0, 0, 500));
    const manager = managerOn(clock, new MemoryRevocationStore({ clock: clock.now }));
    const before = manager.createAccessToken({ data: { sub: 'john@example.com' } });
    const sessionBefore = await manager.createTokens({ data: { sub: 'john@example.com' } });
    clock.advance(1);
    await manager.revokeAllFor('john@example.com'); // "change password, log out everywhere else..."
    clock.advance(1);
    const after = manager.createAccessToken({ data: { sub: 'john@example.com' } }); // "...stay logged in here"
    const sessionAfter = await manager.createTokens({ data: { sub: 'john@example.com' } });
    expect(decode(before).iat).to.equal(decode(after).iat);
    expect(await verdict(manager, before)).to.equal('token_revoked');
    expect(await verdict(manager, sessionBefore.accessToken)).to.equal('token_revoked');
    expect(await verdict(manager, after)).to.equal('accepted');
    expect(await verdict(manager, sessionAfter.accessToken)).to.equal('accepted');
    expect(await verdict(manager, sessionAfter.refreshToken, true)).to.equal('accepted');
  });
});

describe('revokeAllFor across instances whose clocks differ (issue 16 item 13)', () => {
  /** Two instances sharing one store, B's clock `skew` ms behind A's. */
  const twoInstances = (skew: number) => {
    const a = frozenClock();
    const b = { now: () => a.ms - skew };
    const store = new MemoryRevocationStore({ clock: a.now });
    // Clocks as far apart as clockTolerance allows: each accepts the other's tokens.
    const options = { clockTolerance: 10 };
    return { clock: a, a: managerOn(a, store, options), b: managerOn(b, store, options) };
  };

  it('ends a login made on an instance ahead, from one 5 s behind, a second after the login', async () => {
    const { clock, a, b } = twoInstances(5 * SECOND);
    const login = await a.createTokens({ data: { sub: 'john@example.com' } });
    const rotated = await a.refreshTokens(login.refreshToken);
    clock.advance(SECOND);
    await b.revokeAllFor('john@example.com');
    for (const manager of [a, b]) {
      expect(await verdict(manager, rotated.accessToken)).to.equal('token_revoked');
      expect(await verdict(manager, rotated.refreshToken, true)).to.equal('token_revoked');
    }
  });

  it('accepts a login made right after, on an instance 5 s behind the one that revoked', async () => {
    const { clock, a, b } = twoInstances(-5 * SECOND);
    clock.advance(SECOND);
    await b.revokeAllFor('john@example.com'); // b is 5 s ahead
    clock.advance(SECOND);
    const login = await a.createTokens({ data: { sub: 'john@example.com' } });
    const rotated = await a.refreshTokens(login.refreshToken);
    for (const manager of [a, b]) {
      expect(await verdict(manager, login.accessToken)).to.equal('accepted');
      expect(await verdict(manager, rotated.accessToken)).to.equal('accepted');
    }
  });
});
