import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { Delete, Get, JsonController, Patch, Post, Put, Res } from 'routing-controllers';
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
import { frozenClock } from '../helpers/clock';
import { CSRF_VALUE, csrfFor } from '../helpers/csrf';
import { onEveryServer, type Server } from '../helpers/drivers';
import { HS256_SECRET } from '../helpers/keys';
import { type Account, accountLoader } from '../helpers/users';

const users = accountLoader();
let current: LoginManager<Account>;

@LoggedIn()
@Service()
@JsonController('/notes')
class NotesController {
  @Get('/')
  list(@User() user: Account) {
    return { owner: user.email };
  }

  @Post('/')
  create() {
    return { created: true };
  }

  @Put('/1')
  replace() {
    return { ok: true };
  }

  @Patch('/1')
  update() {
    return { ok: true };
  }

  @Delete('/1')
  remove() {
    return { ok: true };
  }
}

@Service()
@JsonController('/auth')
class CookieLoginController {
  @Post('/login')
  login(@Res() response: HttpExchange) {
    current.setCookie(response, current.createAccessToken({ data: { sub: 'john@example.com' } }));
    return { ok: true };
  }

  @Post('/remember')
  remember(@Res() response: HttpExchange) {
    current.setCookie(response, current.createAccessToken({ data: { sub: 'john@example.com' }, expiresIn: '10m' }), {
      persistent: true,
    });
    return { ok: true };
  }
}

function setup(server: Server, options: Partial<LoginOptions<Account>> = {}) {
  const clock = frozenClock();
  current = new LoginManager<Account>({
    secret: HS256_SECRET,
    tokenUrl: '/t',
    useCookie: true,
    userLoader: users.load,
    clock: clock.now,
    ...options,
  });
  const manager = current;
  const app = server.app(manager, { controllers: [NotesController, CookieLoginController] });
  const token = manager.createAccessToken({ data: { sub: 'john@example.com' } });
  const csrf = options.csrf === false ? '' : csrfFor(manager, token);
  return { clock, manager, app, token, csrf, cookie: `access-token=${token}` };
}

const cookiesOf = (response: request.Response): string[] =>
  (response.headers['set-cookie'] as unknown as string[]) ?? [];

onEveryServer('cookie mode: CSRF protection', (server) => {
  it('refuses a cookie-authenticated POST without X-CSRF-Token: 403 csrf_failed', async () => {
    const { app, cookie } = setup(server);
    const response = await request(app).post('/notes').set('Cookie', cookie).expect(403);
    expect(response.body).to.deep.equal({
      name: 'CsrfError',
      message:
        'CSRF token missing or invalid: send the value of the csrf-token cookie in the X-CSRF-Token header or the _csrf form field',
      code: 'csrf_failed',
    });
    expect(response.headers).not.to.have.property('www-authenticate');
  });

  it('accepts it with the header holding a value made for the login (as its page got it)', async () => {
    const { app, cookie, csrf } = setup(server);
    await request(app).post('/notes').set('Cookie', cookie).set('X-CSRF-Token', csrf).expect(200, { created: true });
  });

  it('refuses a wrong or truncated value', async () => {
    const { app, cookie, csrf } = setup(server);
    await request(app)
      .post('/notes')
      .set('Cookie', cookie)
      .set('X-CSRF-Token', `${csrf.slice(0, -1)}x`)
      .expect(403);
    await request(app).post('/notes').set('Cookie', cookie).set('X-CSRF-Token', csrf.slice(0, 5)).expect(403);
    await request(app).post('/notes').set('Cookie', cookie).set('X-CSRF-Token', '').expect(403);
  });

  it('guards PUT, PATCH and DELETE too, and leaves GET alone', async () => {
    const { app, cookie, csrf } = setup(server);
    await request(app).put('/notes/1').set('Cookie', cookie).expect(403);
    await request(app).patch('/notes/1').set('Cookie', cookie).expect(403);
    await request(app).delete('/notes/1').set('Cookie', cookie).expect(403);
    await request(app).delete('/notes/1').set('Cookie', cookie).set('X-CSRF-Token', csrf).expect(200);
    await request(app).get('/notes').set('Cookie', cookie).expect(200, { owner: 'john@example.com' });
  });

  it('does not touch header-token requests', async () => {
    const { app, token } = setup(server);
    await request(app).post('/notes').set('Authorization', `Bearer ${token}`).expect(200);
  });

  it('can be turned off with csrf: false, which the logger hears of once, when the manager is built', async () => {
    const warnings: string[] = [];
    const logger = { error: () => {}, warn: (message: string) => void warnings.push(message) };
    const { app, cookie, token } = setup(server, { csrf: false, logger });
    await request(app).post('/notes').set('Cookie', cookie).expect(200);
    await request(app).post('/notes').set('Cookie', cookie).expect(200);
    expect(jwt.decode(token)).not.to.have.property('csrf');
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.include('`useCookie` with `csrf: false`');
  });

  it('sets a readable csrf-token cookie next to the HttpOnly token cookie', async () => {
    const { app } = setup(server);
    const response = await request(app).post('/auth/login').expect(200);
    const [tokenCookie, csrfCookie] = cookiesOf(response);
    expect(tokenCookie).to.match(/^access-token=.+; HttpOnly; SameSite=Lax$/);
    const value = /^csrf-token=([\w.-]+); Path=\/; SameSite=Lax$/.exec(csrfCookie as string)?.[1];
    expect(value).to.match(CSRF_VALUE);
    const cookie = /^access-token=[^;]+/.exec(tokenCookie as string)?.[0] as string;
    await request(app)
      .post('/notes')
      .set('Cookie', cookie)
      .set('X-CSRF-Token', value as string)
      .expect(200);
  });

  it('runs the browser flow: log in, read csrf-token, post with the header', async () => {
    const { app } = setup(server);
    const agent = request.agent(app);
    const login = await agent.post('/auth/login').expect(200);
    const csrf = /csrf-token=([\w.-]+)/.exec(cookiesOf(login).join(';'))?.[1] as string;
    await agent.post('/notes').expect(403);
    await agent.post('/notes').set('X-CSRF-Token', csrf).expect(200);
  });
});

