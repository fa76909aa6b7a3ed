import { expect } from 'chai';
import type { LoginManager } from 'routing-controllers-login';
import request from 'supertest';
import { onEveryServer } from '../helpers/drivers';
import {
  clock,
  cookie,
  expectRefused,
  expectSentToLogin,
  LoginRoutes,
  manager,
  NAVIGATION,
  PageRoutes,
  session,
} from '../helpers/login-page';

onEveryServer('loginPage: browsers without a login go to the login page, API clients keep the 401', (server) => {
  const app = server.app(manager as LoginManager<unknown>, { controllers: [PageRoutes, LoginRoutes] });
  const get = (path: string, headers: Record<string, string> = NAVIGATION) => request(app).get(path).set(headers);

  it('sends a page request without a cookie to 303 /login?next=<path and query>, which nextPath gives back', async () => {
    const sent = await get('/pages/items?sort=name&page=2');
    expectSentToLogin(sent, '/pages/items?sort=name&page=2');
    const landed = await get(sent.headers.location as string).expect(200);
    expect(landed.body).to.deep.equal({ next: '/pages/items?sort=name&page=2' });
  });

  it('sends it there for an expired, a revoked, a forged cookie and a user that is gone', async () => {
    const expired = manager.createAccessToken({ data: { sub: 'john@example.com' }, expiresIn: 60 });
    clock.advance(61_000);
    expectSentToLogin(await get('/pages/items').set('cookie', cookie(expired)), '/pages/items');
    const revoked = manager.createAccessToken({ data: { sub: 'john@example.com' } });
    await manager.revoke(revoked);
    expectSentToLogin(await get('/pages/items').set('cookie', cookie(revoked)), '/pages/items');
    expectSentToLogin(await get('/pages/items').set('cookie', `${session()}x`), '/pages/items');
    const gone = cookie(manager.createAccessToken({ data: { sub: 'gone@example.com' } }));
    expectSentToLogin(await get('/pages/items').set('cookie', gone), '/pages/items');
  });

  it('sends a HEAD there too, and a @User() route; an optional @User() stays a guest', async () => {
    expectSentToLogin(await request(app).head('/pages/items').set(NAVIGATION), '/pages/items');
    expectSentToLogin(await get('/pages/profile'), '/pages/profile');
    expect((await get('/pages/feed').expect(200)).body).to.deep.equal({ feed: 'guest' });
  });

  it('serves a logged-in browser', async () => {
    const served = await get('/pages/items').set('cookie', session()).expect(200);
    expect(served.body).to.deep.equal({ owner: 'john@example.com' });
  });

  it("keeps the 401 for API clients, a page's fetch(), a frame, and a request with Authorization", async () => {
    expectRefused(await get('/pages/items', { accept: '*/*' }));
    expectRefused(await get('/pages/items', { accept: 'application/json' }));
    expectRefused(await get('/pages/items', { accept: 'application/json, text/plain, */*' }));
    expectRefused(await get('/pages/items', { ...NAVIGATION, 'sec-fetch-mode': 'cors', 'sec-fetch-dest': 'empty' }));
    expectRefused(await get('/pages/items', { ...NAVIGATION, 'sec-fetch-dest': 'iframe' }));
    expectRefused(
      await get('/pages/items', { ...NAVIGATION, authorization: 'Bearer x.y.z' }),
      'Bearer error="invalid_token"',
    );
  });

  it('keeps the 401 for a write (a form posted after the login ended): its data would not survive a redirect', async () => {
    const posted = await request(app).post('/pages/items').set(NAVIGATION).send({ name: 'pen' });
    expectRefused(posted);
  });

  it('never sends a logged-in browser to the login page: a missing scope is 403, a login that is not fresh 401', async () => {
    const scope = await get('/pages/admin').set('cookie', session()).expect(403);
    expect(scope.headers['www-authenticate']).to.equal('Bearer error="insufficient_scope", scope="admin"');
    expect(scope.headers).not.to.have.property('location');
    const stale = await get('/pages/password').set('cookie', session()).expect(401);
    expect(stale.body).to.include({ code: 'fresh_login_required' });
    expect(stale.headers).not.to.have.property('location');
  });

  it('nextPath: the query parameter first, then the form field; the fallback for anything off this site', async () => {
    expect((await get('/login?next=%2F%2Fevil.example')).body).to.deep.equal({ next: '/' });
    expect((await get('/login?next=https%3A%2F%2Fevil.example')).body).to.deep.equal({ next: '/' });
    expect((await get('/login?next=%2F%255Cevil.example')).body).to.deep.equal({ next: '/' });
    expect((await get('/login')).body).to.deep.equal({ next: '/' });
    const post = (path: string, body: object) => request(app).post(path).send(body).expect(200);
    expect((await post('/login', { next: '/pages/items' })).body).to.deep.equal({ next: '/pages/items' });
    expect((await post('/login', { next: '/\\evil.example' })).body).to.deep.equal({ next: '/home' });
    expect((await post('/login', { next: ['/a'] })).body).to.deep.equal({ next: '/home' });
    expect((await post('/login?next=%2Fa', { next: '/b' })).body).to.deep.equal({ next: '/a' });
  });
});
