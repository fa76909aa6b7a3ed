import { expect } from 'chai';
import type { Response } from 'express';
import express from 'express';
import jwt from 'jsonwebtoken';
import type { Context } from 'koa';
import bodyParser from 'koa-bodyparser';
import { Ctx, Get, JsonController, Post, Res } from 'routing-controllers';
import {
  CSRF_FIELD,
  LoggedIn,
  LoginManager,
  MemoryRevocationStore,
  type TokenPayload,
  User,
} from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { appWith } from '../helpers/app';
import { frozenClock } from '../helpers/clock';
import { CSRF_VALUE } from '../helpers/csrf';
import { HS256_SECRET } from '../helpers/keys';
import { koaAppWith } from '../helpers/koa';
import { type Account, accountLoader } from '../helpers/users';

const users = accountLoader();
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** The manager of the app under test (the controllers are shared by every app below). */
let current: LoginManager<Account>;

@Service()
@JsonController('/remember')
class RememberController {
  @Post('/login')
  login(@Res() response: Response) {
    const token = current.createAccessToken({ data: { sub: 'john@example.com' }, fresh: true });
    current.setCookie(response, token, { persistent: true });
    return { ok: true };
  }

  @Post('/session-login')
  sessionLogin(@Res() response: Response) {
    current.setCookie(response, current.createAccessToken({ data: { sub: 'john@example.com' } }));
    return { ok: true };
  }

  @LoggedIn()
  @Get('/me')
  me(@User() user: Account) {
    return { email: user.email };
  }

  @LoggedIn()
  @Post('/notes')
  note(@User() user: Account) {
    return { by: user.email };
  }

  /** A page's forms: the CSRF value to put in them. */
  @LoggedIn()
  @Get('/page')
  page(@Res() response: Response) {
    return { csrf: current.csrfValue(response.req, response) };
  }

  @LoggedIn()
  @Post('/logout')
  async logout(@Res() response: Response) {
    await current.logout(response.req, response);
    return { ok: true };
  }
}

@Service()
@JsonController('/koa-remember')
class KoaRememberController {
  @Post('/login')
  login(@Ctx() ctx: Context) {
    current.setCookie(ctx, current.createAccessToken({ data: { sub: 'john@example.com' } }), { persistent: true });
    return { ok: true };
  }

  @LoggedIn()
  @Get('/me')
  me(@User() user: Account) {
    return { email: user.email };
  }

  @LoggedIn()
  @Post('/notes')
  note(@User() user: Account) {
    return { by: user.email };
  }

  @Post('/session-login')
  sessionLogin(@Ctx() ctx: Context) {
    current.setCookie(ctx, current.createAccessToken({ data: { sub: 'john@example.com' } }));
    return { ok: true };
  }

  @LoggedIn()
  @Post('/logout')
  async logout(@Ctx() ctx: Context) {
    await current.logout(ctx);
    return { ok: true };
  }
}

/** A browser's cookies for one site: what Set-Cookie wrote, minus what it expired. */
class Jar {
  readonly cookies = new Map<string, { value: string; attributes: string }>();

  take(response: request.Response): string[] {
    const set = (response.headers['set-cookie'] as unknown as string[] | undefined) ?? [];
    for (const line of set) {
      const [pair = '', ...attributes] = line.split('; ');
      const eq = pair.indexOf('=');
      const [name, value] = [pair.slice(0, eq), pair.slice(eq + 1)];
      if (/Max-Age=0\b/.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, { value, attributes: attributes.join('; ') });
    }
    return set.map((line) => line.split('=')[0] as string);
  }

  /** The browser was closed: session cookies and those past their Max-Age are gone (here: the access cookie). */
  drop(name: string): void {
    this.cookies.delete(name);
  }

  value(name: string): string | undefined {
    return this.cookies.get(name)?.value;
  }

  get header(): string {
    return [...this.cookies].map(([name, { value }]) => `${name}=${value}`).join('; ');
  }
}

