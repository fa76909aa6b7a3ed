import { join } from 'node:path';
import { expect } from 'chai';
import { calculateThumbprint } from 'dpop';
import jwt from 'jsonwebtoken';
import { type DpopClient, dpopClient } from '../helpers/dpop';
import { type Started, startServer } from '../helpers/spawn';

/** The demo's API as a DPoP client (the `dpop` library) uses it: proofs at /auth/token, /auth/refresh and /me. */
describe('the demo with DPoP (npm run demo)', () => {
  let demo: Started;
  let client: DpopClient;
  let thief: DpopClient;
  const credentials = 'username=johndoe%40e.mail&password=hunter2';
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const JOHN = { email: 'johndoe@e.mail', name: 'John Doe', scopes: ['items:read'] };

  before(async () => {
    [demo, client, thief] = await Promise.all([
      startServer(join(__dirname, '../../demo/main.js')),
      dpopClient('ES256'),
      dpopClient('ES256'),
    ]);
  });
  after(() => demo?.stop());

  type Tokens = { access_token: string; refresh_token: string; token_type: string };
  /** A login at /auth/token with `proof` as its DPoP header (one from `client` if not given). */
  const logIn = async (proof?: string) =>
    fetch(`${demo.url}/auth/token`, {
      method: 'POST',
      headers: { ...form, DPoP: proof ?? (await client.proof(`${demo.url}/auth/token`, 'POST')) },
      body: credentials,
    });
  /** `Authorization: DPoP <token>` with a proof of `by` for this method, URL and token. */
  const withProof = async (method: 'GET' | 'POST', path: string, token: string, by = client) =>
    fetch(`${demo.url}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        authorization: `DPoP ${token}`,
        DPoP: await by.proof(`${demo.url}${path}`, method, { accessToken: token }),
      },
    });

  it('issues DPoP-bound tokens at /auth/token to a request with a proof, and /me takes them with a proof only', async () => {
    const issued = await logIn();
    expect(issued.status).to.equal(200);
    const tokens = (await issued.json()) as Tokens;
    expect(tokens.token_type).to.equal('DPoP');
    const jkt = await calculateThumbprint(client.keys.publicKey);
    expect((jwt.decode(tokens.access_token) as { cnf?: unknown }).cnf).to.deep.equal({ jkt });
    const me = await withProof('GET', '/me', tokens.access_token);
    expect([me.status, await me.json()]).to.deep.equal([200, JOHN]);
    const asBearer = await fetch(`${demo.url}/me`, {
      headers: { accept: 'application/json', authorization: `Bearer ${tokens.access_token}` },
    });
    // The body says only "Invalid credentials"; the challenge says what was wrong.
    expect([asBearer.status, asBearer.headers.get('www-authenticate')]).to.deep.equal([
      401,
      'Bearer error="invalid_token", DPoP algs="ES256 EdDSA Ed25519 PS256 RS256"',
    ]);
    const otherKey = await withProof('GET', '/me', tokens.access_token, thief);
    expect(otherKey.status).to.equal(401);
    expect(otherKey.headers.get('www-authenticate')).to.match(/DPoP error="invalid_dpop_proof"/);
  });

  it('refreshes a bound login with a proof of its key, and refuses another key', async () => {
    const { refresh_token } = (await (await logIn()).json()) as Tokens;
    const stolen = await withProof('POST', '/auth/refresh', refresh_token, thief);
    expect(stolen.status).to.equal(401);
    expect(stolen.headers.get('www-authenticate')).to.match(/DPoP error="invalid_dpop_proof"/);
    const refreshed = await withProof('POST', '/auth/refresh', refresh_token);
    expect(refreshed.status).to.equal(200);
    const tokens = (await refreshed.json()) as Tokens;
    expect(tokens.token_type).to.equal('DPoP');
    expect((await withProof('GET', '/me', tokens.access_token)).status).to.equal(200);
  });

  it('refuses a login proof used twice, and offers DPoP beside Bearer to a request without a token', async () => {
    const proof = await client.proof(`${demo.url}/auth/token`, 'POST');
    expect((await logIn(proof)).status).to.equal(200);
    const replayed = await logIn(proof);
    expect(replayed.status).to.equal(401);
    expect(replayed.headers.get('www-authenticate')).to.match(/^Bearer, DPoP error="invalid_dpop_proof", algs="/);
    expect(((await replayed.json()) as { access_token?: string }).access_token).to.equal(undefined);
    const anonymous = await fetch(`${demo.url}/me`, { headers: { accept: 'application/json' } });
    expect(anonymous.status).to.equal(401);
    expect(anonymous.headers.get('www-authenticate')).to.match(/^Bearer, DPoP algs="/);
  });
});
