import { expect } from 'chai';
import express from 'express';
import jwt from 'jsonwebtoken';
import Koa from 'koa';
import { Get, JsonController, Post, Req, Res } from 'routing-controllers';
import {
  type HttpExchange,
  LoggedIn,
  LoginManager,
  type LoginOptions,
  type TokenPayload,
  User,
} from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { combineStepUp } from '../../src/core/step-up';
import { frozenClock } from '../helpers/clock';
import { csrfFor } from '../helpers/csrf';
import { onEveryServer } from '../helpers/drivers';
import { forge, HS256_SECRET, hmac } from '../helpers/keys';
import { type Account, accountLoader } from '../helpers/users';

const users = accountLoader();
const MINUTE = 60_000;
const SUB = 'john@example.com';
const AGED = 'Bearer error="insufficient_user_authentication", max_age=300';

/** The manager of the app under test. */
let current: LoginManager<Account>;

function managerWith(options: Partial<LoginOptions<Account>> = {}) {
  const clock = frozenClock();
  current = new LoginManager<Account>({
    secret: HS256_SECRET,
    tokenUrl: '/t',
    userLoader: users.load,
    clock: clock.now,
    ...options,
  });
  return { manager: current, clock };
}

@Service()
@JsonController('/step-up')
class StepUpController {
  @LoggedIn({ maxAge: '5m' })
  @Post('/pay')
  pay(@User() user: Account) {
    return { paid: user.email };
  }

  @LoggedIn({ acr: ['mfa', 'hwk'] })
  @Get('/mfa')
  mfa(@User() user: Account) {
    return { mfa: user.email };
  }

  @LoggedIn()
  @Get('/me')
  me(@User() user: Account) {
    return { email: user.email };
  }

  @LoggedIn({ refresh: true })
  @Post('/refresh')
  async refresh(@Req() req: HttpExchange) {
    const { accessToken, refreshToken } = await current.refreshTokens(req);
    return { access_token: accessToken, refresh_token: refreshToken };
  }

  @Post('/cookie-login')
  cookieLogin(@Res() res: HttpExchange) {
    current.setCookie(res, current.createAccessToken({ data: { sub: SUB } }), { persistent: true });
    return { ok: true };
  }
}

/** Class and method requirements add up: the shorter maxAge, the acr values both accept. */
@LoggedIn({ maxAge: '10m', acr: ['mfa', 'hwk'] })
@Service()
@JsonController('/step-up-both')
class BothController {
  @LoggedIn({ maxAge: '2m', acr: ['hwk', 'otp'] })
  @Get('/')
  both() {
    return { ok: true };
  }
}

const CONTROLLERS = [StepUpController, BothController];
const decode = (token: string) => jwt.decode(token) as TokenPayload;
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const cookiesOf = (response: request.Response): string[] => {
  const set = response.headers['set-cookie'] as unknown as string[] | undefined;
  return set ?? [];
};
const cookieValue = (response: request.Response, name: string): string | undefined =>
  cookiesOf(response)
    .map((line) => new RegExp(`^${name}=([^;]*)`).exec(line)?.[1])
    .find((value) => value !== undefined && value !== '');