function setup(server: 'express' | 'koa', options: { rotate?: boolean; refreshCookieName?: string } = {}) {
  const clock = frozenClock();
  current = new LoginManager<Account>({
    secret: HS256_SECRET,
    tokenUrl: '/t',
    useCookie: true,
    userLoader: users.load,
    clock: clock.now,
    revocationStore: new MemoryRevocationStore({ clock: clock.now }),
    rotateRefreshTokens: options.rotate ?? true,
    ...(options.refreshCookieName === undefined ? {} : { refreshCookieName: options.refreshCookieName }),
    logger: { error: () => {}, warn: () => {} },
  });
  const app =
    server === 'express'
      ? appWith(current, { controllers: [RememberController] }, (a) => a.use(express.urlencoded({ extended: false })))
      : koaAppWith(current, { controllers: [KoaRememberController] }, (koa) => koa.use(bodyParser())).callback();
  const base = server === 'express' ? '/remember' : '/koa-remember';
  const jar = new Jar();
  /** Every response goes through the jar first, as a browser's would. */
  const send = (test: request.Test): request.Test =>
    test.expect((response) => {
      jar.take(response);
    });
  return {
    app,
    clock,
    jar,
    login: () => send(request(app).post(`${base}/login`)),
    me: (cookie = jar.header) => send(request(app).get(`${base}/me`).set('Cookie', cookie)),
    note: (form: Record<string, string>, cookie = jar.header) =>
      send(request(app).post(`${base}/notes`).set('Cookie', cookie).type('form').send(form)),
    logout: () =>
      send(
        request(app)
          .post(`${base}/logout`)
          .set('Cookie', jar.header)
          .set('X-CSRF-Token', jar.value('csrf-token') ?? ''),
      ),
    sessionLogin: () => send(request(app).post(`${base}/session-login`)),
  };
}

const decode = (token: string | undefined) => jwt.decode(token ?? '') as TokenPayload;

