import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { LOGIN_EVENTS, type TokenPayload } from 'routing-controllers-login';
import request from 'supertest';
import { onEveryServer } from '../helpers/drivers';
import { listen } from '../helpers/events';
import { EVENTS_CONTROLLERS, PASSWORD, SUB, setUp } from '../helpers/events-app';
import { HS256_SECRET } from '../helpers/keys';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

onEveryServer('security events on node:diagnostics_channel', (server) => {
  let log: ReturnType<typeof listen>;
  beforeEach(() => {
    log = listen();
    log.secret(PASSWORD, HS256_SECRET);
  });
  afterEach(() => log.stop());

  /** Logs in through the app's token route: the tokens, remembered as secrets. */
  async function logIn(app: ReturnType<typeof server.app>) {
    const response = await request(app).post('/events/token').send({ username: SUB, password: PASSWORD }).expect(200);
    log.secretsOf(response);
    return response.body as { access_token: string; refresh_token: string };
  }

  it(':login: who logged in and the login (family, acr), on the token route', async () => {
    const { manager } = setUp();
    const app = server.app(manager, { controllers: EVENTS_CONTROLLERS });
    const { refresh_token } = await logIn(app);
    const { fam } = jwt.decode(refresh_token) as TokenPayload;
    expect(fam).to.be.a('string');
    expect(log.of(LOGIN_EVENTS.login)).to.deep.equal([{ sub: SUB, family: fam, acr: 'mfa' }]);
    manager.createAccessToken({ data: { sub: 'jane@example.com' } });
    expect(log.of(LOGIN_EVENTS.login)[1]).to.deep.equal({ sub: 'jane@example.com' });
    log.expectNoSecret();
  });

  it(':refresh: the login refreshed (rotated), and :refresh-reused when the old refresh token comes back', async () => {
    const { manager, clock } = setUp();
    const app = server.app(manager, { controllers: EVENTS_CONTROLLERS });
    const login = await logIn(app);
    const family = log.of(LOGIN_EVENTS.login)[0]?.family;
    const refreshed = await request(app).post('/events/refresh').set(bearer(login.refresh_token)).expect(200);
    log.secretsOf(refreshed);
    expect(log.of(LOGIN_EVENTS.refresh)).to.deep.equal([{ sub: SUB, family, rotated: true }]);

    clock.advance(15_000); // past refreshGrace

    log.secretsOf(await request(app).post('/events/refresh').set(bearer(login.refresh_token)).expect(401));
    expect(log.of(LOGIN_EVENTS.refreshReused)).to.deep.equal([{ sub: SUB, family }]);
    expect(log.of(LOGIN_EVENTS.refresh)).to.have.length(1);
    log.expectNoSecret();
  });

  it(':logout and :logout-all: whose login ended, and which', async () => {
    const { manager } = setUp();
    const app = server.app(manager, { controllers: EVENTS_CONTROLLERS });
    const login = await logIn(app);
    const family = log.of(LOGIN_EVENTS.login)[0]?.family;
    log.secretsOf(await request(app).post('/events/logout').set(bearer(login.access_token)).expect(200));
    expect(log.of(LOGIN_EVENTS.logout)).to.deep.equal([{ sub: SUB, families: [family] }]);

    const again = await logIn(app);
    log.secretsOf(await request(app).post('/events/logout-everywhere').set(bearer(again.access_token)).expect(200));
    expect(log.of(LOGIN_EVENTS.logoutAll)).to.deep.equal([{ sub: SUB }]);
    log.expectNoSecret();
  });

  it(':logout of a cookie login: no cookie value, and the remember-me family', async () => {
    const { manager } = setUp({ useCookie: true });
    const app = server.app(manager, { controllers: EVENTS_CONTROLLERS });
    const login = log.secretsOf(await request(app).post('/events/cookie-login').expect(200));
    const cookies = (login.headers['set-cookie'] as unknown as string[]).map((line) => line.split(';')[0]);
    const csrf = cookies.find((cookie) => cookie?.startsWith('csrf-token='))?.split('=')[1] as string;
    // A write without the CSRF header: refused, and told without the cookie.
    const refused = await request(app).post('/events/logout').set('Cookie', cookies.join('; ')).expect(403);
    log.secretsOf(refused);
    expect(log.of(LOGIN_EVENTS.authFailure)).to.deep.equal([
      { code: 'csrf_failed', method: 'POST', path: '/events/logout' },
    ]);
    const out = await request(app)
      .post('/events/logout')
      .set({ Cookie: cookies.join('; '), 'X-CSRF-Token': csrf })
      .expect(200);
    log.secretsOf(out);
    const [logout] = log.of(LOGIN_EVENTS.logout);
    expect(logout?.sub).to.equal(SUB);
    expect(logout?.families).to.have.length(1);
    log.expectNoSecret();
  });

  it(':auth-failure: the code, the method and the path without its query string', async () => {
    const { manager } = setUp();
    const app = server.app(manager, { controllers: EVENTS_CONTROLLERS });
    const { access_token } = await logIn(app);
    const forged = `${access_token.slice(0, -4)}AAAA`;
    log.secret(forged);
    await request(app).get('/events/me?access_token=').expect(401);
    await request(app).get(`/events/me?access_token=${forged}#x`).set(bearer(forged)).expect(401);
    await request(app).get('/events/me').set(bearer(access_token)).expect(200);
    expect(log.of(LOGIN_EVENTS.authFailure)).to.deep.equal([
      { code: 'token_missing', method: 'GET', path: '/events/me' },
      { code: 'signature_invalid', method: 'GET', path: '/events/me' },
    ]);
    log.expectNoSecret();
  });

  it(':throttled: which count, how long, the address; never the username', async () => {
    const { manager } = setUp();
    const app = server.app(manager, { controllers: EVENTS_CONTROLLERS });
    const username = 'typed-my-password-here@example.com';
    log.secret(username);
    await request(app).post('/events/token').send({ username, password: 'wrong' }).expect(401);
    const throttled = await request(app).post('/events/token').send({ username, password: PASSWORD }).expect(429);
    expect(throttled.headers['retry-after']).to.equal('30');
    const [event] = log.of(LOGIN_EVENTS.throttled);
    expect(event).to.deep.include({ limit: 'account', retryAfter: 30 });
    expect(event?.address).to.match(/^(127\.0\.0\.1|::1)$/);
    log.expectNoSecret();
  });
});

describe('security events outside a request', () => {
  it(':auth-failure of a call without a request (getCurrentUser): the code alone', async () => {
    const { manager } = setUp();
    const log = listen();
    try {
      const token = manager.createAccessToken({ data: { sub: SUB } });
      log.secret(token, HS256_SECRET);
      await manager.getCurrentUser(`${token}x`).catch(() => undefined);
      expect(log.of(LOGIN_EVENTS.authFailure)).to.deep.equal([{ code: 'signature_invalid' }]);
      log.expectNoSecret();
    } finally {
      log.stop();
    }
  });
});
