import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { type Started, startServer } from '../helpers/spawn';
import { compileExamples } from './blocks';
import { block, fencedBlocks, root } from './source';

const SECRET = 'readme-spec-secret-Qx7Lk2Vb9Tz4Hw8Rj5Nc3';

/** The README's login: the password form posted urlencoded, as the quickstart's curl does. */
async function logIn(url: string): Promise<string> {
  const issued = await fetch(`${url}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'username=ada%40example.com&password=let-me-in',
  });
  expect(issued.status, 'POST /auth/token').to.equal(200);
  return ((await issued.json()) as { access_token: string }).access_token;
}

/** 401 with a Bearer challenge without a token, then 200 and `expected` with the token. */
async function expectProtected(url: string, path: string, token: string, expected: unknown): Promise<void> {
  const anonymous = await fetch(`${url}${path}`);
  expect(anonymous.status, `GET ${path} without a token`).to.equal(401);
  expect(anonymous.headers.get('www-authenticate')).to.equal('Bearer');
  const bad = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}x` } });
  expect(bad.status, `GET ${path} with a forged token`).to.equal(401);
  const served = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(served.status, `GET ${path} with the token`).to.equal(200);
  expect(await served.json()).to.deep.equal(expected);
}

const ADA = { email: 'ada@example.com', name: 'Ada' };

/** A JSON body that does not parse: 400 by its status alone, the password neither in the response nor in the log. */
async function expectUnparsableBodyUnechoed(app: Started): Promise<void> {
  const response = await fetch(`${app.url}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    // Short enough that V8's JSON.parse message quotes all of it.
    body: '{"password": hunter2}',
  });
  expect(response.status).to.equal(400);
  expect(await response.text()).to.equal('Bad Request');
  await new Promise((resolve) => setTimeout(resolve, 200)); // the server logs after it answered
  expect(app.output()).not.to.include('hunter2');
}

describe('README apps, run: 401 without a token, 200 with one', function () {
  this.timeout(60_000);
  const started: Started[] = [];
  const start = async (name: string, env: Record<string, string> = {}, cwd?: string) => {
    const { workdir } = compileExamples();
    const app = await startServer(join(workdir, 'out', `${name}.js`), { SECRET, ...env }, cwd);
    started.push(app);
    return app;
  };
  before(() => expect(compileExamples().diagnostics).to.equal(''));
  after(() => Promise.all(started.map((app) => app.stop())));

  it('Koa: the quickstart with its end replaced by the Koa block', async () => {
    const app = await start('koa');
    await expectProtected(app.url, '/me', await logIn(app.url), ADA);
    await expectUnparsableBodyUnechoed(app);
  });

  it('plain express: requireLogin() and the error handler of the block', async () => {
    const app = await start('plain-express');
    await expectProtected(app.url, '/me', await logIn(app.url), ADA);
    const wrong = await fetch(`${app.url}/auth/token`, {
      method: 'POST',
      body: new URLSearchParams({ password: 'x' }),
    });
    expect(wrong.status).to.equal(401);
    expect(await wrong.json()).to.deep.equal({ name: 'InvalidCredentialsError', message: 'Invalid credentials' });
  });

  it('OpenAPI: the quickstart with the five lines added', async () => {
    const app = await start('openapi');
    await expectProtected(app.url, '/me', await logIn(app.url), ADA);
    expect((await fetch(`${app.url}/openapi.json`)).status).to.equal(200);
  });

  it('several services: the auth service (ES256, jwks) and a resource service that fetches its keys', async () => {
    const { workdir } = compileExamples();
    const keyDir = join(workdir, 'auth-service-keys');
    mkdirSync(keyDir, { recursive: true });
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(join(keyDir, 'es256-2026-11.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const auth = await start('auth-service', {}, keyDir);
    const token = await logIn(auth.url);
    await expectProtected(auth.url, '/me', token, ADA);
    const jwks = (await (await fetch(`${auth.url}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
    expect(jwks.keys.map((key) => key.kid)).to.deep.equal(['2026-11']);

    const resource = await start('resource-service', { AUTH_URL: auth.url });
    await expectProtected(resource.url, '/orders', token, { owner: 'ada@example.com', orders: [] });
  });
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
    writeFileSync(join(workdir, 'app.ts'), block('quickstart'));
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
    expect(JSON.parse(output.at(-1) as string)).to.deep.equal(ADA);
  });
});
