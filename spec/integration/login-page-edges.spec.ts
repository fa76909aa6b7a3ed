import { expect } from 'chai';
import express from 'express';
import Koa from 'koa';
import {
  LoginConfigurationError,
  LoginManager,
  MemoryRevocationStore,
  type RevocationStore,
} from 'routing-controllers-login';
import request from 'supertest';
import { onEveryServer } from '../helpers/drivers';
import { HS256_SECRET } from '../helpers/keys';
import { cookie, expectRefused, LoginRoutes, manager, NAVIGATION, options, PageRoutes } from '../helpers/login-page';
import { type Account, quietLogger } from '../helpers/users';

/** Open redirects the login route could be handed as `next`, each as the browser would send it (decoded once). */
const OPEN_REDIRECTS = [
  '//evil.example',
  '///evil.example',
  'https://evil.example',
  'javascript:alert(1)',
  '/\\evil.example',
  '\\\\evil.example',
  '/%2F%2Fevil.example',
  '/%2F%252Fevil.example',
  '/%5Cevil.example',
  '/%255Cevil.example',
  '/\t/evil.example',
  '/%09/evil.example',
  '/%0d%0aSet-Cookie:%20a=b',
  '/..//evil.example',
  '/%2e%2e//evil.example',
  'evil.example',
];

onEveryServer('loginPage: nextPath refuses every open redirect, from the query and from a parsed body', (server) => {
  const app = server.app(manager as LoginManager<unknown>, { controllers: [LoginRoutes] });

  it('keeps a path of this site, from the query and from a parsed body (so the cases below can fail)', async () => {
    const next = '/pages/items?sort=name';
    const query = await request(app)
      .get(`/login?next=${encodeURIComponent(next)}`)
      .expect(200);
    expect(query.body, 'query').to.deep.equal({ next });
    const form = await request(app).post('/login').send({ next }).expect(200);
    expect(form.body, 'form').to.deep.equal({ next });
  });

  for (const next of OPEN_REDIRECTS) {
    it(`falls back for ${JSON.stringify(next)}`, async () => {
      const query = await request(app)
        .get(`/login?next=${encodeURIComponent(next)}`)
        .expect(200);
      expect(query.body, 'query').to.deep.equal({ next: '/' });
      const form = await request(app).post('/login').send({ next }).expect(200);
      expect(form.body, 'form').to.deep.equal({ next: '/home' });
    });
  }
});

/** A store that never answers: the revocation check times out. */
const hanging = new Proxy(new MemoryRevocationStore(), {
  get: (target, name) => (name === 'lookup' ? () => new Promise(() => {}) : Reflect.get(target, name)),
}) as RevocationStore;

onEveryServer('loginPage: what it does not turn into a redirect', (server) => {
  it('a store outage stays a 503, a browser or not', async () => {
    server.expectServerErrors();
    const down = new LoginManager<Account>({
      ...options,
      loginPage: '/login',
      revocationStore: hanging,
      logger: quietLogger,
      storeTimeout: 20,
    });
    const app = server.app(down as LoginManager<unknown>, { controllers: [PageRoutes] });
    const token = down.createAccessToken({ data: { sub: 'john@example.com' } });
    const response = await request(app).get('/pages/items').set(NAVIGATION).set('cookie', cookie(token)).expect(503);
    expect(response.headers).not.to.have.property('location');
  });

  it('a protected login page answers its 401 instead of sending the browser round in a loop', async () => {
    const looping = new LoginManager<Account>({ ...options, loginPage: '/pages/items' });
    const app = server.app(looping as LoginManager<unknown>, { controllers: [PageRoutes] });
    expectRefused(await request(app).get('/pages/items').set(NAVIGATION));
    const sent = await request(app).get('/pages/profile').set(NAVIGATION).expect(303);
    expect(sent.headers.location).to.equal('/pages/items?next=%2Fpages%2Fprofile');
  });

  it('without loginPage, a browser keeps the 401', async () => {
    const plain = new LoginManager<Account>(options);
    const app = server.app(plain as LoginManager<unknown>, { controllers: [PageRoutes] });
    expectRefused(await request(app).get('/pages/items').set(NAVIGATION));
  });
});

describe('loginPage: requireLogin() outside routing-controllers, and the option checked at construction', () => {
  it('answers the 303 itself on express, whose final handler makes any error status below 400 a 500', async () => {
    const app = express();
    app.set('env', 'test'); // express's final handler, quiet
    app.get('/orders', manager.requireLogin(), (_req, res) => void res.json({ orders: [] }));
    const response = await request(app).get('/orders?open=1').set(NAVIGATION).expect(303);
    expect(response.headers.location).to.equal('/login?next=%2Forders%3Fopen%3D1');
    expect(response.text).to.equal('');
    const api = await request(app).get('/orders').set('accept', 'application/json').expect(401);
    expect(api.headers['www-authenticate']).to.equal('Bearer');
    expect(api.headers).not.to.have.property('location');
  });

  it("rejects with the LoginRedirect on Koa, which Koa's own error handling answers 303", async () => {
    const app = new Koa();
    app.silent = true;
    app.use(manager.requireLogin());
    app.use((ctx) => {
      ctx.body = { orders: [] };
    });
    const response = await request(app.callback()).get('/orders?open=1').set(NAVIGATION).expect(303);
    expect(response.headers.location).to.equal('/login?next=%2Forders%3Fopen%3D1');
    expectRefused(await request(app.callback()).get('/orders').set('accept', 'application/json'));
  });

  it('refuses a login page that is not a path of this site, and one without cookies', () => {
    for (const loginPage of [
      'login',
      '//evil.example/login',
      'https://evil.example/login',
      '/\\login',
      '/log in',
      '',
    ]) {
      expect(() => new LoginManager({ ...options, loginPage }), loginPage).to.throw(
        LoginConfigurationError,
        /`loginPage` is a path of this site/,
      );
    }
    expect(() => new LoginManager({ secret: HS256_SECRET, tokenUrl: '/t', loginPage: '/login' })).to.throw(
      LoginConfigurationError,
      /set `useCookie: true`/,
    );
  });
});