describe('remember me: a refresh cookie that renews the access cookie', () => {
  for (const server of ['express', 'koa'] as const) {
    describe(`on ${server}`, () => {
      it('sets a long-lived HttpOnly refresh cookie beside the 15-minute access cookie', async () => {
        const { jar, login } = setup(server);
        await login().expect(200);
        const refresh = jar.cookies.get('refresh-token');
        expect(refresh?.attributes).to.equal(`Path=/; Max-Age=${30 * 86_400}; HttpOnly; SameSite=Lax`);
        expect(jar.cookies.get('access-token')?.attributes).to.equal('Path=/; Max-Age=900; HttpOnly; SameSite=Lax');
        expect(decode(refresh?.value)).to.include({ type: 'refresh', sub: 'john@example.com' });
        expect(decode(refresh?.value)).not.to.have.property('fresh');
      });

      it('keeps the user logged in after the browser was closed and the access token expired', async () => {
        const { clock, jar, login, me, note } = setup(server);
        await login().expect(200);
        const csrf = jar.value('csrf-token');
        const firstRefresh = jar.value('refresh-token');
        clock.advance(3 * DAY);
        jar.drop('access-token');
        const back = await me().expect(200, { email: 'john@example.com' });
        expect(back.headers['cache-control']).to.equal('no-store');
        expect(jar.value('access-token')).to.be.a('string');
        expect(decode(jar.value('access-token')))
          .to.include({ type: 'access' })
          .and.not.have.property('fresh');
        expect(jar.value('refresh-token')).not.to.equal(firstRefresh);
        // A new value for the same session: the page's old one still works, and so does the new one.
        expect(jar.value('csrf-token')).to.match(CSRF_VALUE).and.not.equal(csrf);
        await note({ [CSRF_FIELD]: csrf as string }).expect(200);
        await note({ [CSRF_FIELD]: jar.value('csrf-token') as string }).expect(200);
        // An access cookie the browser still sends after its token expired is renewed the same way.
        clock.advance(20 * MINUTE);
        await me().expect(200);
      });

      it('keeps the refresh token in the cookie refreshCookieName names: set, renewed from, expired at logout', async () => {
        const { clock, jar, login, me, logout } = setup(server, { refreshCookieName: 'stay-logged-in' });
        await login().expect(200);
        expect(jar.value('refresh-token')).to.equal(undefined);
        expect(decode(jar.value('stay-logged-in'))).to.include({ type: 'refresh' });
        clock.advance(3 * DAY);
        jar.drop('access-token');
        await me().expect(200, { email: 'john@example.com' });
        await logout().expect(200);
        expect(jar.value('stay-logged-in')).to.equal(undefined);
      });

      it('lets an access token alone expire after 15 minutes', async () => {
        const { clock, login, sessionLogin, me, jar } = setup(server);
        await sessionLogin().expect(200);
        expect(jar.value('refresh-token')).to.equal(undefined);
        await me().expect(200);
        clock.advance(15 * MINUTE);
        await me().expect(401);
        await login().expect(200);
        clock.advance(29 * DAY);
        await me().expect(200);
        clock.advance(DAY);
        const ended = await me().expect(401);
        expect(ended.body.message).to.equal('Invalid credentials');
      });

      it('ends both cookies on logout: neither the refresh cookie nor its successors renew anything', async () => {
        const { clock, jar, login, me, logout } = setup(server);
        await login().expect(200);
        const stolen = jar.header;
        await logout().expect(200);
        expect(jar.value('refresh-token')).to.equal(undefined);
        expect(jar.value('access-token')).to.equal(undefined);
        clock.advance(DAY);
        const replay = stolen
          .split('; ')
          .filter((c) => c.startsWith('refresh-token='))
          .join('');
        await me(replay).expect(401);
      });

      it('ends them on revokeAllFor too', async () => {
        const { clock, jar, login, me } = setup(server);
        await login().expect(200);
        clock.advance(MINUTE);
        await current.revokeAllFor('john@example.com');
        clock.advance(DAY);
        jar.drop('access-token');
        await me().expect(401);
      });

      it('applies CSRF rules to the renewal: a write renews only with the session’s CSRF value', async () => {
        const { clock, jar, login, note } = setup(server);
        await login().expect(200);
        const csrf = jar.value('csrf-token') as string;
        const refresh = jar.value('refresh-token');
        clock.advance(DAY);
        jar.drop('access-token');
        const forged = await note({ title: 'x' }).expect(403);
        expect(forged.headers['set-cookie'] ?? []).to.deep.equal([]);
        expect(jar.value('refresh-token')).to.equal(refresh);
        await note({ title: 'x', [CSRF_FIELD]: 'AAAAAAAAAAAAAAAAAAAAAA' }).expect(403);
        await note({ title: 'x', [CSRF_FIELD]: csrf }).expect(200, { by: 'john@example.com' });
        expect(jar.value('refresh-token')).not.to.equal(refresh);
      });
    });
  }

  it('gives a page renewed after a browser restart the session’s CSRF value, so its forms work without JavaScript', async () => {
    const { app: server, clock, jar, login } = setup('express');
    await login().expect(200);
    const csrf = jar.value('csrf-token');
    clock.advance(DAY);
    jar.drop('access-token');
    jar.drop('csrf-token');
    const page = await request(server).get('/remember/page').set('Cookie', jar.header).expect(200);
    jar.take(page);
    // The renewal wrote a value for the session (the page may use it or make its own): both work, as the old one does.
    expect(page.body.csrf).to.match(CSRF_VALUE);
    expect(jar.value('csrf-token')).to.match(CSRF_VALUE);
    for (const value of [csrf, jar.value('csrf-token')]) {
      await request(server)
        .post('/remember/notes')
        .set('Cookie', jar.header)
        .set('X-CSRF-Token', value as string)
        .expect(200);
    }
    await request(server)
      .post('/remember/logout')
      .set('Cookie', jar.header)
      .type('form')
      .send({ [CSRF_FIELD]: page.body.csrf })
      .expect(200);
  });

  describe('rotation of the refresh cookie', () => {
    it('renews tabs restored at once, rotating once; the old cookie later counts as reuse and ends the login', async () => {
      const { clock, jar, login, me } = setup('express');
      await login().expect(200);
      clock.advance(DAY);
      jar.drop('access-token');
      const restored = jar.header;
      const tabs = await Promise.all([me(restored), me(restored), me(restored)]);
      expect(tabs.map((tab) => tab.status)).to.deep.equal([200, 200, 200]);
      // One rotation in the store: every tab gets a refresh cookie of that one next generation,
      // so whichever the browser keeps last works.
      const generations = tabs.map((tab) => {
        const set = ((tab.headers['set-cookie'] as unknown as string[]) ?? []).find((c) =>
          c.startsWith('refresh-token='),
        );
        return decode(/^refresh-token=([^;]+)/.exec(set ?? '')?.[1]).gen;
      });
      expect(generations).to.deep.equal([1, 1, 1]);
      const renewed = jar.header;
      const rotatedRefresh = `refresh-token=${jar.value('refresh-token')}`;
      await me(renewed).expect(200);

      clock.advance(31_000);
      const reused = await me(restored).expect(401);
      expect(reused.headers['set-cookie']).to.satisfy((set: string[]) =>
        set.some((c) => /^refresh-token=; .*Max-Age=0/.test(c)),
      );
      await me(renewed).expect(401);
      await me(rotatedRefresh).expect(401);
    });

    it('renews without rotating when rotation is off', async () => {
      const { clock, jar, login, me } = setup('express', { rotate: false });
      await login().expect(200);
      const refresh = jar.value('refresh-token');
      for (let day = 1; day <= 3; day += 1) {
        clock.advance(DAY);
        jar.drop('access-token');
        await me().expect(200);
        expect(jar.value('refresh-token')).to.equal(refresh);
      }
    });
  });
});