onEveryServer('step-up (RFC 9470): maxAge', (server) => {
  it('stamps auth_time at login (createAccessToken, createRefreshToken, createTokens), in whole seconds', async () => {
    const { manager, clock } = managerWith();
    clock.advance(1234);
    const now = Math.floor(clock.ms / 1000);
    const pair = await manager.createTokens({ data: { sub: SUB } });
    const tokens = [
      manager.createAccessToken({ data: { sub: SUB } }),
      manager.createRefreshToken({ data: { sub: SUB } }),
    ];
    for (const token of [pair.accessToken, pair.refreshToken, ...tokens]) expect(decode(token).auth_time).to.equal(now);
  });

  it('lets a login younger than maxAge through, and refuses it once the clock moved past maxAge', async () => {
    const { manager, clock } = managerWith();
    const app = server.app(manager, { controllers: CONTROLLERS });
    const { accessToken } = await manager.createTokens({ data: { sub: SUB } });
    clock.advance(5 * MINUTE);
    await request(app).post('/step-up/pay').set(bearer(accessToken)).expect(200, { paid: SUB });
    clock.advance(1000);
    const refused = await request(app).post('/step-up/pay').set(bearer(accessToken)).expect(401);
    expect(refused.headers['www-authenticate']).to.equal(AGED);
    expect(refused.body).to.deep.equal({
      name: 'InvalidCredentialsError',
      message: 'Invalid credentials',
      code: 'insufficient_user_authentication',
    });
    // Still a valid login everywhere else.
    await request(app).get('/step-up/me').set(bearer(accessToken)).expect(200);
  });

  it('keeps the login time through a refresh, so the refreshed token is refused too; a new login passes', async () => {
    const { manager, clock } = managerWith();
    const app = server.app(manager, { controllers: CONTROLLERS });
    const login = await manager.createTokens({ data: { sub: SUB } });
    clock.advance(6 * MINUTE);
    const refreshed = await request(app).post('/step-up/refresh').set(bearer(login.refreshToken)).expect(200);
    const { access_token: access, refresh_token: next } = refreshed.body as {
      access_token: string;
      refresh_token: string;
    };
    expect(decode(access).auth_time).to.equal(decode(login.accessToken).auth_time);
    expect(decode(next).auth_time).to.equal(decode(login.accessToken).auth_time);
    expect(decode(access).iat).to.be.greaterThan(decode(login.accessToken).iat as number);
    const refused = await request(app).post('/step-up/pay').set(bearer(access)).expect(401);
    expect(refused.headers['www-authenticate']).to.equal(AGED);
    await request(app).get('/step-up/me').set(bearer(access)).expect(200);
    const again = await manager.createTokens({ data: { sub: SUB } });
    await request(app).post('/step-up/pay').set(bearer(again.accessToken)).expect(200);
    expect(decode(await manager.refreshAccessToken(next)).auth_time).to.equal(decode(login.accessToken).auth_time);
  });

  it('refuses a token without auth_time (issued before it existed, or elsewhere) on a maxAge route', async () => {
    const { manager, clock } = managerWith();
    const app = server.app(manager, { controllers: CONTROLLERS });
    const now = Math.floor(clock.ms / 1000);
    const legacy = forge({ alg: 'HS256', typ: 'JWT' }, { sub: SUB, iat: now, exp: now + 600 }, hmac(HS256_SECRET));
    const refused = await request(app).post('/step-up/pay').set(bearer(legacy)).expect(401);
    expect(refused.headers['www-authenticate']).to.equal(AGED);
    await request(app).get('/step-up/me').set(bearer(legacy)).expect(200);
  });

  it('refuses a login whose auth_time is in the future (it would pass every maxAge)', async () => {
    const { manager, clock } = managerWith();
    const app = server.app(manager, { controllers: CONTROLLERS });
    const now = Math.floor(clock.ms / 1000);
    const claims = { sub: SUB, iat: now, exp: now + 600, auth_time: now + 3600 };
    const ahead = forge({ alg: 'HS256', typ: 'JWT' }, claims, hmac(HS256_SECRET));
    await request(app).post('/step-up/pay').set(bearer(ahead)).expect(401);
  });

  it('keeps the login time through remember-me and sliding renewals of the cookie', async () => {
    const { manager, clock } = managerWith({ useCookie: true, refreshCookieWithin: '14m' });
    const app = server.app(manager, { controllers: CONTROLLERS });
    const login = await request(app).post('/step-up/cookie-login').expect(200);
    const access = cookieValue(login, 'access-token') as string;
    const remembered = cookieValue(login, 'refresh-token') as string;
    const loggedInAt = decode(access).auth_time;
    expect(decode(remembered).auth_time).to.equal(loggedInAt);

    // Sliding: 6 minutes on, the cookie expires within 14 minutes and is renewed on this request.
    clock.advance(6 * MINUTE);
    const slid = await request(app).get('/step-up/me').set('Cookie', `access-token=${access}`).expect(200);
    const renewed = cookieValue(slid, 'access-token') as string;
    expect(decode(renewed).jti).not.to.equal(decode(access).jti);
    expect(decode(renewed).auth_time).to.equal(loggedInAt);
    const csrf = csrfFor(manager, renewed);
    const stale = { Cookie: `access-token=${renewed}`, 'X-CSRF-Token': csrf };
    expect((await request(app).post('/step-up/pay').set(stale).expect(401)).headers['www-authenticate']).to.equal(AGED);

    // Remember me: the access cookie gone, the refresh cookie renews it, with the same login time.
    clock.advance(20 * MINUTE);
    const cookies = { Cookie: `refresh-token=${remembered}` };
    const renewal = await request(app).get('/step-up/me').set(cookies).expect(200);
    const fromRefresh = cookieValue(renewal, 'access-token') as string;
    expect(decode(fromRefresh).auth_time).to.equal(loggedInAt);
    expect(decode(cookieValue(renewal, 'refresh-token') as string).auth_time).to.equal(loggedInAt);
  });

  it('adds up class and method: the shorter maxAge wins (2 minutes here)', async () => {
    const { manager, clock } = managerWith();
    const app = server.app(manager, { controllers: CONTROLLERS });
    const token = manager.createAccessToken({ data: { sub: SUB }, acr: 'hwk' });
    clock.advance(2 * MINUTE);
    await request(app).get('/step-up-both').set(bearer(token)).expect(200);
    clock.advance(1000);
    const refused = await request(app).get('/step-up-both').set(bearer(token)).expect(401);
    expect(refused.headers['www-authenticate']).to.equal(
      'Bearer error="insufficient_user_authentication", acr_values="hwk", max_age=120',
    );
  });
});

