import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import type { NextFunction, Request, Response } from 'express';
import type { Page } from 'playwright-core';
import { Get, JsonController, Post, Req, Res } from 'routing-controllers';
import {
  type HttpExchange,
  LoggedIn,
  LoginManager,
  type LoginOptions,
  MemoryRevocationStore,
  User,
} from 'routing-controllers-login';
import { Service } from 'typedi';
import { appWith } from '../helpers/app';
import { describeWithBrowser, type OpenBrowser, openBrowser } from '../helpers/browser';
import { frozenClock } from '../helpers/clock';
import { HS256_SECRET } from '../helpers/keys';
import { type Account, accountLoader } from '../helpers/users';

/** The page's `localStorage`, in functions that run in a tab (the specs compile without the DOM types). */
declare const localStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void };

const users = accountLoader();
const DAY = 86_400_000;
let current: LoginManager<Account>;

@Service()
@JsonController('/tabs')
class TabsController {
  @Post('/login')
  login(@Res() response: HttpExchange) {
    current.setCookie(response, current.createAccessToken({ data: { sub: 'john@example.com' } }), { persistent: true });
    return { ok: true };
  }

  /** A token login for a single-page app that keeps its tokens in `localStorage`. */
  @Post('/token')
  async token() {
    const { accessToken, refreshToken } = await current.createTokens({ data: { sub: 'john@example.com' } });
    return { access_token: accessToken, refresh_token: refreshToken };
  }

  @LoggedIn({ refresh: true })
  @Post('/refresh')
  async refresh(@Req() request: HttpExchange) {
    const { accessToken, refreshToken } = await current.refreshTokens(request);
    return { access_token: accessToken, refresh_token: refreshToken };
  }

  @LoggedIn()
  @Get('/me')
  me(@User() user: Account) {
    return { email: user.email };
  }
}

/**
 * Holds requests (`/tabs/me`, `/tabs/refresh`) once armed until `count` of them have arrived, so every tab's
 * request has left the browser, with the cookies it had, before any answer changes them.
 */
function barrier() {
  let waiting: (() => void)[] = [];
  let count = 0;
  return {
    arm(n: number) {
      count = n;
    },
    hold(_request: Request, _response: Response, next: NextFunction) {
      if (count === 0) return next();
      waiting.push(next);
      if (waiting.length < count) return;
      const release = waiting;
      waiting = [];
      count = 0;
      for (const go of release) go();
    },
  };
}

/** A real app on an ephemeral port: a page for the tabs, remember-me login, `/tabs/me`, on a forged clock. */
async function start(options: Partial<LoginOptions<Account>> = {}) {
  const clock = frozenClock(Date.now());
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
  const gate = barrier();
  const app = appWith(current, { controllers: [TabsController] }, (express) => {
    express.get('/tab', (_request, response) => void response.type('html').send('<!doctype html><title>tab</title>'));
    express.use(['/tabs/me', '/tabs/refresh'], gate.hold);
  });
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { clock, gate, url, stop: () => new Promise((resolve) => server.close(resolve)) };
}

/**
 * What `GET /tabs/me?tab=<n>` answers the page, as its own script would ask it. Each tab asks
 * its own URL: Chromium holds a request for a URL another tab is loading until that one's
 * answer (its HTTP cache lock, for up to 20 s), which the barrier would never let come.
 */
const me = (page: Page, tab: number) =>
  page.evaluate((n) => fetch(`/tabs/me?tab=${n}`).then((response) => response.status), tab);

describeWithBrowser('two tabs of one browser refreshing at the same moment', function () {
  this.timeout(60_000);
  let browser: OpenBrowser;
  let app: Awaited<ReturnType<typeof start>> | undefined;

  beforeEach(async () => {
    browser = await openBrowser();
  });
  afterEach(async () => {
    await browser?.close();
    await app?.stop();
  });

  /** Logs in from one tab, opens a second, and lets the access cookie expire (the forged clock moves a day). */
  async function twoTabsNextMorning(options: Partial<LoginOptions<Account>> = {}) {
    app = await start(options);
    const first = browser.page;
    await first.goto(`${app.url}/tab`);
    expect(await first.evaluate(() => fetch('/tabs/login', { method: 'POST' }).then((r) => r.status))).to.equal(200);
    const second = await browser.context.newPage();
    await second.goto(`${app.url}/tab`);
    expect([await me(first, 0), await me(second, 1)]).to.deep.equal([200, 200]);
    app.clock.advance(DAY);
    return [first, second] as const;
  }

  const refreshCookie = async () =>
    (await browser.context.cookies()).find((cookie) => cookie.name === 'refresh-token')?.value;

  it('renews both, and both stay logged in afterwards, the next day too', async () => {
    const tabs = await twoTabsNextMorning();
    const before = await refreshCookie();
    app?.gate.arm(2);
    expect(await Promise.all(tabs.map((tab, n) => me(tab, n)))).to.deep.equal([200, 200]);
    expect(await refreshCookie())
      .to.be.a('string')
      .and.not.equal(before);
    expect(await Promise.all(tabs.map((tab, n) => me(tab, n)))).to.deep.equal([200, 200]);
    // The refresh cookie the browser kept (either tab's) renews the login again the next day.
    app?.clock.advance(DAY);
    app?.gate.arm(2);
    expect(await Promise.all(tabs.map((tab, n) => me(tab, n)))).to.deep.equal([200, 200]);
    expect(await Promise.all(tabs.map((tab, n) => me(tab, n)))).to.deep.equal([200, 200]);
  });

  it('logs both out with refreshGrace: 0: the second renewal is reuse, which ends the login (as before the grace)', async () => {
    const tabs = await twoTabsNextMorning({ refreshGrace: 0 });
    app?.gate.arm(2);
    // The winner may be refused too: the loser ends the login before the winner's request is through.
    expect(await Promise.all(tabs.map((tab, n) => me(tab, n)))).to.include(401);
    expect(await Promise.all(tabs.map((tab, n) => me(tab, n)))).to.deep.equal([401, 401]);
  });

  it('refreshes both tabs of an app keeping its tokens in localStorage, and both stay logged in', async () => {
    app = await start();
    const tabs = [browser.page, await browser.context.newPage()];
    for (const tab of tabs) await tab.goto(`${app.url}/tab`);
    await browser.page.evaluate(async () => {
      localStorage.setItem('tokens', await (await fetch('/tabs/token', { method: 'POST' })).text());
    });
    app.gate.arm(2);
    const answers = await Promise.all(tabs.map((tab) => tab.evaluate(refreshAndAsk)));
    expect(answers).to.deep.equal([
      [200, 200],
      [200, 200],
    ]);
    // Whichever pair the tabs left in localStorage refreshes on.
    expect(await tabs[1]?.evaluate(refreshAndAsk)).to.deep.equal([200, 200]);
  });
});

/** In a tab: refresh with the shared refresh token, keep the answer, ask `/tabs/me` with it: both statuses. */
async function refreshAndAsk(): Promise<number[]> {
  const { refresh_token } = JSON.parse(localStorage.getItem('tokens') as string);
  const refreshed = await fetch('/tabs/refresh', {
    method: 'POST',
    headers: { authorization: `Bearer ${refresh_token}` },
  });
  if (refreshed.status !== 200) return [refreshed.status];
  const tokens = await refreshed.text();
  localStorage.setItem('tokens', tokens);
  const headers = { authorization: `Bearer ${JSON.parse(tokens).access_token}` };
  return [refreshed.status, (await fetch('/tabs/me?spa', { headers })).status];
}
