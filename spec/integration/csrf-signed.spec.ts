import { expect } from 'chai';
import { Get, HeaderParam, JsonController, Post, QueryParam, Res } from 'routing-controllers';
import {
  type HttpExchange,
  LoggedIn,
  LoginManager,
  type LoginOptions,
  RequireCsrf,
  User,
} from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { frozenClock } from '../helpers/clock';
import { CSRF_VALUE } from '../helpers/csrf';
import { onEveryServer, type Server } from '../helpers/drivers';
import { HS256_SECRET } from '../helpers/keys';
import { type Account, accountLoader } from '../helpers/users';

const users = accountLoader();
let current: LoginManager<Account>;

@Service()
@JsonController('/signed')
class SignedCsrfController {
  /** The login page: its form's CSRF value (before login, also set as the CSRF cookie). */
  @Get('/login')
  page(@Res() response: HttpExchange) {
    return { csrf: current.csrfValue(response) };
  }

  /** The login form's POST, logging in whoever `user` names (the attacker's own account, in these attacks). */
  @RequireCsrf()
  @Post('/login')
  login(@QueryParam('user') user: string, @Res() response: HttpExchange) {
    current.setCookie(response, current.createAccessToken({ data: { sub: user } }));
    return { loggedIn: user };
  }

  /** A login with a refresh token, which `/refresh` rotates, setting the new access cookie. */
  @Post('/pair')
  async pair(@Res() response: HttpExchange) {
    const tokens = await current.createTokens({ data: { sub: 'john@example.com' } });
    current.setCookie(response, tokens.accessToken);
    return { refresh: tokens.refreshToken };
  }

  @Post('/refresh')
  async refresh(@HeaderParam('x-refresh') refresh: string, @Res() response: HttpExchange) {
    const tokens = await current.refreshTokens(refresh);
    current.setCookie(response, tokens.accessToken);
    return { refresh: tokens.refreshToken };
  }

  @LoggedIn()
  @Post('/notes')
  note(@User() user: Account) {
    return { by: user.email };
  }
}

const JOHN = 'john@example.com';
const JANE = 'jane@example.com';
const MINUTE = 60_000;

const cookieOf = (response: request.Response, name: string): string | undefined => {
  const lines = (response.headers['set-cookie'] as unknown as string[] | undefined) ?? [];
  return lines
    .find((line) => line.startsWith(`${name}=`))
    ?.split(';')[0]
    ?.slice(name.length + 1);
};

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
  const app = server.app(current, { controllers: [SignedCsrfController] });
  /** A browser logged in as `user` through the login form: its token cookie and the CSRF cookie's value. */
  const loggedIn = async (user: string) => {
    const page = await request(app).get('/signed/login').expect(200);
    const before = `csrf-token=${page.body.csrf}`;
    const login = await request(app)
      .post(`/signed/login?user=${user}`)
      .set('Cookie', before)
      .set('X-CSRF-Token', page.body.csrf)
      .expect(200);
    return { cookie: `access-token=${cookieOf(login, 'access-token')}`, csrf: cookieOf(login, 'csrf-token') as string };
  };
  return { app, clock, loggedIn };
}

/** A value of the right shape that this server never made: the attacker's planted pair. */
const PLANTED = ['AAAAAAAAAAAAAAAAAAAAAA', `${'A'.repeat(22)}.${'B'.repeat(43)}`, 'x'];

