import { expect } from 'chai';
import { Get, JsonController, Post, Req, Res } from 'routing-controllers';
import { type HttpExchange, LoggedIn, LoginManager, MemoryRevocationStore, User } from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { frozenClock } from '../helpers/clock';
import { onEveryServer, type Server } from '../helpers/drivers';
import { HS256_SECRET } from '../helpers/keys';
import { type Account, accountLoader } from '../helpers/users';

const users = accountLoader();
let current: LoginManager<Account>;
const MINUTE = 60_000;

@Service()
@JsonController('/cookie-session')
class CookieSessionController {
  @Post('/login')
  login(@Res() response: HttpExchange) {
    current.setCookie(response, current.createAccessToken({ data: { sub: 'john@example.com' } }));
    return { ok: true };
  }

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

function setup(server: Server) {
  const clock = frozenClock();
  current = new LoginManager<Account>({
    secret: HS256_SECRET,
    tokenUrl: '/t',
    useCookie: true,
    refreshCookieWithin: '5m',
    userLoader: users.load,
    clock: clock.now,
    revocationStore: new MemoryRevocationStore({ clock: clock.now }),
  });
  const app = server.app(current, { controllers: [CookieSessionController] });
  const cookies = (response: request.Response) =>
    ((response.headers['set-cookie'] as unknown as string[] | undefined) ?? []).map((c) => c.split(';')[0] as string);
  const tokenCookie = (response: request.Response) => cookies(response).find((c) => c.startsWith('access-token='));
  const csrfOf = (response: request.Response) =>
    cookies(response)
      .find((c) => c.startsWith('csrf-token='))
      ?.slice('csrf-token='.length) as string;
  return { app, clock, tokenCookie, csrfOf };
}

onEveryServer('logout ends the whole cookie session', (server) => {
  it('refuses, after logout, the cookies that sliding renewals replaced, not only the last one', async () => {
    const { app, clock, tokenCookie, csrfOf } = setup(server);
    const login = await request(app).post('/cookie-session/login').expect(200);
    const first = tokenCookie(login) as string;
    const csrf = csrfOf(login);
    clock.advance(11 * MINUTE);
    const slid = await request(app).get('/cookie-session/me').set('Cookie', first).expect(200);
    const second = tokenCookie(slid) as string;
    expect(second).to.be.a('string').and.not.equal(first);
    clock.advance(11 * MINUTE);
    const third = tokenCookie(await request(app).get('/cookie-session/me').set('Cookie', second).expect(200)) as string;
    expect(third).to.be.a('string').and.not.equal(second);

    await request(app)
      .post('/cookie-session/logout')
      .set('Cookie', `${third}; csrf-token=${csrf}`)
      .set('X-CSRF-Token', csrf)
      .expect(200);
    for (const cookie of [first, second, third]) {
      await request(app).get('/cookie-session/me').set('Cookie', cookie).expect(401);
    }
  });

  it('leaves another cookie session of the same user logged in', async () => {
    const { app, clock, tokenCookie, csrfOf } = setup(server);
    const mine = await request(app).post('/cookie-session/login').expect(200);
    const other = tokenCookie(await request(app).post('/cookie-session/login').expect(200)) as string;
    clock.advance(11 * MINUTE);
    const renewed = tokenCookie(
      await request(app)
        .get('/cookie-session/me')
        .set('Cookie', tokenCookie(mine) as string)
        .expect(200),
    ) as string;
    const csrf = csrfOf(mine);
    await request(app)
      .post('/cookie-session/logout')
      .set('Cookie', `${renewed}; csrf-token=${csrf}`)
      .set('X-CSRF-Token', csrf)
      .expect(200);
    await request(app).get('/cookie-session/me').set('Cookie', other).expect(200);
  });
});
