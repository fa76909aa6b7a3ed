import { expect } from 'chai';
import express, { type ErrorRequestHandler } from 'express';
import Koa from 'koa';
import { LoginManager, UserLoaderError } from 'routing-controllers-login';
import type { LoggedInRequest, MaybeLoggedInRequest } from 'routing-controllers-login/express';
import request from 'supertest';
import { HS256_SECRET } from '../helpers/keys';
import { type Account, accountLoader, quietLogger } from '../helpers/users';

const users = accountLoader();
const manager = new LoginManager<Account>({
  secret: HS256_SECRET,
  tokenUrl: '/t',
  userLoader: users.load,
  logger: quietLogger,
});
const token = (options: { scopes?: string[]; fresh?: boolean } = {}) =>
  manager.createAccessToken({ data: { sub: 'john@example.com' }, ...options });
const bearer = (value: string) => ({ Authorization: `Bearer ${value}` });

/** A plain express app (no routing-controllers) whose error handler records what it saw. */
function expressApp() {
  const seen: unknown[] = [];
  const app = express();
  app.set('env', 'test');
  app.get('/me', manager.requireLogin(), (req, res) => {
    res.json({ email: (req as LoggedInRequest<Account>).user.email });
  });
  app.get('/admin', manager.requireLogin({ scopes: ['admin'] }), (_req, res) => res.json({ admin: true }));
  app.post('/password', manager.requireLogin({ fresh: true }), (_req, res) => res.json({ changed: true }));
  app.post('/refresh', manager.requireLogin({ refresh: true }), (_req, res) => res.json({ refreshed: true }));
  app.get('/maybe', manager.middleware(), (req, res) => {
    res.json({ email: (req as MaybeLoggedInRequest<Account>).user?.email ?? null });
  });
  const recordThenDefault: ErrorRequestHandler = (error, _req, _res, next) => {
    seen.push(error);
    next(error);
  };
  app.use(recordThenDefault);
  return { app, seen };
}

describe('manager.requireLogin() on plain express', () => {
  const { app, seen } = expressApp();

  beforeEach(() => {
    seen.length = 0;
  });

  it('answers 401 with the bare challenge without a token, through next(err) and express’s own handler', async () => {
    const response = await request(app).get('/me').expect(401);
    expect(response.headers['www-authenticate']).to.equal('Bearer');
    expect(seen).to.have.length(1);
    expect(seen[0]).to.include({ name: 'InvalidCredentialsError', status: 401 });
    expect(response.text).not.to.match(/\bat .*:\d+:\d+/);
  });

  it('answers 401 invalid_token for a refused token, and never echoes it', async () => {
    const bad = `${token()}x`;
    const response = await request(app).get('/me').set(bearer(bad)).expect(401);
    expect(response.headers['www-authenticate']).to.equal('Bearer error="invalid_token"');
    expect(response.text).not.to.include(bad.slice(0, 20));
  });

  it('lets a valid token through and sets req.user', async () => {
    await request(app).get('/me').set(bearer(token())).expect(200, { email: 'john@example.com' });
  });

  it('answers 403 insufficient_scope with the scope challenge, and 200 with the scope', async () => {
    const denied = await request(app).get('/admin').set(bearer(token())).expect(403);
    expect(denied.headers['www-authenticate']).to.equal('Bearer error="insufficient_scope", scope="admin"');
    await request(app)
      .get('/admin')
      .set(bearer(token({ scopes: ['admin'] })))
      .expect(200);
  });

  it('requires a fresh login with fresh: true, and a refresh token with refresh: true', async () => {
    await request(app).post('/password').set(bearer(token())).expect(401);
    await request(app)
      .post('/password')
      .set(bearer(token({ fresh: true })))
      .expect(200);
    await request(app).post('/refresh').set(bearer(token())).expect(401);
    const refresh = manager.createRefreshToken({ data: { sub: 'john@example.com' } });
    await request(app).post('/refresh').set(bearer(refresh)).expect(200, { refreshed: true });
  });

  it('passes a loader exception on as a UserLoaderError (a 500, the original its cause), not as a 401', async () => {
    users.failWith = new Error('database down');
    try {
      await request(app).get('/me').set(bearer(token())).expect(500);
      expect(seen[0]).to.be.instanceOf(UserLoaderError);
      expect((seen[0] as UserLoaderError).cause).to.equal(users.failWith);
    } finally {
      users.failWith = undefined;
    }
  });

  it('refuses unknown or mistyped options at setup', () => {
    expect(() => manager.requireLogin({ scope: ['admin'] } as never)).to.throw(TypeError, /unknown option scope/);
    expect(() => manager.requireLogin({ scopes: 'admin' } as never)).to.throw(TypeError, /scopes/);
    expect(() => manager.requireLogin({ refresh: true, fresh: true })).to.throw(TypeError, /exclude each other/);
  });

  it('keeps middleware() the optional flavour: null without a login', async () => {
    await request(app).get('/maybe').expect(200, { email: null });
    await request(app).get('/maybe').set(bearer(token())).expect(200, { email: 'john@example.com' });
  });
});

/** A plain Koa app (no routing-controllers): `guard`, then a handler answering with ctx.state.user. */
function koaApp(guard: Koa.Middleware) {
  const app = new Koa();
  app.silent = true;
  app.use(guard);
  app.use((ctx) => {
    const user = ctx.state.user as Account | null | undefined;
    ctx.body = { email: user === undefined ? 'unset' : (user?.email ?? null) };
  });
  return app.callback();
}

describe('the same middlewares on plain Koa', () => {
  const guarded = koaApp(manager.requireLogin());
  const admin = koaApp(manager.requireLogin({ scopes: ['admin'] }));
  const optional = koaApp(manager.middleware());

  it('requireLogin(): 401 with the challenge through Koa’s error handling, which keeps err.headers', async () => {
    const response = await request(guarded).get('/').expect(401);
    expect(response.headers['www-authenticate']).to.equal('Bearer');
    expect(response.text).to.equal('Invalid credentials');
    const bad = await request(guarded).get('/').set(bearer('x.y.z')).expect(401);
    expect(bad.headers['www-authenticate']).to.equal('Bearer error="invalid_token"');
  });

  it('requireLogin(): 403 insufficient_scope, and 200 with ctx.state.user set', async () => {
    const denied = await request(admin).get('/').set(bearer(token())).expect(403);
    expect(denied.headers['www-authenticate']).to.equal('Bearer error="insufficient_scope", scope="admin"');
    await request(guarded).get('/').set(bearer(token())).expect(200, { email: 'john@example.com' });
  });

  it('middleware(): ctx.state.user is the user, or null', async () => {
    await request(optional).get('/').expect(200, { email: null });
    await request(optional).get('/').set(bearer(token())).expect(200, { email: 'john@example.com' });
  });
});
