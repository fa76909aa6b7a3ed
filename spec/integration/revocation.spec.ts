import { sign } from 'node:crypto';
import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { Get, JsonController, Post, Req, Res } from 'routing-controllers';
import {
  type HttpExchange,
  LoggedIn,
  type LoginLogger,
  LoginManager,
  LoginStoreUnavailableError,
  MemoryRevocationStore,
  type RevocationStore,
  type TokenPayload,
  User,
} from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { frozenClock } from '../helpers/clock';
import { onEveryServer, type Server } from '../helpers/drivers';
import { forge, HS256_SECRET, hmac, keyPair, nowSeconds } from '../helpers/keys';
import { type Account, accountLoader } from '../helpers/users';

/** The order n of the P-256 group. */
const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

const users = accountLoader();
let current: LoginManager<Account>;

@Service()
@JsonController('/session')
class SessionController {
  @LoggedIn()
  @Get('/me')
  me(@User() user: Account) {
    return { email: user.email };
  }

  @LoggedIn()
  @Post('/logout')
  async logout(@Req() req: HttpExchange, @Res() res: HttpExchange) {
    await current.logout(req, res);
    return { ok: true };
  }
}

/** A manager on a frozen clock, and (given a server) an app of SessionController. */
function setup(
  server: Server | undefined,
  options: { store?: RevocationStore; storeTimeout?: number; logger?: LoginLogger } = {},
) {
  const clock = frozenClock();
  const store = new MemoryRevocationStore({ clock: clock.now });
  const manager = new LoginManager<Account>({
    secret: HS256_SECRET,
    tokenUrl: '/t',
    userLoader: users.load,
    clock: clock.now,
    revocationStore: options.store ?? store,
    ...(options.storeTimeout ? { storeTimeout: options.storeTimeout } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  current = manager;
  const app = server?.app(manager, { controllers: [SessionController] }) ?? (() => {});
  const token = (sub = 'john@example.com') => manager.createAccessToken({ data: { sub } });
  const me = (value: string) => request(app).get('/session/me').set('Authorization', `Bearer ${value}`);
  return { clock, store, manager, app, token, me };
}

onEveryServer('revocation', (server) => {
  it('refuses a revoked token on the very next request, and only that token', async () => {
    const { manager, token, me } = setup(server);
    const revoked = token();
    const other = token();
    await me(revoked).expect(200);
    await manager.revoke(revoked);
    const response = await me(revoked).expect(401);
    expect(response.headers['www-authenticate']).to.equal('Bearer error="invalid_token"');
    await me(other).expect(200);
    const error = await manager.getCurrentUser(revoked).catch((e: unknown) => e);
    expect(error).to.include({ code: 'token_revoked' });
  });

  it('revokes by payload too, and refuses a payload without jti', async () => {
    const { manager, token, me } = setup(server);
    const value = token();
    await manager.revoke(jwt.decode(value) as TokenPayload);
    await me(value).expect(401);
    const legacy = { sub: 'u', exp: 1 } as TokenPayload;
    const error = await manager.revoke(legacy).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(TypeError);
    expect((error as Error).message).to.match(/revokeAllFor/);
  });

  it('logs out a valid token without jti: the logout answers, and the token is refused afterwards', async () => {
    const { app, clock, me } = setup(server);
    const legacy = forge(
      { alg: 'HS256', typ: 'JWT' },
      { sub: 'john@example.com', exp: clock.now() / 1000 + 600 },
      hmac(HS256_SECRET),
    );
    await me(legacy).expect(200);
    await request(app).post('/session/logout').set('Authorization', `Bearer ${legacy}`).expect(200, { ok: true });
    await me(legacy).expect(401);
  });

  it('logout() revokes the request token and clears the cookie', async () => {
    const { app, token, me } = setup(server);
    const value = token();
    await request(app).post('/session/logout').set('Authorization', `Bearer ${value}`).expect(200);
    await me(value).expect(401);
  });

  it('revokeAllFor(sub) refuses the tokens issued before it and accepts those issued after', async () => {
    const { manager, clock, token, me } = setup(server);
    const before = token();
    const otherUser = token('jane@example.com');
    clock.advance(1);
    await manager.revokeAllFor('john@example.com');
    await me(before).expect(401);
    await me(otherUser).expect(200);
    clock.advance(1);
    await me(token()).expect(200);
  });

  it('refuses a token issued in the same millisecond as the cut-off', async () => {
    const { manager, token, me } = setup(server);
    const sameMoment = token();
    await manager.revokeAllFor('john@example.com');
    await me(sameMoment).expect(401);
  });

  it('keeps a revokeAllFor cut-off as long as any earlier token could live, then forgets it', async () => {
    const { manager, clock, store, me } = setup(server);
    const refresh = manager.createRefreshToken({ data: { sub: 'john@example.com' } });
    clock.advance(1);
    await manager.revokeAllFor('john@example.com');
    clock.advance(29 * 86_400_000);
    expect(store.size).to.equal(1);
    expect(await manager.getCurrentUser(refresh, { refresh: true }).catch((e: { code: string }) => e.code)).to.equal(
      'token_revoked',
    );
    clock.advance(86_400_000);
    expect(store.size).to.equal(0);
    await me('x').expect(401);
  });

  describe('when the store fails', () => {
    /** A store whose every method answers `answer()`, or the memory store's. */
    const storeAnswering = (answer: (() => Promise<never>) | undefined, memory = new MemoryRevocationStore()) => {
      const methods = ['revoke', 'lookup', 'revokeAll', 'startSession', 'rotate', 'endSession', 'sessions'] as const;
      return Object.fromEntries(
        methods.map((name) => [
          name,
          (...args: unknown[]) => (answer ? answer() : (memory[name] as (...a: unknown[]) => unknown)(...args)),
        ]),
      ) as unknown as RevocationStore;
    };
    const hanging = storeAnswering(() => new Promise<never>(() => {}));

    it('answers 503 within the timeout when the store hangs, accepting nothing', async () => {
      server.expectServerErrors();
      const logged: unknown[] = [];
      const { me, token } = setup(server, {
        store: hanging,
        storeTimeout: 50,
        logger: { error: (m: string) => void logged.push(m), warn: () => {} },
      });
      const started = Date.now();
      const response = await me(token()).expect(503);
      expect(Date.now() - started).to.be.below(1000);
      expect(response.body).to.deep.equal({
        name: 'LoginStoreUnavailableError',
        message: 'Login service unavailable',
        code: 'store_unavailable',
      });
      await me(token()).expect(503);
      expect(logged).to.have.length(1);
    });

    it('fails closed on store errors, logs the outage once, and recovers', async () => {
      server.expectServerErrors();
      let failing = true;
      const memory = new MemoryRevocationStore();
      const broken = storeAnswering(() => Promise.reject(new Error('ECONNREFUSED')));
      const working = storeAnswering(undefined, memory);
      const flaky = new Proxy(working, {
        get: (target, name) => (failing ? broken : target)[name as keyof RevocationStore],
      });
      const errors: unknown[] = [];
      const warnings: unknown[] = [];
      const { manager, me, token } = setup(server, {
        store: flaky,
        logger: { error: (...args: unknown[]) => void errors.push(args), warn: (m: string) => void warnings.push(m) },
      });
      for (let i = 0; i < 5; i += 1) await me(token()).expect(503);
      expect(errors).to.have.length(1);
      const revokeError = await manager.revoke(token()).catch((e: unknown) => e);
      expect(revokeError).to.be.instanceOf(LoginStoreUnavailableError);
      failing = false;
      await me(token()).expect(200);
      expect(warnings).to.deep.equal(['routing-controllers-login: revocation store available again']);
      expect(errors).to.have.length(1);
    });
  });
});

describe('revocation: revoke() and the store', () => {
  it('treats revoking an expired token as done, and a forged one as an authentication failure', async () => {
    const { manager, clock, store, token } = setup(undefined);
    const value = token();
    clock.advance(16 * 60_000);
    await manager.revoke(value);
    expect(store.size).to.equal(0);
    const error = await manager.revoke('garbage').catch((e: unknown) => e);
    expect(error).to.include({ code: 'token_malformed' });
  });

  it('revokes a jti-less token by its signed part, so the same token with a malleated ECDSA signature is refused too', async () => {
    const { privateKey, privatePem } = keyPair('p256');
    const manager = new LoginManager<Account>({
      secret: privatePem,
      algorithm: 'ES256',
      tokenUrl: '/t',
      userLoader: users.load,
    });
    const es256 = (input: string) => sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });
    const legacy = forge({ alg: 'ES256' }, { sub: 'john@example.com', exp: nowSeconds() + 600 }, (input) =>
      es256(input).toString('base64url'),
    );
    // (r, s) and (r, n − s) both verify: one token, two signature strings.
    const [signed, signature] = [
      legacy.slice(0, legacy.lastIndexOf('.')),
      Buffer.from(legacy.split('.')[2] as string, 'base64url'),
    ];
    const s = BigInt(`0x${signature.subarray(32).toString('hex')}`);
    const flipped = Buffer.from((P256_ORDER - s).toString(16).padStart(64, '0'), 'hex');
    const malleated = `${signed}.${Buffer.concat([signature.subarray(0, 32), flipped]).toString('base64url')}`;
    expect(await manager.getCurrentUser(malleated)).to.include({ email: 'john@example.com' });
    await manager.revoke(legacy);
    for (const token of [legacy, malleated]) {
      expect(await manager.getCurrentUser(token).catch((e: { code: string }) => e.code)).to.equal('token_revoked');
    }
  });

  it('forgets a revocation once the token would have expired: the memory store holds no entry for it', async () => {
    const { manager, clock, store, token } = setup(undefined);
    await manager.revoke(token());
    await manager.revoke(manager.createAccessToken({ data: { sub: 'u' }, expiresIn: '1h' }));
    expect(store.size).to.equal(2);
    clock.advance(15 * 60_000);
    expect(store.size).to.equal(1);
    clock.advance(45 * 60_000);
    expect(store.size).to.equal(0);
  });

  it('stays bounded under many logouts', async () => {
    const { manager, clock, store, token } = setup(undefined);
    for (let i = 0; i < 2000; i += 1) await manager.revoke(token());
    expect(store.size).to.equal(2000);
    clock.advance(15 * 60_000);
    await manager.revoke(token());
    expect(store.size).to.equal(1);
  });
});
