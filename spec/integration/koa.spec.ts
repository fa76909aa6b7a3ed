import { expect } from 'chai';
import type { Context } from 'koa';
import { Authorized, Body, Ctx, CurrentUser, Get, JsonController, Post, UnauthorizedError } from 'routing-controllers';
import { LoggedIn, LoginManager, PasswordForm, User } from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { HS256_SECRET } from '../helpers/keys';
import { koaAppWith } from '../helpers/koa';
import { type Account, accountLoader } from '../helpers/users';

const users = accountLoader();
const manager = new LoginManager<Account>({ secret: HS256_SECRET, tokenUrl: '/t', userLoader: users.load });

@Service()
@JsonController('/koa')
class KoaController {
  @LoggedIn()
  @Get('/me')
  me(@User() user: Account) {
    return user;
  }

  @LoggedIn({ scopes: ['admin'] })
  @Get('/admin')
  admin() {
    return { admin: true };
  }

  @Authorized()
  @Get('/current')
  current(@CurrentUser() user: Account) {
    return { email: user.email };
  }

  @LoggedIn()
  @Post('/logout')
  async logout(@Ctx() ctx: Context) {
    await manager.logout(ctx);
    return { ok: true };
  }

  @Post('/token')
  token(@Body({ validate: true }) form: PasswordForm) {
    return { username: form.username };
  }

  @Post('/cookie')
  cookie(@Ctx() ctx: Context) {
    cookieManager.setCookie(ctx, cookieManager.createAccessToken({ data: { sub: 'john@example.com' } }));
    return { ok: true };
  }
}

const cookieManager = new LoginManager<Account>({
  secret: HS256_SECRET,
  tokenUrl: '/t',
  useCookie: true,
  userLoader: users.load,
});

describe('Koa: useKoaServer(app, loginConfig(...))', () => {
  const token = (scopes?: string[]) =>
    manager.createAccessToken({ data: { sub: 'john@example.com' }, ...(scopes ? { scopes } : {}) });

  for (const defaultErrorHandler of [true, false]) {
    describe(`with defaultErrorHandler: ${defaultErrorHandler}`, () => {
      const app = koaAppWith(manager, { controllers: [KoaController], defaultErrorHandler });
      const server = app.callback();

      afterEach(() => {
        expect(app.errors.filter((error) => Number((error as { status?: number }).status ?? 500) >= 500)).to.deep.equal(
          [],
        );
      });

      it('answers 401 with a bare Bearer challenge without a token', async () => {
        const response = await request(server).get('/koa/me').expect(401);
        expect(response.headers['www-authenticate']).to.equal('Bearer');
      });

      it('answers 401 invalid_token for a bad token, without echoing it', async () => {
        const bad = `${token()}x`;
        const response = await request(server).get('/koa/me').set('Authorization', `Bearer ${bad}`).expect(401);
        expect(response.headers['www-authenticate']).to.equal('Bearer error="invalid_token"');
        expect(response.text).not.to.include(bad.slice(0, 20));
      });

      it('answers 403 insufficient_scope for a missing scope', async () => {
        const response = await request(server).get('/koa/admin').set('Authorization', `Bearer ${token()}`).expect(403);
        expect(response.headers['www-authenticate']).to.equal('Bearer error="insufficient_scope", scope="admin"');
      });

      it('answers 200 with the user for a good token, through @User and @CurrentUser', async () => {
        await request(server)
          .get('/koa/me')
          .set('Authorization', `Bearer ${token()}`)
          .expect(200, { email: 'john@example.com', name: 'John' });
        await request(server)
          .get('/koa/current')
          .set('Authorization', `Bearer ${token()}`)
          .expect(200, { email: 'john@example.com' });
        await request(server)
          .get('/koa/admin')
          .set('Authorization', `Bearer ${token(['admin'])}`)
          .expect(200, { admin: true });
      });

      it('logs out given the Koa context: the token is refused afterwards', async () => {
        const value = token();
        await request(server).post('/koa/logout').set('Authorization', `Bearer ${value}`).expect(200, { ok: true });
        await request(server).get('/koa/me').set('Authorization', `Bearer ${value}`).expect(401);
      });
    });
  }

  it('marks cookies Secure when Koa says the request came over HTTPS (app.proxy and X-Forwarded-Proto)', async () => {
    const app = koaAppWith(cookieManager, { controllers: [KoaController] }, (koa) => {
      koa.proxy = true;
    });
    const plain = await request(app.callback()).post('/koa/cookie').expect(200);
    expect(String(plain.headers['set-cookie'])).not.to.include('Secure');
    const https = await request(app.callback()).post('/koa/cookie').set('X-Forwarded-Proto', 'https').expect(200);
    const cookies = https.headers['set-cookie'] as unknown as string[];
    expect(cookies).to.have.length(2);
    for (const cookie of cookies) expect(cookie).to.include('; Secure;');
  });

  it("answers 401 with an app error that is an HttpError under routing-controllers' Koa error handler", async () => {
    const custom = new LoginManager<Account>({
      secret: HS256_SECRET,
      tokenUrl: '/t',
      userLoader: users.load,
      notAuthenticatedError: () => new UnauthorizedError('Log in first'),
    });
    const response = await request(koaAppWith(custom, { controllers: [KoaController] }).callback())
      .get('/koa/me')
      .expect(401);
    expect(response.headers['www-authenticate']).to.equal('Bearer');
    expect(response.body).to.include({ message: 'Log in first' });
  });
});