onEveryServer('step-up (RFC 9470): acr', (server) => {
  it('lets a login of an accepted acr through and refuses another, or none, with acr_values', async () => {
    const { manager } = managerWith();
    const app = server.app(manager, { controllers: CONTROLLERS });
    const mfa = await manager.createTokens({ data: { sub: SUB }, acr: 'mfa' });
    expect(decode(mfa.accessToken).acr).to.equal('mfa');
    await request(app).get('/step-up/mfa').set(bearer(mfa.accessToken)).expect(200, { mfa: SUB });
    const hwk = manager.createAccessToken({ data: { sub: SUB }, acr: 'hwk' });
    await request(app).get('/step-up/mfa').set(bearer(hwk)).expect(200);
    for (const token of [
      manager.createAccessToken({ data: { sub: SUB }, acr: 'pwd' }),
      manager.createAccessToken({ data: { sub: SUB } }),
    ]) {
      const refused = await request(app).get('/step-up/mfa').set(bearer(token)).expect(401);
      expect(refused.headers['www-authenticate']).to.equal(
        'Bearer error="insufficient_user_authentication", acr_values="mfa hwk"',
      );
      expect(refused.body.code).to.equal('insufficient_user_authentication');
    }
  });

  it('keeps acr through a refresh', async () => {
    const { manager } = managerWith();
    const app = server.app(manager, { controllers: CONTROLLERS });
    const login = await manager.createTokens({ data: { sub: SUB }, acr: 'mfa' });
    const refreshed = await request(app).post('/step-up/refresh').set(bearer(login.refreshToken)).expect(200);
    await request(app).get('/step-up/mfa').set(bearer(refreshed.body.access_token)).expect(200);
  });

  it('adds up class and method: only the acr values both accept (hwk here)', async () => {
    const { manager } = managerWith();
    const app = server.app(manager, { controllers: CONTROLLERS });
    for (const acr of ['mfa', 'otp']) {
      const token = manager.createAccessToken({ data: { sub: SUB }, acr });
      await request(app).get('/step-up-both').set(bearer(token)).expect(401);
    }
    await request(app)
      .get('/step-up-both')
      .set(bearer(manager.createAccessToken({ data: { sub: SUB }, acr: 'hwk' })))
      .expect(200);
  });

  it('says why in error_description with exposeErrorDescriptions', async () => {
    const { manager } = managerWith({ exposeErrorDescriptions: true });
    const app = server.app(manager, { controllers: CONTROLLERS });
    const refused = await request(app)
      .get('/step-up/mfa')
      .set(bearer(manager.createAccessToken({ data: { sub: SUB } })))
      .expect(401);
    expect(refused.headers['www-authenticate']).to.equal(
      'Bearer error="insufficient_user_authentication", error_description="A more recent or stronger login is required", acr_values="mfa hwk"',
    );
  });
});

