import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { Get, JsonController, Post, Req } from 'routing-controllers';
import { type HttpExchange, LoggedIn, LoginManager, type TokenPayload, User } from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { onEveryServer } from '../helpers/drivers';
import { forge, HS256_SECRET, hmac, nowSeconds } from '../helpers/keys';
import { type Account, accountLoader } from '../helpers/users';

const users = accountLoader();
const manager = new LoginManager<Account>({ secret: HS256_SECRET, tokenUrl: '/t', userLoader: users.load });

@Service()
@JsonController('/tokens')
class TokenController {
  @LoggedIn({ refresh: true })
  @Post('/refresh')
  async refresh(@Req() req: HttpExchange, @User() user: Account) {
    return { access_token: await manager.refreshAccessToken(req), for: user.email };
  }

  @LoggedIn()
  @Get('/me')
  me(@User() user: Account) {
    return { email: user.email };
  }

  @LoggedIn({ fresh: true })
  @Post('/password')
  changePassword() {
    return { changed: true };
  }
}

const decode = (token: string) => jwt.decode(token) as TokenPayload;
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

onEveryServer('token types: access and refresh', (server) => {
  const app = server.app(manager, { controllers: [TokenController] });
  const access = manager.createAccessToken({ data: { sub: 'john@example.com' } });
  const refresh = manager.createRefreshToken({ data: { sub: 'john@example.com', tenant: 'acme' }, scopes: ['read'] });

  it('stamps every token with a unique jti and its type', () => {
    expect(decode(access)).to.include({ type: 'access' });
    expect(decode(refresh)).to.include({ type: 'refresh' });
    const ids = new Set([access, refresh, manager.createAccessToken({ data: { sub: 'x' } })].map((t) => decode(t).jti));
    expect(ids.size).to.equal(3);
  });

  it('gives refresh tokens refreshExpiry (30 days by default)', () => {
    const payload = decode(refresh);
    expect(payload.exp - Math.floor(payload.iat as number)).to.equal(30 * 86_400);
    const weekly = new LoginManager({ secret: HS256_SECRET, tokenUrl: '/t', refreshExpiry: '7d' });
    const short = decode(weekly.createRefreshToken({ data: { sub: 'u' } }));
    expect(short.exp - Math.floor(short.iat as number)).to.equal(7 * 86_400);
  });

  it('refuses a refresh token on an ordinary route', async () => {
    const response = await request(app).get('/tokens/me').set(bearer(refresh)).expect(401);
    expect(response.headers['www-authenticate']).to.equal('Bearer error="invalid_token"');
    await request(app).get('/tokens/me').set(bearer(access)).expect(200);
  });

  it('refuses an access token on a refresh route, and mints an access token from a refresh token', async () => {
    await request(app).post('/tokens/refresh').set(bearer(access)).expect(401);
    const response = await request(app).post('/tokens/refresh').set(bearer(refresh)).expect(200);
    expect(response.body.for).to.equal('john@example.com');
    const minted = decode(response.body.access_token);
    expect(minted).to.include({ sub: 'john@example.com', tenant: 'acme', type: 'access' });
    expect(minted.scopes).to.deep.equal(['read']);
    expect(minted.exp - Math.floor(minted.iat as number)).to.equal(900);
    await request(app).get('/tokens/me').set(bearer(response.body.access_token)).expect(200);
  });

  it('never makes a minted token fresh', async () => {
    const response = await request(app).post('/tokens/refresh').set(bearer(refresh)).expect(200);
    expect(decode(response.body.access_token)).not.to.have.property('fresh');
    const denied = await request(app).post('/tokens/password').set(bearer(response.body.access_token)).expect(401);
    expect(denied.body.code).to.equal('fresh_login_required');
  });

  it('takes a refresh token string in refreshAccessToken and getCurrentUser({ refresh: true }) only', async () => {
    expect(decode(await manager.refreshAccessToken(refresh)).type).to.equal('access');
    expect(await manager.getCurrentUser(refresh, { refresh: true })).to.include({ email: 'john@example.com' });
    for (const attempt of [() => manager.getCurrentUser(refresh), () => manager.refreshAccessToken(access)]) {
      const error = await attempt().catch((e: unknown) => e);
      expect(error).to.include({ code: 'token_type_invalid', httpCode: 401 });
    }
  });

  it('treats a token without a type (issued before types existed) as an access token', async () => {
    const legacy = forge(
      { alg: 'HS256', typ: 'JWT' },
      { sub: 'john@example.com', exp: nowSeconds() + 60 },
      hmac(HS256_SECRET),
    );
    await request(app).get('/tokens/me').set(bearer(legacy)).expect(200);
    await request(app).post('/tokens/refresh').set(bearer(legacy)).expect(401);
  });

  it('refuses an unknown type', async () => {
    const odd = forge(
      { alg: 'HS256' },
      { sub: 'john@example.com', exp: nowSeconds() + 60, type: 'id' },
      hmac(HS256_SECRET),
    );
    const error = await manager.getCurrentUser(odd).catch((e: unknown) => e);
    expect(error).to.include({ code: 'claim_invalid' });
  });

  it('refuses @LoggedIn({ refresh: true, fresh: true }) at decoration', () => {
    expect(() => LoggedIn({ refresh: true, fresh: true })).to.throw(TypeError, /exclude each other/);
  });
});

onEveryServer('fresh logins', (server) => {
  const app = server.app(manager, { controllers: [TokenController] });

  it('lets a fresh token through and refuses a non-fresh one with 401 fresh_login_required', async () => {
    const fresh = manager.createAccessToken({ data: { sub: 'john@example.com' }, fresh: true });
    await request(app).post('/tokens/password').set(bearer(fresh)).expect(200, { changed: true });
    const stale = manager.createAccessToken({ data: { sub: 'john@example.com' } });
    const response = await request(app).post('/tokens/password').set(bearer(stale)).expect(401);
    expect(response.body).to.deep.include({ code: 'fresh_login_required' });
    expect(response.headers['www-authenticate']).to.equal('Bearer error="invalid_token"');
  });

  it('still needs a login first', async () => {
    const response = await request(app).post('/tokens/password').expect(401);
    expect(response.headers['www-authenticate']).to.equal('Bearer');
  });
});
