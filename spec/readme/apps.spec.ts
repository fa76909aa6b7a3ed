import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { LoginManager } from 'routing-controllers-login';
import { type Started, startServer } from '../helpers/spawn';
import { appFiles, compileApps } from './blocks';
import { Browser, FORM } from './browser';
import { block, compile, fencedBlocks, keyCommands, readmeTsconfig, root } from './source';

const SECRET = 'readme-spec-secret-Qx7Lk2Vb9Tz4Hw8Rj5Nc3';
const ADA = { email: 'ada@example.com', name: 'Ada', scopes: ['items:write'] };

/** A token endpoint's answer as RFC 6749 §5.1 says (`manager.tokenResponse`): its fields, and stored nowhere. */
async function tokenAnswer(issued: Response, what: string): Promise<{ access_token: string; refresh_token?: string }> {
  expect(issued.status, what).to.equal(200);
  expect(issued.headers.get('cache-control'), `${what}: Cache-Control`).to.equal('no-store');
  expect(issued.headers.get('pragma'), `${what}: Pragma`).to.equal('no-cache');
  const body = (await issued.json()) as { access_token: string; refresh_token?: string; expires_in: number };
  expect(body).to.include({ token_type: 'Bearer' });
  // Whole seconds read when the token is signed and again when answered (after the store's answer): a second may pass.
  expect(body.expires_in, `${what}: expires_in`).to.be.within(15 * 60 - 1, 15 * 60);
  return body;
}

/** The README's login: the password form posted urlencoded, as the quickstart's curl does; `scope` if asked. */
async function tokens(url: string, scope?: string): Promise<{ access_token: string; refresh_token?: string }> {
  const form = new URLSearchParams({ username: 'ada@example.com', password: 'let-me-in', ...(scope ? { scope } : {}) });
  const issued = await fetch(`${url}/auth/token`, { method: 'POST', headers: FORM, body: form });
  return tokenAnswer(issued, 'POST /auth/token');
}

const logIn = async (url: string, scope?: string) => (await tokens(url, scope)).access_token;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** 401 with a Bearer challenge without a token, 401 with a forged one, then 200 and `expected` with the token. */
async function expectProtected(url: string, path: string, token: string, expected: unknown): Promise<void> {
  const anonymous = await fetch(`${url}${path}`);
  expect(anonymous.status, `GET ${path} without a token`).to.equal(401);
  expect(anonymous.headers.get('www-authenticate')).to.equal('Bearer');
  const forged = await fetch(`${url}${path}`, { headers: bearer(`${token}x`) });
  expect(forged.status, `GET ${path} with a forged token`).to.equal(401);
  const served = await fetch(`${url}${path}`, { headers: bearer(token) });
  expect(served.status, `GET ${path} with the token`).to.equal(200);
  expect(await served.json()).to.deep.equal(expected);
}

