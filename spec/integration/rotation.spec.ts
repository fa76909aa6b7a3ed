import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import {
  LoginConfigurationError,
  MemoryRevocationStore,
  RedisRevocationStore,
  type RevocationStore,
  type TokenPayload,
} from 'routing-controllers-login';
import { frozenClock } from '../helpers/clock';
import { describeOnRedis, uniquePrefix } from '../helpers/redis-targets';
import { type RotatingInstance, rotatingInstance } from '../helpers/rotating-app';

const decode = (token: string) => jwt.decode(token) as TokenPayload;
const instance = rotatingInstance;

/**
 * The behaviour every store must give without a refresh grace (`refreshGrace: 0`, as before
 * there was one: spec/integration/refresh-grace.spec.ts has the grace); `pair` builds two
 * instances sharing one store.
 */
function rotationContract(name: string, pair: () => RotatingInstance[]) {
  describe(name, () => {
    it('rotates: each use returns a new refresh token of the same login, and retires the one used', async () => {
      const [a] = pair() as [RotatingInstance];
      const login = await a.manager.createTokens({
        data: { sub: 'john@example.com', tenant: 'acme' },
        scopes: ['read'],
      });
      const first = (await a.refresh(login.refreshToken).expect(200)).body;
      expect(first.refresh_token).not.to.equal(login.refreshToken);
      const [old, next] = [decode(login.refreshToken), decode(first.refresh_token)];
      expect(next).to.include({ sub: 'john@example.com', tenant: 'acme', type: 'refresh', fam: old.fam, exp: old.exp });
      expect(next.scopes).to.deep.equal(['read']);
      expect(next.jti).not.to.equal(old.jti);
      expect(decode(first.access_token)).to.include({ type: 'access', fam: old.fam });
      await a.me(first.access_token).expect(200);
      const second = (await a.refresh(first.refresh_token).expect(200)).body;
      await a.me(second.access_token).expect(200);
    });

    it('answers a retired refresh token 401 refresh_token_reused, revokes the whole login, and logs it', async () => {
      const [a, b] = pair() as [RotatingInstance, RotatingInstance];
      const login = await a.manager.createTokens({ data: { sub: 'john@example.com' }, fresh: true });
      const rotated = (await a.refresh(login.refreshToken).expect(200)).body;
      const other = await b.manager.createTokens({ data: { sub: 'john@example.com' } });

      const reused = await b.refresh(login.refreshToken).expect(401);
      expect(reused.body).to.include({ code: 'refresh_token_reused' });
      expect(reused.headers['www-authenticate']).to.equal('Bearer error="invalid_token"');
      expect(b.warnings.join('\n')).to.match(/refresh token was presented again.*"john@example.com"/);

      for (const token of [rotated.refresh_token]) await a.refresh(token).expect(401);
      for (const token of [login.accessToken, rotated.access_token]) await a.me(token).expect(401);
      await b.me(other.accessToken).expect(200);
      await b.refresh(other.refreshToken).expect(200);
    });

    it('lets exactly one of two concurrent uses of a refresh token win', async () => {
      const [a, b] = pair() as [RotatingInstance, RotatingInstance];
      for (let round = 0; round < 5; round += 1) {
        const { refreshToken } = await a.manager.createTokens({ data: { sub: 'jane@example.com' } });
        const answers = await Promise.all([a.refresh(refreshToken), b.refresh(refreshToken)]);
        const statuses = answers.map((answer) => answer.status).sort();
        expect(statuses, `round ${round}`).to.deep.equal([200, 401]);
        expect(answers.find((answer) => answer.status === 401)?.body.code).to.equal('refresh_token_reused');
      }
    });
  });
}