describe('step-up options', () => {
  it('refuses a bad maxAge or acr at decoration', () => {
    expect(() => LoggedIn({ maxAge: '5' })).to.throw(TypeError, /maxAge/);
    expect(() => LoggedIn({ maxAge: 0 })).to.throw(TypeError, /maxAge/);
    for (const acr of [[], ['two words'], 'mfa', [1]]) {
      expect(() => LoggedIn({ acr: acr as string[] }), JSON.stringify(acr)).to.throw(TypeError, /acr/);
    }
    const { manager } = managerWith();
    expect(() => manager.requireLogin({ maxAge: 'soon' })).to.throw(TypeError, /requireLogin\(\): `maxAge`/);
    expect(() => manager.requireLogin({ max_age: 300 } as never)).to.throw(TypeError, /maxAge and acr/);
  });

  it('refuses a class and a method that accept no acr value in common (no login could pass)', () => {
    expect(() => combineStepUp({ acr: ['mfa'] }, { acr: ['hwk'] })).to.throw(/accept no value in common/);
    expect(combineStepUp({ maxAge: 600, acr: ['mfa', 'hwk'] }, { maxAge: 120 })).to.deep.equal({
      maxAge: 120,
      acr: ['mfa', 'hwk'],
    });
  });

  it('refuses acr that would break the challenge, and data.auth_time or data.acr, when issuing', async () => {
    const { manager } = managerWith();
    const refused = await manager.createTokens({ data: { sub: SUB }, acr: 'm"fa' }).catch((error: unknown) => error);
    expect(refused).to.be.instanceOf(TypeError);
    expect((refused as Error).message).to.match(/acr/);
    expect(() => manager.createAccessToken({ data: { sub: SUB, auth_time: 1 } })).to.throw(TypeError, /auth_time/);
    expect(() => manager.createAccessToken({ data: { sub: SUB, acr: 'mfa' } })).to.throw(TypeError, /acr option/);
  });

  it('refuses a token whose auth_time or acr has the wrong type (claim_invalid)', async () => {
    const { manager, clock } = managerWith({ exposeErrorDescriptions: true });
    const now = Math.floor(clock.ms / 1000);
    for (const [claim, value] of [
      ['auth_time', '1'],
      ['acr', 2],
    ] as const) {
      const token = forge({ alg: 'HS256' }, { sub: SUB, exp: now + 60, [claim]: value }, hmac(HS256_SECRET));
      const error = await manager.getCurrentUser(token).catch((e: unknown) => e);
      expect(error).to.include({ code: 'claim_invalid', claim });
    }
  });
});

describe('step-up: requireLogin({ maxAge, acr }) outside routing-controllers', () => {
  const apps = (manager: LoginManager<Account>) => {
    const guard = manager.requireLogin({ maxAge: '5m' });
    const plain = express();
    plain.set('env', 'test'); // express's final handler logs errors otherwise
    plain.post('/pay', guard, (_req, res) => void res.json({ paid: true }));
    plain.get('/mfa', manager.requireLogin({ acr: ['mfa'] }), (_req, res) => void res.json({ mfa: true }));
    const koa = new Koa();
    koa.silent = true;
    koa.use((ctx, next) => (ctx.path === '/pay' ? guard(ctx, next) : next()));
    koa.use((ctx, next) => (ctx.path === '/mfa' ? manager.requireLogin({ acr: ['mfa'] })(ctx, next) : next()));
    koa.use((ctx) => {
      ctx.body = { ok: true };
    });
    return { express: plain, koa: koa.callback() };
  };

  for (const framework of ['express', 'koa'] as const) {
    it(`${framework}: a login past maxAge, or of another acr, gets the 401 and its challenge through the error path`, async () => {
      const { manager, clock } = managerWith();
      const app = apps(manager)[framework];
      const token = manager.createAccessToken({ data: { sub: SUB } });
      await request(app).post('/pay').set(bearer(token)).expect(200);
      clock.advance(5 * MINUTE + 1000);
      const refused = await request(app).post('/pay').set(bearer(token)).expect(401);
      expect(refused.headers['www-authenticate']).to.equal(AGED);
      const mfa = await request(app).get('/mfa').set(bearer(token)).expect(401);
      expect(mfa.headers['www-authenticate']).to.equal(
        'Bearer error="insufficient_user_authentication", acr_values="mfa"',
      );
      const stepped = manager.createAccessToken({ data: { sub: SUB }, acr: 'mfa' });
      await request(app).get('/mfa').set(bearer(stepped)).expect(200);
    });
  }
});