onEveryServer('signed CSRF values: planted, foreign and tampered values', (server) => {
  it('refuses a planted cookie and value pair on the login form before login (login CSRF)', async () => {
    const { app } = setup(server);
    for (const planted of PLANTED) {
      const response = await request(app)
        .post(`/signed/login?user=${JANE}`)
        .set('Cookie', `csrf-token=${planted}`)
        .set('X-CSRF-Token', planted)
        .expect(403);
      expect(response.body.code, planted).to.equal('csrf_failed');
      expect(cookieOf(response, 'access-token')).to.equal(undefined);
    }
  });

  it('refuses a planted pair after login, on the login form and on cookie writes', async () => {
    const { app, loggedIn } = setup(server);
    const john = await loggedIn(JOHN);
    for (const planted of PLANTED) {
      const cookie = `${john.cookie}; csrf-token=${planted}`;
      const form = await request(app)
        .post(`/signed/login?user=${JANE}`)
        .set('Cookie', cookie)
        .set('X-CSRF-Token', planted);
      expect(form.status, planted).to.equal(403);
      await request(app).post('/signed/notes').set('Cookie', cookie).set('X-CSRF-Token', planted).expect(403);
    }
    await request(app).post('/signed/notes').set('Cookie', john.cookie).set('X-CSRF-Token', john.csrf).expect(200);
  });

  it('refuses a value made before login on a logged-in write, even with its own cookie', async () => {
    const { app, loggedIn } = setup(server);
    const john = await loggedIn(JOHN);
    const anonymous = (await request(app).get('/signed/login').expect(200)).body.csrf as string;
    await request(app)
      .post('/signed/notes')
      .set('Cookie', `${john.cookie}; csrf-token=${anonymous}`)
      .set('X-CSRF-Token', anonymous)
      .expect(403);
  });

  it('refuses the value of another login, on cookie writes and on the login form', async () => {
    const { app, loggedIn } = setup(server);
    const john = await loggedIn(JOHN);
    const jane = await loggedIn(JANE);
    const cookie = `${john.cookie}; csrf-token=${jane.csrf}`;
    await request(app).post('/signed/notes').set('Cookie', cookie).set('X-CSRF-Token', jane.csrf).expect(403);
    await request(app)
      .post(`/signed/login?user=${JANE}`)
      .set('Cookie', cookie)
      .set('X-CSRF-Token', jane.csrf)
      .expect(403);
    await request(app).post('/signed/notes').set('Cookie', jane.cookie).set('X-CSRF-Token', jane.csrf).expect(200);
  });

  it('refuses a value whose signature or random part was tampered with', async () => {
    const { app, loggedIn } = setup(server);
    const john = await loggedIn(JOHN);
    const anonymous = (await request(app).get('/signed/login').expect(200)).body.csrf as string;
    expect(anonymous).to.match(CSRF_VALUE);
    const flip = (value: string, at: number) =>
      `${value.slice(0, at)}${value[at] === 'A' ? 'B' : 'A'}${value.slice(at + 1)}`;
    for (const at of [0, 21, 23, 40, 65]) {
      const forged = flip(anonymous, at);
      const before = await request(app)
        .post(`/signed/login?user=${JANE}`)
        .set('Cookie', `csrf-token=${forged}`)
        .set('X-CSRF-Token', forged);
      expect(before.status, `before login, character ${at}`).to.equal(403);
      const after = flip(john.csrf, at);
      await request(app).post('/signed/notes').set('Cookie', john.cookie).set('X-CSRF-Token', after).expect(403);
    }
  });

  it('keeps a page’s value through a refresh and a sliding renewal: the binding is the login, not the token', async () => {
    const { app, clock } = setup(server, { refreshCookieWithin: '5m' });
    const login = await request(app).post('/signed/pair').expect(200);
    const page = cookieOf(login, 'csrf-token') as string;
    const refreshed = await request(app).post('/signed/refresh').set('x-refresh', login.body.refresh).expect(200);
    const cookie = `access-token=${cookieOf(refreshed, 'access-token')}`;
    expect(cookie).not.to.equal(`access-token=${cookieOf(login, 'access-token')}`);
    await request(app).post('/signed/notes').set('Cookie', cookie).set('X-CSRF-Token', page).expect(200);
    clock.advance(11 * MINUTE);
    const slid = await request(app).post('/signed/notes').set('Cookie', cookie).set('X-CSRF-Token', page).expect(200);
    const renewed = `access-token=${cookieOf(slid, 'access-token')}`;
    expect(renewed).not.to.equal(cookie);
    await request(app).post('/signed/notes').set('Cookie', renewed).set('X-CSRF-Token', page).expect(200);
  });
});

onEveryServer('the CSRF cookie name: __Host-csrf', (server) => {
  it('sets, requires and clears the CSRF cookie under the name given, with the __Host- attributes', async () => {
    const { app } = setup(server, { csrfCookieName: '__Host-csrf' });
    const page = await request(app).get('/signed/login').expect(200);
    const [line] = page.headers['set-cookie'] as unknown as string[];
    expect(line).to.equal(`__Host-csrf=${page.body.csrf}; Path=/; Secure; SameSite=Lax`);
    const post = () => request(app).post(`/signed/login?user=${JOHN}`).set('X-CSRF-Token', page.body.csrf);
    const wrongName = await post().set('Cookie', `csrf-token=${page.body.csrf}`).expect(403);
    expect(wrongName.body.message).to.equal(
      'CSRF token missing or invalid: send the value of the __Host-csrf cookie in the X-CSRF-Token header or the _csrf form field',
    );
    const login = await post().set('Cookie', `__Host-csrf=${page.body.csrf}`).expect(200);
    const value = cookieOf(login, '__Host-csrf') as string;
    expect(value).to.match(CSRF_VALUE);
    expect(cookieOf(login, 'csrf-token')).to.equal(undefined);
    const cookie = `access-token=${cookieOf(login, 'access-token')}; __Host-csrf=${value}`;
    await request(app).post('/signed/notes').set('Cookie', cookie).set('X-CSRF-Token', value).expect(200);
  });

  it('refuses at construction what would make browsers drop it: a domain, secure: false', () => {
    const base = { secret: HS256_SECRET, tokenUrl: '/t', useCookie: true, csrfCookieName: '__Host-csrf' };
    expect(() => new LoginManager({ ...base, cookieOptions: { domain: 'example.com' } })).to.throw(
      /browsers drop a __Host- cookie \(__Host-csrf\) with a `domain`/,
    );
    expect(() => new LoginManager({ ...base, cookieOptions: { secure: false } })).to.throw(
      /__Host-csrf\) unless it is Secure/,
    );
    expect(() => new LoginManager({ ...base, csrfCookieName: 'access-token' })).to.throw(
      /`csrfCookieName` must differ from `cookieName`/,
    );
    expect(() => new LoginManager({ ...base, csrfCookieName: 'a b' })).to.throw(
      /`csrfCookieName` "a b" is not a valid/,
    );
  });
});