onEveryServer('cookie mode: persistence and sliding sessions', (server) => {
  it('gives a persistent cookie Max-Age equal to the token remaining lifetime (remember me)', async () => {
    const { app } = setup(server);
    const response = await request(app).post('/auth/remember').expect(200);
    const [access, csrf, refresh] = cookiesOf(response);
    for (const cookie of [access, csrf]) expect(cookie).to.include('; Max-Age=600;');
    // and the remember-me refresh cookie, which renews it for refreshExpiry
    expect(refresh).to.match(/^refresh-token=.+; Max-Age=2592000; HttpOnly;/);
  });

  it('writes session cookies by default', async () => {
    const { app } = setup(server);
    const response = await request(app).post('/auth/login').expect(200);
    for (const cookie of cookiesOf(response)) expect(cookie).not.to.include('Max-Age');
  });

  it('renews the cookie of a request whose token expires within refreshCookieWithin', async () => {
    const { app, clock, cookie, token } = setup(server, { refreshCookieWithin: '5m' });
    const early = await request(app).get('/notes').set('Cookie', cookie).expect(200);
    expect(cookiesOf(early)).to.deep.equal([]);
    clock.advance(11 * 60_000);
    const late = await request(app).get('/notes').set('Cookie', cookie).expect(200);
    const renewed = /^access-token=([^;]+)/.exec(cookiesOf(late)[0] as string)?.[1] as string;
    const before = jwt.decode(token) as TokenPayload;
    const after = jwt.decode(renewed) as TokenPayload;
    expect(after.exp - before.exp).to.equal(11 * 60);
    expect(after.csrf).to.equal(before.csrf);
    expect(after.jti).not.to.equal(before.jti);
    expect(after).not.to.have.property('fresh');
    clock.advance(5 * 60_000);
    await request(app).get('/notes').set('Cookie', cookie).expect(401);
    await request(app).get('/notes').set('Cookie', `access-token=${renewed}`).expect(200);
  });

  it('does not renew tokens that came in a header', async () => {
    const { app, clock, token } = setup(server, { refreshCookieWithin: '5m' });
    clock.advance(11 * 60_000);
    const response = await request(app).get('/notes').set('Authorization', `Bearer ${token}`).expect(200);
    expect(cookiesOf(response)).to.deep.equal([]);
  });
});
