import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type * as Dpop from 'dpop';
import jwt from 'jsonwebtoken';
import type { Page } from 'playwright-core';
import { describeWithBrowser, type OpenBrowser, openBrowser } from '../helpers/browser';
import { type Started, startServer } from '../helpers/spawn';

/** What the page keeps on `globalThis`: panva's `dpop` module as it imported it, and its key pair. */
interface InPage {
  dpop: typeof Dpop;
  keys: Dpop.KeyPair;
}

/** An answer as the page saw it: its status, `WWW-Authenticate` and JSON body. */
interface Answer {
  status: number;
  challenge: string | null;
  body: Record<string, unknown>;
}

/** The `dpop` library's browser build, as it is on npm: an ES module on WebCrypto alone. */
const DPOP_MODULE = readFileSync(require.resolve('dpop'), 'utf8');

/** In the page: a non-extractable P-256 key pair made by WebCrypto, a proof by it, the password grant with it. */
async function logIn(origin: string): Promise<Answer & { extractable: boolean[]; exported: string; jkt: string }> {
  const page = globalThis as unknown as InPage;
  page.keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const { privateKey, publicKey } = page.keys;
  const exported = await crypto.subtle.exportKey('jwk', privateKey).then(
    () => 'exported',
    (error: Error) => error.name,
  );
  const response = await fetch('/auth/token', {
    method: 'POST',
    headers: { DPoP: await page.dpop.generateProof(page.keys, `${origin}/auth/token`, 'POST') },
    body: new URLSearchParams({ username: 'johndoe@e.mail', password: 'hunter2' }),
  });
  return {
    status: response.status,
    challenge: response.headers.get('www-authenticate'),
    body: (await response.json()) as Record<string, unknown>,
    extractable: [privateKey.extractable, publicKey.extractable],
    exported,
    jkt: await page.dpop.calculateThumbprint(publicKey),
  };
}

/**
 * In the page: `method path` with `Authorization: <scheme> <token>` and, unless `proof` is `null`,
 * a `DPoP` proof (a fresh one for this request and token, or the one given); answers with the proof sent.
 */
async function call(args: {
  origin: string;
  method: string;
  path: string;
  scheme: string;
  token: string;
  proof?: string | null;
}): Promise<Answer & { proof?: string }> {
  const { dpop, keys } = globalThis as unknown as InPage;
  const { origin, method, path, scheme, token } = args;
  const fresh = () => dpop.generateProof(keys, origin + path, method, undefined, token);
  const proof = args.proof === null ? undefined : (args.proof ?? (await fresh()));
  const headers: Record<string, string> = { Authorization: `${scheme} ${token}`, ...(proof ? { DPoP: proof } : {}) };
  const response = await fetch(path, { method, headers });
  const body = (await response.json()) as Record<string, unknown>;
  return { status: response.status, challenge: response.headers.get('www-authenticate'), body, proof };
}

const cnfOf = (token: unknown) => (jwt.decode(token as string) as { cnf?: { jkt?: string } }).cnf;

/**
 * The demo in Chromium as a DPoP client (RFC 9449): the page makes its key pair with WebCrypto,
 * non-extractable, so no script of the page (an XSS included) can read its private half, and builds
 * every proof with panva's `dpop` library running in the page, served to it as a module.
 */
describeWithBrowser("the demo's DPoP login in Chromium, with a non-extractable WebCrypto key", function () {
  this.timeout(60_000);
  let demo: Started;
  let browser: OpenBrowser;
  let page: Page;

  before(async () => {
    demo = await startServer(join(__dirname, '../../demo/main.js'));
    browser = await openBrowser();
    ({ page } = browser);
    await page.route(`${demo.url}/spec/dpop.js`, (route) =>
      route.fulfill({ status: 200, contentType: 'text/javascript', body: DPOP_MODULE }),
    );
    await page.goto(`${demo.url}/login`); // the demo's origin: a secure context (localhost), same-origin calls
    await page.evaluate("import('/spec/dpop.js').then((dpop) => { globalThis.dpop = dpop; })");
  });
  after(async () => {
    await browser?.close();
    await demo?.stop();
  });

  it('logs in with a proof and gets DPoP tokens bound to the key, which the page cannot export', async () => {
    const login = await page.evaluate(logIn, demo.url);
    expect(login.extractable, '[privateKey, publicKey].extractable').to.deep.equal([false, true]);
    expect(login.exported).to.equal('InvalidAccessError');
    expect(login.status, JSON.stringify(login.body)).to.equal(200);
    expect(login.body.token_type).to.equal('DPoP');
    expect(cnfOf(login.body.access_token)).to.deep.equal({ jkt: login.jkt });
    expect(cnfOf(login.body.refresh_token)).to.deep.equal({ jkt: login.jkt });

    const token = login.body.access_token as string;
    const ask = (scheme: string, proof?: string | null) =>
      page.evaluate(call, { origin: demo.url, method: 'GET', path: '/me', scheme, token, proof });
    const me = await ask('DPoP');
    expect(me.status, JSON.stringify(me.body)).to.equal(200);
    expect(me.body).to.include({ email: 'johndoe@e.mail' });
    expect(me.body).not.to.have.property('password');

    const asBearer = await ask('Bearer', null);
    expect(asBearer.status).to.equal(401);
    expect(asBearer.challenge).to.match(/DPoP algs="/);
    const replayed = await ask('DPoP', me.proof);
    expect(replayed.status).to.equal(401);
    expect(replayed.challenge).to.match(/DPoP error="invalid_dpop_proof"/);
    expect((await ask('DPoP')).status, 'a fresh proof after the refusals').to.equal(200);
  });

  it('refreshes with a proof by the same key: the new tokens stay bound to it', async () => {
    const login = await page.evaluate(logIn, demo.url);
    const refresh = { origin: demo.url, method: 'POST', path: '/auth/refresh', scheme: 'DPoP' };
    const refreshed = await page.evaluate(call, { ...refresh, token: login.body.refresh_token as string });
    expect(refreshed.status, JSON.stringify(refreshed.body)).to.equal(200);
    expect(refreshed.body.token_type).to.equal('DPoP');
    expect(cnfOf(refreshed.body.access_token)).to.deep.equal({ jkt: login.jkt });
    const token = refreshed.body.access_token as string;
    const me = await page.evaluate(call, { origin: demo.url, method: 'GET', path: '/me', scheme: 'DPoP', token });
    expect(me.status).to.equal(200);
  });
});