describe('refresh-token rotation with reuse detection', () => {
  rotationContract('in memory', () => {
    const store = new MemoryRevocationStore();
    return [0, 1].map(() => instance({ revocationStore: store, refreshGrace: 0 }));
  });

  describeOnRedis('across two instances', (target) => {
    rotationContract('sharing one Redis store', () => {
      const prefix = uniquePrefix('rotation');
      return [0, 1].map(() =>
        instance({ revocationStore: new RedisRevocationStore(target.connect(), { prefix }), refreshGrace: 0 }),
      );
    });
  });

  it('keeps the login’s end: a rotated chain stops at the first refresh token’s exp (forged clock)', async () => {
    const clock = frozenClock();
    const { manager } = instance({
      clock: clock.now,
      revocationStore: new MemoryRevocationStore({ clock: clock.now }),
    });
    let { refreshToken } = await manager.createTokens({ data: { sub: 'john@example.com' } });
    for (let day = 0; day < 29; day += 1) {
      clock.advance(86_400_000);
      ({ refreshToken } = await manager.refreshTokens(refreshToken));
    }
    clock.advance(86_400_000);
    const ended = await manager.refreshTokens(refreshToken).catch((error) => error);
    expect(ended.code).to.equal('token_expired');
  });

  it('keeps one store entry for a login however often it refreshes: 5 000 rotations hold what one does', async () => {
    const clock = frozenClock();
    const store = new MemoryRevocationStore({ clock: clock.now });
    const { manager } = instance({ clock: clock.now, revocationStore: store });
    let { refreshToken } = await manager.createTokens({ data: { sub: 'john@example.com' } });
    ({ refreshToken } = await manager.refreshTokens(refreshToken));
    const afterOne = store.size;
    for (let i = 0; i < 5000; i += 1) {
      clock.advance(1000);
      ({ refreshToken } = await manager.refreshTokens(refreshToken));
    }
    expect(store.size).to.equal(afterOne);
    expect(afterOne).to.equal(1);
  });

  it('keeps refreshAccessToken working without rotating, and refuses a rotated-away token there too', async () => {
    const { manager } = instance({ refreshGrace: 0 });
    const { refreshToken } = await manager.createTokens({ data: { sub: 'john@example.com' } });
    await manager.refreshAccessToken(refreshToken);
    await manager.refreshAccessToken(refreshToken);
    const rotated = await manager.refreshTokens(refreshToken);
    const refused = await manager.refreshAccessToken(refreshToken).catch((error) => error);
    expect(refused.code).to.equal('refresh_token_reused');
    const afterwards = await manager.refreshAccessToken(rotated.refreshToken).catch((error) => error);
    expect(afterwards.code).to.equal('token_revoked');
  });

  it('returns the refresh token given, reusable, with rotateRefreshTokens: false', async () => {
    const { manager, refresh } = instance({ rotateRefreshTokens: false });
    const token = manager.createRefreshToken({ data: { sub: 'john@example.com' } });
    expect((await manager.refreshTokens(token)).refreshToken).to.equal(token);
    expect((await refresh(token).expect(200)).body.refresh_token).to.equal(token);
    await refresh(token).expect(200);
  });

  it('starts a family of its own for refresh tokens from createRefreshToken', async () => {
    const { manager } = instance();
    const token = manager.createRefreshToken({ data: { sub: 'john@example.com' } });
    expect(decode(token).fam).to.match(/^[0-9a-f-]{36}$/);
    const rotated = await manager.refreshTokens(token);
    expect(decode(rotated.refreshToken).fam).to.equal(decode(token).fam);
  });

  it('refuses, at construction, a store of the 0.1 interface, naming what it lacks', () => {
    const legacy = {
      add: async () => {},
      has: async () => false,
      setCutoff: async () => {},
      cutoff: async () => undefined,
    } as unknown as RevocationStore;
    for (const rotateRefreshTokens of [true, false]) {
      expect(() => instance({ revocationStore: legacy, rotateRefreshTokens })).to.throw(
        LoginConfigurationError,
        /revocationStore` lacks revoke, lookup, revokeAll, startSession, rotate, endSession, sessions.*replaced in 0\.2/,
      );
    }
  });

  it('fails closed with a 503 when the store cannot rotate the login', async () => {
    const memory = new MemoryRevocationStore();
    const failingRotate: RevocationStore = {
      revoke: (...args) => memory.revoke(...args),
      lookup: (...args) => memory.lookup(...args),
      revokeAll: (...args) => memory.revokeAll(...args),
      startSession: (...args) => memory.startSession(...args),
      endSession: (...args) => memory.endSession(...args),
      sessions: (...args) => memory.sessions(...args),
      rotate: async () => {
        throw new Error("READONLY You can't write against a read only replica.");
      },
    };
    const { manager, refresh } = instance({
      revocationStore: failingRotate,
      logger: { error: () => {}, warn: () => {} },
    });
    const { refreshToken } = await manager.createTokens({ data: { sub: 'john@example.com' } });
    const refused = await refresh(refreshToken).expect(503);
    expect(refused.body).to.include({ code: 'store_unavailable' });
    expect(refused.text).not.to.include(refreshToken);
  });

  it('refuses unknown keys in createTokens, naming the right one', async () => {
    const { manager } = instance();
    const error = await manager.createTokens({ data: { sub: 'u' }, expiresIn: 60 } as never).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(TypeError);
    expect((error as Error).message).to.match(
      /createTokens: unknown key `expiresIn`.*createTokens takes \{ data, scopes\?, fresh\?, acr\?, label\?, dpop\? \}/,
    );
  });
});
