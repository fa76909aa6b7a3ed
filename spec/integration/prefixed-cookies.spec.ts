import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { Get, JsonController, Post, Res } from 'routing-controllers';
import { type HttpExchange, LoggedIn, LoginManager, User } from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { appWith } from '../helpers/app';
import { describeWithBrowser, type OpenBrowser, openBrowser } from '../helpers/browser';
import { onEveryServer } from '../helpers/drivers';
import { HS256_SECRET } from '../helpers/keys';
import { type Account, accountLoader } from '../helpers/users';

const users = accountLoader();
const manager = new LoginManager<Account>({
  secret: HS256_SECRET,
  tokenUrl: '/t',
  useCookie: true,
  cookieName: '__Host-session',
  refreshCookieName: '__Secure-remember',
  userLoader: users.load,
});

@Service()
@JsonController('/prefixed')
class PrefixedController {
  @Post('/login')
  async login(@Res() response: HttpExchange) {
    const tokens = await manager.createTokens({ data: { sub: 'john@example.com' } });
    manager.setCookie(response, tokens.accessToken, { persistent: true });
    return { ok: true };
  }

  @Post('/logout')
  logout(@Res() response: HttpExchange) {
    manager.clearCookie(response);
    return { ok: true };
  }

  @LoggedIn()
  @Get('/me')
  me(@User() user: Account) {
    return { email: user.email };
  }
}

const cookiesOf = (response: request.Response) => response.headers['set-cookie'] as unknown as string[];
const named = (cookies: string[], name: string) => cookies.find((cookie) => cookie.startsWith(`${name}=`)) ?? '';

onEveryServer('__Host- and __Secure- cookie names, secure unset, over plain http', (server) => {
  const app = server.app(manager, { controllers: [PrefixedController] });

  it('writes them Secure anyway (a browser drops a prefixed cookie that is not), __Host- on Path=/ without Domain', async () => {
    const cookies = cookiesOf(await request(app).post('/prefixed/login').expect(200));
    const session = named(cookies, '__Host-session');
    expect(session).to.match(/^__Host-session=[\w-]+\.[\w-]+\.[\w-]+; Path=\/; Max-Age=\d+; HttpOnly; Secure; /);
    expect(session).not.to.include('Domain=');
    expect(named(cookies, '__Secure-remember')).to.match(/; HttpOnly; Secure; SameSite=Lax$/);
  });

  it('expires them Secure too, or the browser would ignore the logout', async () => {
    const cookies = cookiesOf(await request(app).post('/prefixed/logout').expect(200));
    for (const name of ['__Host-session', '__Secure-remember']) {
      expect(named(cookies, name)).to.match(/^[\w-]+=; Path=\/; Max-Age=0; .*; Secure; SameSite=Lax$/);
    }
  });

  it('takes the token back from the prefixed cookie', async () => {
    const token = manager.createAccessToken({ data: { sub: 'john@example.com' } });
    await request(app)
      .get('/prefixed/me')
      .set('Cookie', `__Host-session=${token}`)
      .expect(200, { email: 'john@example.com' });
  });
});

describeWithBrowser('a __Host- session cookie in Chromium, over http://localhost', function () {
  this.timeout(30_000);
  let listening: Server;
  let browser: OpenBrowser | undefined;
  let base = '';

  before(async () => {
    listening = createServer(appWith(manager, { controllers: [PrefixedController] }));
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
    base = `http://localhost:${(listening.address() as AddressInfo).port}`;
  });
  after(async () => {
    await browser?.close();
    await new Promise((resolve) => listening.close(resolve));
  });

  it('is kept by the browser and logs the next request in', async () => {
    browser = await openBrowser();
    const { page, context } = browser;
    await page.goto(`${base}/prefixed/me`);
    expect(await page.evaluate(() => fetch('/prefixed/login', { method: 'POST' }).then((r) => r.status))).to.equal(200);
    const kept = (await context.cookies(base)).map((cookie) => cookie.name);
    expect(kept).to.include.members(['__Host-session', '__Secure-remember']);
    expect(await page.evaluate(() => fetch('/prefixed/me').then((r) => r.json()))).to.deep.equal({
      email: 'john@example.com',
    });
  });
});