/** A JSON body that does not parse: 400 by its status alone, the password neither in the response nor in the log. */
async function expectUnparsableBodyUnechoed(app: Started): Promise<void> {
  const response = await fetch(`${app.url}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    // Short enough that V8's JSON.parse message quotes all of it.
    body: '{"password": hunter2}',
  });
  expect(response.status).to.equal(400);
  expect(await response.json()).to.deep.equal({ message: 'Bad Request' });
  await new Promise((resolve) => setTimeout(resolve, 200)); // the server logs after it answered
  expect(app.output()).not.to.include('hunter2');
}

const ADA_FORM = { username: 'ada@example.com', password: 'let-me-in' };

describe('README apps, run: each guide built as it says, logged in, 200 with a login and 401 without', function () {
  this.timeout(60_000);
  const started: Started[] = [];
  const scratch: string[] = [];
  const start = async (name: string, env: Record<string, string> = {}, cwd?: string) => {
    const { workdir } = compileApps();
    const app = await startServer(join(workdir, 'out', name, 'app.js'), { SECRET, ...env }, cwd);
    started.push(app);
    return app;
  };
  /** A directory holding the keys the README's openssl commands make, run as written (file names as given). */
  const keysDir = (rename: (command: string) => string = (command) => command) => {
    const dir = mkdtempSync(join(tmpdir(), 'readme-keys-'));
    scratch.push(dir);
    for (const command of keyCommands()) execFileSync('bash', ['-c', rename(command)], { cwd: dir, stdio: 'pipe' });
    return dir;
  };
  /** The README's ES256 command again, for the key "made the same way" six months on. */
  const newKey = (dir: string, kid: string) => {
    const command = keyCommands().find((line) => line.includes('ec_paramgen_curve:P-256')) ?? '';
    execFileSync('bash', ['-c', command.replaceAll('es256-2026-05', `es256-${kid}`)], { cwd: dir, stdio: 'pipe' });
  };
  const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

  before(() => expect(compileApps().diagnostics).to.equal(''));
  after(async () => {
    await Promise.all(started.map((app) => app.stop()));
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  });

  it('routes: ItemsController and FeedController added to the quickstart; scopes from the token route', async () => {
    const app = await start('routes');
    const plain = await logIn(app.url);
    await expectProtected(app.url, '/items', plain, { owner: 'ada@example.com', items: [] });
    const item = { method: 'POST', body: JSON.stringify({ name: 'pen' }) };
    const json = { 'content-type': 'application/json' };
    const refused = await fetch(`${app.url}/items`, { ...item, headers: { ...json, ...bearer(plain) } });
    expect(refused.status, 'POST /items without items:write').to.equal(403);
    expect(refused.headers.get('www-authenticate')).to.equal('Bearer error="insufficient_scope", scope="items:write"');
    const writer = await logIn(app.url, 'items:write');
    const created = await fetch(`${app.url}/items`, { ...item, headers: { ...json, ...bearer(writer) } });
    expect(created.status, 'POST /items with items:write').to.equal(200);
    expect(await created.json()).to.deep.equal({ name: 'pen', owner: 'ada@example.com' });
    const feed = async (headers: Record<string, string> = {}) => (await fetch(`${app.url}/feed`, { headers })).json();
    expect(await feed()).to.equal('Hello, guest');
    expect(await feed(bearer(plain))).to.equal('Hello, Ada');
    expect(await feed(bearer(`${plain}x`))).to.equal('Hello, guest');
  });

  it('step-up: PaymentsController added to the quickstart takes a new login, and one without acr only where none is asked', async () => {
    const app = await start('step-up');
    const token = await logIn(app.url);
    const paid = await fetch(`${app.url}/payments`, { method: 'POST', headers: bearer(token) });
    expect(paid.status, 'POST /payments right after the login').to.equal(200);
    expect(await paid.json()).to.deep.equal({ paid: true, by: ADA.email });
    const payee = await fetch(`${app.url}/payments/payees`, { method: 'POST', headers: bearer(token) });
    expect(payee.status, 'POST /payments/payees with a password-only login').to.equal(401);
    expect(payee.headers.get('www-authenticate')).to.equal(
      'Bearer error="insufficient_user_authentication", acr_values="mfa"',
    );
    expect(((await payee.json()) as { code: string }).code).to.equal('insufficient_user_authentication');
  });

  it('protected by default: the token route and @Public() health stay open, StatusController needs a login', async () => {
    const app = await start('by-default');
    const health = await fetch(`${app.url}/status/health`);
    expect(health.status, 'GET /status/health without a token').to.equal(200);
    expect(await health.json()).to.deep.equal({ healthy: true });
    const token = await logIn(app.url);
    await expectProtected(app.url, '/status', token, { ok: true });
    await expectProtected(app.url, '/me', token, ADA);
  });

  describe('cookies: the login page, its form, the home page and logout (PagesController)', () => {
    let app: Started;
    before(async () => {
      app = await start('cookies');
    });

    it('logs in with the form (303 to /), serves the home page by the cookie, and refuses it without one', async () => {
      const browser = new Browser(app.url);
      const loggedIn = await browser.submitLogin(ADA_FORM);
      expect(loggedIn.status).to.equal(303);
      expect(loggedIn.headers.get('location')).to.equal('/');
      expect([...browser.cookies.keys()].sort()).to.deep.equal(['access-token', 'csrf-token']);
      const home = await browser.send('/');
      expect(home.status).to.equal(200);
      expect(await home.text()).to.include('<p>Hello, Ada</p>');
      const anonymous = await fetch(`${app.url}/`);
      expect(anonymous.status, 'GET / without the cookie').to.equal(401);
      expect(await anonymous.json(), 'as the redirect section says').to.deep.equal({
        name: 'InvalidCredentialsError',
        message: 'Invalid credentials',
      });
    });

    it('shows the form again with a message on a wrong password, the email as typed, not JSON', async () => {
      const browser = new Browser(app.url);
      const wrong = await browser.submitLogin({ username: 'ada@example.com', password: 'wrong' });
      expect(wrong.status).to.equal(401);
      expect(wrong.headers.get('content-type')).to.match(/^text\/html/);
      const page = await wrong.text();
      expect(page).to.include('<p role="alert">Wrong email or password.</p>');
      expect(page).to.include('<form method="post" action="/login?next=%2F">');
      expect(page).to.include('value="ada@example.com"');
      expect(browser.cookies.has('access-token')).to.equal(false);
      expect((await browser.submitLogin(ADA_FORM)).status, 'the form shown again logs in').to.equal(303);
    });

    it('logs out with the home page form (its _csrf field); refuses a logout without it (403 csrf_failed)', async () => {
      const browser = new Browser(app.url);
      await browser.submitLogin(ADA_FORM);
      const session = browser.cookies.get('access-token');
      const forged = await browser.send('/logout', { method: 'POST', headers: FORM, body: '' });
      expect(forged.status).to.equal(403);
      expect(await forged.json()).to.include({ name: 'CsrfError', code: 'csrf_failed' });
      const home = await (await browser.send('/')).text();
      const csrf = /name="_csrf" value="([^"]+)"/.exec(home)?.[1] ?? '';
      const out = await browser.send('/logout', { method: 'POST', headers: FORM, body: `_csrf=${csrf}` });
      expect(out.status).to.equal(303);
      expect(out.headers.get('location')).to.equal('/login');
      expect(browser.cookies.has('access-token')).to.equal(false);
      const replayed = await fetch(`${app.url}/`, { headers: { cookie: `access-token=${session}` } });
      expect(replayed.status, 'the logged-out cookie replayed').to.equal(401);
    });

    it("logs out with the page script's X-CSRF-Token header instead of the field", async () => {
      const browser = new Browser(app.url);
      await browser.submitLogin(ADA_FORM);
      const csrf = browser.cookies.get('csrf-token') ?? '';
      const out = await browser.send('/logout', { method: 'POST', headers: { 'x-csrf-token': csrf } });
      expect(out.status).to.equal(303);
    });

    it('refuses a login post without the form value (login CSRF), and sets the remember-me cookie when asked', async () => {
      const crossSite = await fetch(`${app.url}/login`, {
        method: 'POST',
        headers: FORM,
        body: new URLSearchParams(ADA_FORM),
        redirect: 'manual',
      });
      expect(crossSite.status).to.equal(403);
      const browser = new Browser(app.url);
      expect((await browser.submitLogin({ ...ADA_FORM, remember: 'on' })).status).to.equal(303);
      expect(browser.cookies.has('refresh-token')).to.equal(true);
    });

    it('loginPage: a browser without a login goes to /login?next=<page>, and back there once logged in', async () => {
      const browser = new Browser(app.url);
      const sent = await browser.send('/?tab=2');
      expect(sent.status).to.equal(303);
      expect(sent.headers.get('location')).to.equal('/login?next=%2F%3Ftab%3D2');
      const loggedIn = await browser.submitLogin(ADA_FORM, sent.headers.get('location') as string);
      expect(loggedIn.status).to.equal(303);
      expect(loggedIn.headers.get('location'), 'back to the page asked for').to.equal('/?tab=2');
      expect((await browser.send('/?tab=2')).status).to.equal(200);
      const api = await fetch(`${app.url}/me`);
      expect(api.status, 'an API client keeps the 401').to.equal(401);
      expect(api.headers.get('www-authenticate')).to.equal('Bearer');
    });

    it('loginPage: a next off this site, plain or encoded, sends the logged-in browser to / instead', async () => {
      for (const next of ['//evil.example', 'https://evil.example', '/\\evil.example', '/%2F%2Fevil.example']) {
        const browser = new Browser(app.url);
        const loggedIn = await browser.submitLogin(ADA_FORM, `/login?next=${encodeURIComponent(next)}`);
        expect(loggedIn.headers.get('location'), next).to.equal('/');
      }
    });

    it('answers a multipart login form, which nothing parses here, 400 body_not_parsed', async () => {
      const browser = new Browser(app.url);
      const page = await (await browser.send('/login')).text();
      const form = new FormData();
      form.set('_csrf', /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '');
      form.set('username', 'ada@example.com');
      form.set('password', 'let-me-in');
      const posted = await browser.send('/login', { method: 'POST', body: form });
      expect(posted.status).to.equal(400);
      const refusal = (await posted.json()) as { code: string; message: string };
      expect(refusal.code).to.equal('body_not_parsed');
      expect(refusal.message).to.match(/^The request body was not parsed, so its _csrf field could not be read/);
    });
  });

  it('sessions: access and refresh tokens, rotation with reuse detection, logout, logout everywhere', async () => {
    const app = await start('sessions');
    const first = await tokens(app.url);
    expect(first.refresh_token, 'createTokens: the pair').to.be.a('string');
    await expectProtected(app.url, '/me', first.access_token, ADA);
    const refresh = (token: string) => fetch(`${app.url}/auth/refresh`, { method: 'POST', headers: bearer(token) });
    expect((await refresh(first.access_token)).status, 'an access token on the refresh route').to.equal(401);
    const second = await tokenAnswer(await refresh(first.refresh_token as string), 'POST /auth/refresh');
    expect(second.refresh_token).to.be.a('string').and.not.equal(first.refresh_token);
    expect((await fetch(`${app.url}/me`, { headers: bearer(second.access_token) })).status).to.equal(200);
    const again = await refresh(first.refresh_token as string);
    expect(again.status, 'the rotated-away token within refreshGrace: a second tab').to.equal(200);
    await tokenAnswer(await refresh(second.refresh_token as string), 'POST /auth/refresh');
    const reused = await refresh(first.refresh_token as string);
    expect(reused.status).to.equal(401);
    expect(((await reused.json()) as { code: string }).code).to.equal('refresh_token_reused');
    const revoked = await fetch(`${app.url}/me`, { headers: bearer(second.access_token) });
    expect(revoked.status, "the reused login's access token").to.equal(401);
    expect((await refresh(second.refresh_token as string)).status, "the reused login's refresh token").to.equal(401);

    const third = await logIn(app.url);
    const logout = await fetch(`${app.url}/auth/logout`, { method: 'POST', headers: bearer(third) });
    expect(logout.status).to.equal(204);
    expect((await fetch(`${app.url}/me`, { headers: bearer(third) })).status, 'after logout').to.equal(401);

    const [phone, laptop] = [await logIn(app.url), await logIn(app.url)] as [string, string];
    const everywhere = await fetch(`${app.url}/auth/logout-everywhere`, { method: 'POST', headers: bearer(laptop) });
    expect(everywhere.status).to.equal(204);
    expect((await fetch(`${app.url}/me`, { headers: bearer(phone) })).status, 'after logout-everywhere').to.equal(401);
  });

  it('devices: lists the logins, labelled, this one current, and ends another (its token refused from then on)', async () => {
    const app = await start('devices');
    const [phone, laptop] = [await logIn(app.url), await logIn(app.url)] as [string, string];
    const list = async (token: string) => {
      const listed = await fetch(`${app.url}/auth/sessions`, { headers: bearer(token) });
      expect(listed.status, 'GET /auth/sessions').to.equal(200);
      return (await listed.json()) as { id: string; label?: string; current: boolean; startedAt: string }[];
    };
    const sessions = await list(laptop);
    expect(sessions.map(({ label, current }) => ({ label, current }))).to.deep.equal([
      { label: 'node', current: true },
      { label: 'node', current: false },
    ]);
    expect(Date.parse(sessions[0]?.startedAt as string)).not.to.be.NaN;
    const end = (token: string, id: string) =>
      fetch(`${app.url}/auth/sessions/${id}/end`, { method: 'POST', headers: bearer(token) });
    expect((await end(laptop, sessions[1]?.id as string)).status).to.equal(204);
    expect((await fetch(`${app.url}/me`, { headers: bearer(phone) })).status, 'the ended login').to.equal(401);
    expect((await list(laptop)).length).to.equal(1);
    expect((await end(laptop, sessions[1]?.id as string)).status, 'ended already').to.equal(404);
  });

  it('redis: two instances share a logout through the RedisRevocationStore', async function () {
    if (!process.env.REDIS_URL) return this.skip();
    const [one, two] = [await start('redis'), await start('redis')] as [Started, Started];
    const token = await logIn(one.url);
    await expectProtected(two.url, '/me', token, ADA);
    expect((await fetch(`${one.url}/auth/logout`, { method: 'POST', headers: bearer(token) })).status).to.equal(204);
    expect((await fetch(`${two.url}/me`, { headers: bearer(token) })).status, 'on the other instance').to.equal(401);
  });

  it('redis-mirror: two mirrored instances share a logout within maxStaleness', async function () {
    if (!process.env.REDIS_URL) return this.skip();
    const [one, two] = [await start('redis-mirror'), await start('redis-mirror')] as [Started, Started];
    const token = await logIn(one.url);
    await expectProtected(two.url, '/me', token, ADA);
    expect((await fetch(`${one.url}/auth/logout`, { method: 'POST', headers: bearer(token) })).status).to.equal(204);
    const deadline = Date.now() + 1000; // the default maxStaleness: the longest a revocation may take
    let status = 200;
    while (status !== 401 && Date.now() < deadline)
      status = (await fetch(`${two.url}/me`, { headers: bearer(token) })).status;
    expect(status, 'on the other instance').to.equal(401);
  });

  it('audit: one JSON line per event (the login, a refusal), with neither the token nor the password', async () => {
    const app = await start('audit');
    const token = await logIn(app.url);
    expect((await fetch(`${app.url}/me`)).status).to.equal(401);
    expect((await fetch(`${app.url}/me?access_token=${token}x`)).status).to.equal(401);
    await new Promise((resolve) => setTimeout(resolve, 200)); // the child's stdout arrives after its answer
    const lines = app
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const line of lines) expect(Date.parse(line.at as string), `at of ${JSON.stringify(line)}`).not.to.be.NaN;
    const events = lines.map(({ at: _at, ...rest }) => rest);
    expect(events).to.deep.equal([
      { event: 'routing-controllers-login:login', sub: ADA.email },
      { event: 'routing-controllers-login:auth-failure', code: 'token_missing', method: 'GET', path: '/me' },
      { event: 'routing-controllers-login:auth-failure', code: 'token_missing', method: 'GET', path: '/me' },
    ]);
    expect(app.output()).not.to.include(token.split('.')[2]);
    expect(app.output()).not.to.include('let-me-in');
  });

  it('metrics: GET /metrics counts logins and refusals by code (prom-client)', async () => {
    const app = await start('metrics');
    const token = await logIn(app.url);
    await fetch(`${app.url}/me`);
    await fetch(`${app.url}/me`, { headers: bearer(`${token}x`) });
    await fetch(`${app.url}/me`, { headers: bearer(`${token}x`) });
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).to.match(/^auth_logins_total 1$/m);
    expect(metrics).to.match(/^auth_refusals_total\{code="token_missing"\} 1$/m);
    expect(metrics).to.match(/^auth_refusals_total\{code="signature_invalid"\} 2$/m);
  });

  it('throttle: past 5 wrong passwords the account waits (429, Retry-After), right password or not', async () => {
    const app = await start('throttle');
    await expectProtected(app.url, '/me', await logIn(app.url), ADA);
    const attempt = (password: string) =>
      fetch(`${app.url}/auth/token`, {
        method: 'POST',
        headers: FORM,
        body: new URLSearchParams({ username: 'ada@example.com', password }),
      });
    for (let i = 0; i < 5; i++) expect((await attempt('wrong')).status, `wrong password ${i + 1}`).to.equal(401);
    const waiting = await attempt('wrong');
    expect(waiting.status).to.equal(429);
    expect(Number(waiting.headers.get('retry-after'))).to.be.greaterThan(0);
    expect((await attempt('let-me-in')).status, 'the right password while waiting').to.equal(429);
  });

  it('keys: the openssl commands as written, an ES256 key by kid, then a rotation that keeps old tokens', async function () {
    if (!hasOpenssl) return this.skip();
    const dir = keysDir();
    const may = await start('keys', {}, dir);
    const old = await logIn(may.url);
    const header = (token: string) => JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString());
    expect(header(old)).to.include({ alg: 'ES256', kid: '2026-05' });
    await expectProtected(may.url, '/me', old, ADA);
    await may.stop();

    newKey(dir, '2026-11');
    const november = await start('keys-rotation', {}, dir);
    await expectProtected(november.url, '/me', old, ADA);
    const fresh = await logIn(november.url);
    expect(header(fresh)).to.include({ alg: 'ES256', kid: '2026-11' });
    await expectProtected(november.url, '/me', fresh, ADA);
  });

  it('DPoP: client.ts (the dpop library) logs in with a proof and calls /me; the bound token alone is refused', async () => {
    const app = await start('dpop');
    const client = join(compileApps().workdir, 'out', 'dpop', 'client.js');
    const output = execFileSync(process.execPath, [client], {
      env: { ...process.env, API: app.url },
      encoding: 'utf8',
    });
    expect(output.trim()).to.equal(`DPoP 200 ${JSON.stringify(ADA)}`);
    const { generateKeyPair, generateProof } = await import('dpop');
    const keys = await generateKeyPair('ES256');
    const form = new URLSearchParams({ username: 'ada@example.com', password: 'let-me-in' });
    const proof = (url: string, method: string, token?: string) => generateProof(keys, url, method, undefined, token);
    const issued = await fetch(`${app.url}/auth/token`, {
      method: 'POST',
      headers: { ...FORM, DPoP: await proof(`${app.url}/auth/token`, 'POST') },
      body: form,
    });
    const { access_token, refresh_token } = (await issued.json()) as { access_token: string; refresh_token: string };
    const asBearer = await fetch(`${app.url}/me`, { headers: bearer(access_token) });
    expect([asBearer.status, ((await asBearer.json()) as { code: string }).code]).to.deep.equal([401, 'dpop_required']);
    const refreshed = await fetch(`${app.url}/auth/refresh`, {
      method: 'POST',
      headers: {
        authorization: `DPoP ${refresh_token}`,
        DPoP: await proof(`${app.url}/auth/refresh`, 'POST', refresh_token),
      },
    });
    expect(refreshed.status, 'POST /auth/refresh with a proof').to.equal(200);
    expect(((await refreshed.json()) as { token_type: string }).token_type).to.equal('DPoP');
    // Without a proof, the quickstart's bearer login still works; a 401 offers both schemes.
    const anonymous = await fetch(`${app.url}/me`);
    expect(anonymous.headers.get('www-authenticate')).to.equal('Bearer, DPoP algs="ES256 EdDSA Ed25519 PS256 RS256"');
    expect((await fetch(`${app.url}/me`, { headers: bearer(await logIn(app.url)) })).status).to.equal(200);
  });

  it('Koa: the quickstart with its end replaced by the Koa block', async () => {
    const app = await start('koa');
    await expectProtected(app.url, '/me', await logIn(app.url), ADA);
    await expectUnparsableBodyUnechoed(app);
    // routing-controllers' BadRequestError has httpCode 400 and no status: Koa's own handling answered 500.
    const invalid = await fetch(`${app.url}/auth/token`, {
      method: 'POST',
      body: new URLSearchParams({ username: '', password: 'MySecretPassw0rd' }),
    });
    expect(invalid.status).to.equal(400);
    const body = await invalid.text();
    expect(JSON.parse(body)).to.include({ name: 'BadRequestError' });
    expect(body).not.to.include('MySecretPassw0rd');
  });

  it('plain express: requireLogin(), JSON and form logins, and the error handler of the block', async () => {
    const app = await start('plain-express');
    const ada = { email: 'ada@example.com', name: 'Ada' };
    await expectProtected(app.url, '/me', await logIn(app.url), ada);
    const json = await fetch(`${app.url}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADA_FORM),
    });
    expect(json.status, 'a JSON login').to.equal(200);
    const { access_token } = (await json.json()) as { access_token: string };
    expect((await fetch(`${app.url}/me`, { headers: bearer(access_token) })).status).to.equal(200);
    const wrong = await fetch(`${app.url}/auth/token`, {
      method: 'POST',
      body: new URLSearchParams({ password: 'x' }),
    });
    expect(wrong.status).to.equal(401);
    expect(await wrong.json()).to.deep.equal({ name: 'InvalidCredentialsError', message: 'Invalid credentials' });
  });

  it("OpenAPI: docs.ts serves the document and Swagger UI; its Authorize flow's token form logs in", async () => {
    const app = await start('openapi');
    const spec = (await (await fetch(`${app.url}/openapi.json`)).json()) as {
      components: { securitySchemes: { oauth2: { flows: { password: { tokenUrl: string } } } } };
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    };
    expect(spec.components.securitySchemes.oauth2.flows.password.tokenUrl).to.equal('/auth/token');
    expect(spec.paths['/me/']?.get?.security).to.deep.include({ oauth2: [] });
    const docs = await fetch(`${app.url}/docs/`);
    expect(docs.status).to.equal(200);
    expect(await docs.text()).to.include('swagger-ui');
    // What Swagger UI's Authorize dialog posts for the password flow.
    const authorize = new URLSearchParams({ grant_type: 'password', ...ADA_FORM, scope: '', client_id: '' });
    const issued = await fetch(`${app.url}/auth/token`, { method: 'POST', headers: FORM, body: authorize });
    expect(issued.status).to.equal(200);
    const { access_token } = (await issued.json()) as { access_token: string };
    await expectProtected(app.url, '/me', access_token, ADA);
  });

  it('several services: the auth service (ES256, jwks) and a resource service that fetches its keys', async function () {
    if (!hasOpenssl) return this.skip();
    const dir = mkdtempSync(join(tmpdir(), 'readme-auth-service-'));
    scratch.push(dir);
    newKey(dir, '2026-11'); // "an ES256 key made as in Keys, saved as es256-2026-11.pem"
    const auth = await start('auth-service', {}, dir);
    const token = await logIn(auth.url);
    await expectProtected(auth.url, '/me', token, ADA);
    const jwks = (await (await fetch(`${auth.url}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
    expect(jwks.keys.map((key) => key.kid)).to.deep.equal(['2026-11']);

    const resource = await start('resource-service', { AUTH_URL: auth.url });
    await expectProtected(resource.url, '/orders', token, { owner: 'ada@example.com', orders: [] });
  });

  for (const variant of ['provider', 'issuers']) {
    it(`several services: the resource service with the ${variant} verifier starts and refuses a request without a token`, async () => {
      const app = await start(variant);
      const anonymous = await fetch(`${app.url}/orders`);
      expect(anonymous.status).to.equal(401);
      expect(anonymous.headers.get('www-authenticate')).to.equal('Bearer');
    });
  }
});

/** What issue 16 saw in 500 bodies: a loader's path and password, a route's connection string. */
const LOADER_ERROR = 'db unreachable at /srv/secret/users.db password=S3cr3t';
const ROUTE_ERROR = 'connect ECONNREFUSED postgres://app:S3cr3t@db:5432';

/**
 * A README app whose user loader and token route fail as a database would, when BROKEN says so: the quickstart's
 * own lines, with a throw put before them (this fails when the lines move).
 */
function broken(app: string): Record<string, string> {
  const files = appFiles(app);
  const insert = (file: string, line: string, thrown: string, where: 'before' | 'after') => {
    const source = files[file] ?? '';
    if (!source.includes(line)) throw new Error(`${app}/${file} has no line \`${line.trim()}\``);
    const indent = /^\s*/.exec(line)?.[0] ?? '';
    const check = `${where === 'after' ? '  ' : ''}${indent}if (process.env.BROKEN === ${thrown}\n`;
    files[file] = source.replace(line, where === 'before' ? `${check}${line}` : `${line}${check}`);
  };
  const loader = `'loader') throw new Error(${JSON.stringify(LOADER_ERROR)});`;
  const route = `'route') throw new Error(${JSON.stringify(ROUTE_ERROR)});`;
  insert('users.ts', '    const account = this.accounts.get(email);\n', loader, 'before');
  insert(
    'auth.ts',
    '  async token(@Body({ validate: true }) form: PasswordForm, @Res() res: HttpExchange) {\n',
    route,
    'after',
  );
  return files;
}

describe('README apps with a database that fails: a generic 5xx, logged, nothing of it in any response', function () {
  this.timeout(120_000);
  const started: Started[] = [];
  let workdir = '';
  before(() => {
    const files: Record<string, string> = {};
    for (const app of ['quickstart', 'koa']) {
      for (const [file, source] of Object.entries(broken(app))) files[`${app}/${file}`] = source;
    }
    const { compilerOptions } = readmeTsconfig();
    const compiled = compile('readme-broken', files, { compilerOptions: { ...compilerOptions, skipLibCheck: true } });
    expect(compiled.diagnostics).to.equal('');
    workdir = compiled.workdir;
  });
  after(() => Promise.all(started.map((app) => app.stop())));

  for (const app of ['quickstart', 'koa']) {
    for (const nodeEnv of ['production', undefined]) {
      it(`${app}, NODE_ENV ${nodeEnv ?? 'unset'}`, async () => {
        const script = join(workdir, 'out', app, 'app.js');
        const env = { SECRET, NODE_ENV: nodeEnv };
        const loaderDown = await startServer(script, { ...env, BROKEN: 'loader' });
        const routeDown = await startServer(script, { ...env, BROKEN: 'route' });
        started.push(loaderDown, routeDown);
        // The token route finds the account with the (broken) loader: the token is signed here, with the app's secret.
        const token = new LoginManager({ secret: SECRET, tokenUrl: '/t' }).createAccessToken({
          data: { sub: 'ada@example.com' },
        });
        const me = await fetch(`${loaderDown.url}/me`, { headers: bearer(token) });
        expect(me.status).to.equal(500);
        const meBody = await me.text();
        expect(JSON.parse(meBody)).to.deep.equal({ name: 'UserLoaderError', message: 'The user could not be loaded' });
        const issued = await fetch(`${routeDown.url}/auth/token`, { method: 'POST', headers: FORM, body: 'a=b' });
        expect(issued.status).to.equal(400, 'a form without username and password');
        const login = new URLSearchParams(ADA_FORM);
        const failed = await fetch(`${routeDown.url}/auth/token`, { method: 'POST', headers: FORM, body: login });
        expect(failed.status).to.equal(500);
        const failedBody = await failed.text();
        expect(JSON.parse(failedBody)).to.deep.equal({ message: 'Internal Server Error' });
        const seen = `${meBody}${failedBody}${JSON.stringify([...me.headers, ...failed.headers])}`;
        for (const secret of ['S3cr3t', '/srv/secret', 'ECONNREFUSED', 'postgres', 'db unreachable']) {
          expect(seen).not.to.include(secret);
        }
        await new Promise((resolve) => setTimeout(resolve, 200)); // the servers log after they answered
        expect(loaderDown.output(), 'the loader failure, logged').to.include(LOADER_ERROR);
        expect(routeDown.output(), 'the route failure, logged').to.include(ROUTE_ERROR);
      });
    }
  }
});

describe("the quickstart's shell session, run as written", function () {
  this.timeout(120_000);
  const workdir = join(root, 'build/readme-session');
  let app: Started | undefined;
  after(() => app?.stop());

  it('makes a secret, builds with the minimal tsconfig, and the curls answer 401, then the user', async () => {
    const session = fencedBlocks().find((candidate) => candidate.language === 'sh' && candidate.code.includes('curl'));
    const lines = (session?.code ?? '').split('\n').filter((line) => line.trim() !== '');
    expect(lines).to.have.length(5);
    const [makeSecret, build, ...curls] = lines as [string, string, ...string[]];
    rmSync(workdir, { recursive: true, force: true });
    mkdirSync(workdir, { recursive: true });
    for (const [file, source] of Object.entries(appFiles('quickstart'))) writeFileSync(join(workdir, file), source);
    writeFileSync(join(workdir, 'tsconfig.json'), block('tsconfig', 'json'));

    const secret = execFileSync('bash', ['-c', `${makeSecret}\nprintf %s "$SECRET"`], { encoding: 'utf8' });
    expect(Buffer.from(secret, 'base64url')).to.have.length(32);
    const [compileStep, runStep] =
      build
        .split('#')[0]
        ?.split('&&')
        .map((part) => part.trim()) ?? [];
    expect(runStep).to.equal('node dist/app.js');
    execFileSync('bash', ['-c', compileStep as string], { cwd: workdir, stdio: 'pipe' });

    app = await startServer(join(workdir, 'dist/app.js'), { SECRET: secret }, workdir);
    const port = new URL(app.url).port;
    const script = curls.map((line) => line.replaceAll('localhost:3000', `localhost:${port}`)).join('\necho\n');
    const output = execFileSync('bash', ['-e', '-c', script], { encoding: 'utf8' }).split('\n');
    expect(JSON.parse(output[0] as string)).to.deep.equal({
      name: 'InvalidCredentialsError',
      message: 'Invalid credentials',
    });
    const me = output.at(-1) as string;
    expect(JSON.parse(me)).to.deep.equal(ADA);
    expect(session?.code, 'the README shows what /me answers').to.include(`# ${me}`);
  });
});
