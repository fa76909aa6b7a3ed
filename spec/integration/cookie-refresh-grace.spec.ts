import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { Get, JsonController, Post, Res } from 'routing-controllers';
import {
  type HttpExchange,
  LoggedIn,
  LoginManager,
  type LoginOptions,
  MemoryRevocationStore,
  type TokenPayload,
  User,
} from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { frozenClock } from '../helpers/clock';
import { onEveryServer, type Server } from '../helpers/drivers';
import { HS256_SECRET } from '../helpers/keys';
import { type Account, accountLoader } from '../helpers/users';

const users = accountLoader();
const DAY = 86_400_000;
let current: LoginManager<Account>;

@Service()
@JsonController('/grace-cookie')
class GraceCookieController {
  @Post('/login')
  login(@Res() response: HttpExchange) {
    current.setCookie(response, current.createAccessToken({ data: { sub: 'john@example.com' } }), { persistent: true });
    return { ok: true };
  }

  @LoggedIn()
  @Get('/me')
  me(@User() user: Account) {
    return { email: user.email };
  }
}

/** `name=value` of each cookie a response sets, by name (an expired one as ''). */
function setCookies(response: request.Response): Map<string, string> {
  const lines = (response.headers['set-cookie'] as unknown as string[] | undefined) ?? [];
  return new Map(
    lines.map((line) => {
      const pair = line.split(';')[0] as string;
      return [pair.slice(0, pair.indexOf('=')), /Max-Age=0\b/.test(line) ? '' : pair];
    }),
  );
}

/** An app on `server` whose login sets remember-me cookies, on a forged clock. */
function setup(server: Server, options: Partial<LoginOptions<Account>> = {}) {
  const clock = frozenClock();
  current = new LoginManager<Account>({
    secret: HS256_SECRET,
    tokenUrl: '/t',
    useCookie: true,
    userLoader: users.load,
    clock: clock.now,
    revocationStore: new MemoryRevocationStore({ clock: clock.now }),
    logger: { error: () => {}, warn: () => {} },
    ...options,
  });
  const app = server.app(current, { controllers: [GraceCookieController] });
  const me = (cookie: string) => request(app).get('/grace-cookie/me').set('Cookie', cookie);
  /** Logs in, then lets the access cookie expire: the cookies a browser sends the next morning. */
  const nextMorning = async () => {
    const refresh = setCookies(await request(app).post('/grace-cookie/login').expect(200)).get('refresh-token');
    clock.advance(DAY);
    return refresh as string;
  };
  return { clock, me, nextMorning };
}

/** What each tab's answer left in the browser: its status and the cookies it set. */
async function tabsAtOnce(me: (cookie: string) => request.Test, cookie: string, tabs = 2) {
  const answers = await Promise.all(Array.from({ length: tabs }, () => me(cookie)));
  return answers.map((answer) => ({ status: answer.status, cookies: setCookies(answer) }));
}

const generation = (cookie: string | undefined) =>
  (jwt.decode((cookie ?? '').slice('refresh-token='.length)) as TokenPayload | null)?.gen;

onEveryServer('refresh grace for the remember-me cookie', (server) => {
  it('renews every tab that sent the one refresh cookie at once, and leaves each logged in', async () => {
    const { me, nextMorning } = setup(server);
    const refresh = await nextMorning();
    const tabs = await tabsAtOnce(me, refresh, 3);
    expect(tabs.map((tab) => tab.status)).to.deep.equal([200, 200, 200]);
    // One rotation: each tab got a refresh cookie of that one next generation.
    expect(tabs.map((tab) => generation(tab.cookies.get('refresh-token')))).to.deep.equal([1, 1, 1]);
    for (const { cookies } of tabs) {
      await me(cookies.get('access-token') as string).expect(200);
      await me(cookies.get('refresh-token') as string).expect(200);
    }
  });

  it('ends the login when the rotated-away cookie comes back after the window (default 15 s)', async () => {
    const { clock, me, nextMorning } = setup(server);
    const refresh = await nextMorning();
    const [renewed] = await tabsAtOnce(me, refresh, 1);
    clock.advance(14_999);
    await me(refresh).expect(200);
    clock.advance(1);
    const reused = await me(refresh).expect(401);
    expect(setCookies(reused).get('refresh-token')).to.equal('');
    await me(renewed?.cookies.get('refresh-token') as string).expect(401);
    await me(renewed?.cookies.get('access-token') as string).expect(401);
  });

  it('follows refreshGrace: a 1 min window, and none with refreshGrace: 0 (one tab renewed, then logged out)', async () => {
    const long = setup(server, { refreshGrace: '1m' });
    const refresh = await long.nextMorning();
    await long.me(refresh).expect(200);
    long.clock.advance(59_999);
    await long.me(refresh).expect(200);

    const none = setup(server, { refreshGrace: 0 });
    const tabs = await tabsAtOnce(none.me, await none.nextMorning());
    expect(tabs.map((tab) => tab.status).sort()).to.deep.equal([200, 401]);
    const winner = tabs.find((tab) => tab.status === 200);
    await none.me(winner?.cookies.get('access-token') as string).expect(401);
  });
});
