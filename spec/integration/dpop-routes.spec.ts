import { expect } from 'chai';
import { calculateThumbprint } from 'dpop';
import { importPKCS8, SignJWT } from 'jose';
import { Get, JsonController, Post } from 'routing-controllers';
import {
  HmacNonces,
  LoggedIn,
  type LoginErrorCode,
  LoginManager,
  type LoginOptions,
  MemoryRevocationStore,
  type RevocationStore,
  User,
} from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { frozenClock } from '../helpers/clock';
import { alteredProof, type DpopClient, dpopClient, forgeProof, listening, signAs } from '../helpers/dpop';
import { onEveryServer, type Server } from '../helpers/drivers';
import { HS256_SECRET, keyPair } from '../helpers/keys';

type Who = { sub: string };
const ISSUER = 'https://idp.example.com';
const AUDIENCE = 'orders';
const idp = keyPair('p256');
const ALGS = 'algs="ES256 EdDSA Ed25519 PS256 RS256"';
/** The services' clock where a spec moves time; tokens are issued by it, so none is ever from the future. */
const clock = frozenClock(Date.now());

@Service()
@JsonController('/d')
class DpopController {
  @LoggedIn()
  @Get('/me')
  me(@User() user: Who) {
    return user;
  }

  @LoggedIn()
  @Post('/orders')
  order(@User() user: Who) {
    return { ordered: user.sub };
  }

  @LoggedIn({ scopes: ['admin'] })
  @Get('/admin')
  admin() {
    return { admin: true };
  }
}

/** An access token of the identity provider, bound to `jkt` (RFC 9449 §6) unless it is `undefined`. */
async function accessToken(jkt: string | undefined, claims: Record<string, unknown> = {}): Promise<string> {
  const iat = (claims.iat as number | undefined) ?? Math.floor(clock.ms / 1000);
  return new SignJWT({ sub: 'ada', ...(jkt === undefined ? {} : { cnf: { jkt } }), ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: 'idp-1' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + 600)
    .sign(await importPKCS8(idp.privatePem, 'ES256'));
}

/** A verify-only service that trusts the identity provider's key, DPoP as `dpop` says. */
function serviceWith(options: Partial<LoginOptions<Who>>, codes: LoginErrorCode[]) {
  return new LoginManager<Who>({
    keys: [{ kid: 'idp-1', algorithm: 'ES256', publicKey: idp.publicPem }],
    issuer: ISSUER,
    audience: AUDIENCE,
    tokenUrl: 'https://idp.example.com/token',
    userLoader: (sub) => ({ sub }),
    onAuthFailure: (code) => void codes.push(code),
    ...options,
  } as LoginOptions<Who>) as LoginManager<unknown>;
}

onEveryServer('DPoP on routes (RFC 9449 §7): proofs from the dpop library', (server: Server) => {
  const codes: LoginErrorCode[] = [];
  let client: DpopClient;
  let thief: DpopClient;
  let jkt: string;
  let origin: string;
  let close: () => Promise<void>;
  before(async () => {
    client = await dpopClient('ES256');
    thief = await dpopClient('ES256');
    jkt = await calculateThumbprint(client.keys.publicKey);
    const manager = serviceWith({ dpop: 'allowed', clock: clock.now }, codes);
    ({ origin, close } = await listening(server.app(manager, { controllers: [DpopController] })));
  });
  after(() => close());
  beforeEach(() => {
    codes.splice(0);
    clock.ms = Date.now();
  });

  /** `GET /d/me` with `Authorization: DPoP <token>` and `proof` (none when `undefined`). */
  const me = (token: string, proof: string | undefined, path = '/d/me') => {
    const call = request(origin).get(path).set('Authorization', `DPoP ${token}`);
    return proof === undefined ? call : call.set('DPoP', proof);
  };
  const refused = async (response: request.Response, code: LoginErrorCode, challenge: string) => {
    expect(response.status, JSON.stringify(response.body)).to.equal(401);
    expect(codes.at(-1)).to.equal(code);
    expect(response.headers['www-authenticate']).to.equal(challenge);
  };
  const invalidProof = `Bearer, DPoP error="invalid_dpop_proof", ${ALGS}`;

  it('takes a bound token with a proof by its key, made for this request and this token', async () => {
    const token = await accessToken(jkt);
    const response = await me(token, await client.proof(`${origin}/d/me`, 'GET', { accessToken: token }));
    expect(response.status, JSON.stringify(response.body)).to.equal(200);
    expect(response.body).to.deep.equal({ sub: 'ada' });
    const post = await request(origin)
      .post('/d/orders')
      .set('Authorization', `DPoP ${token}`)
      .set('DPoP', await client.proof(`${origin}/d/orders`, 'POST', { accessToken: token }));
    expect(post.status).to.equal(200);
    expect(codes).to.deep.equal([]);
  });

  it('refuses a proof for another method (htm)', async () => {
    const token = await accessToken(jkt);
    const proof = await client.proof(`${origin}/d/me`, 'POST', { accessToken: token });
    await refused(await me(token, proof), 'dpop_proof_invalid', invalidProof);
  });

  it('refuses a proof for another URL (htu): another path, host, scheme or port', async () => {
    const token = await accessToken(jkt);
    const { port } = new URL(origin);
    for (const htu of [
      `${origin}/d/orders`,
      `http://localhost:${port}/d/me`,
      `https://127.0.0.1:${port}/d/me`,
      `http://127.0.0.1:${Number(port) + 1}/d/me`,
    ]) {
      await refused(
        await me(token, await client.proof(htu, 'GET', { accessToken: token })),
        'dpop_proof_invalid',
        invalidProof,
      );
    }
    // The query is not part of htu.
    const proof = await client.proof(`${origin}/d/me`, 'GET', { accessToken: token });
    expect((await me(token, proof, '/d/me?page=2')).status).to.equal(200);
  });

  it('refuses a proof used before (jti), also for the next request to the same URL', async () => {
    const token = await accessToken(jkt);
    const proof = await client.proof(`${origin}/d/me`, 'GET', { accessToken: token });
    expect((await me(token, proof)).status).to.equal(200);
    await refused(await me(token, proof), 'dpop_proof_invalid', invalidProof);
  });

  it('refuses a proof made too long ago (iat older than maxAge plus clockTolerance), or too far ahead', async () => {
    const token = await accessToken(jkt);
    const proof = await client.proof(`${origin}/d/me`, 'GET', { accessToken: token });
    clock.advance(61_000);
    await refused(await me(token, proof), 'dpop_proof_invalid', invalidProof);
    clock.ms = Date.now() - 61_000;
    const earlier = await accessToken(jkt, { iat: Math.floor(clock.ms / 1000) });
    const ahead = await client.proof(`${origin}/d/me`, 'GET', { accessToken: earlier });
    await refused(await me(earlier, ahead), 'dpop_proof_invalid', invalidProof);
  });

  it('refuses a proof made for another access token (ath), or without ath', async () => {
    const token = await accessToken(jkt);
    const other = await accessToken(jkt, { scope: 'other' });
    await refused(
      await me(token, await client.proof(`${origin}/d/me`, 'GET', { accessToken: other })),
      'dpop_proof_invalid',
      invalidProof,
    );
    await refused(await me(token, await client.proof(`${origin}/d/me`, 'GET')), 'dpop_proof_invalid', invalidProof);
  });

  it("refuses a proof by another key than the token's cnf.jkt: a thief's own key", async () => {
    const token = await accessToken(jkt);
    const proof = await thief.proof(`${origin}/d/me`, 'GET', { accessToken: token });
    await refused(await me(token, proof), 'dpop_proof_invalid', invalidProof);
  });

  it("refuses a proof whose jwk is the token's key but which another key signed", async () => {
    const token = await accessToken(jkt);
    const proof = await client.proof(`${origin}/d/me`, 'GET', { accessToken: token });
    // The thief signs a proof naming the client's public key: the signature does not verify with it.
    const signedByThief = alteredProof(thief, proof, () => {});
    await refused(await me(token, signedByThief), 'dpop_proof_invalid', invalidProof);
  });

  it('refuses a bound token sent as a bearer token, with or without a proof', async () => {
    const token = await accessToken(jkt);
    const proof = await client.proof(`${origin}/d/me`, 'GET', { accessToken: token });
    const asBearer = await request(origin).get('/d/me').set('Authorization', `Bearer ${token}`).set('DPoP', proof);
    await refused(asBearer, 'dpop_required', `Bearer error="invalid_token", DPoP ${ALGS}`);
  });

  it('refuses a token bound to nothing sent as DPoP, and a cnf without a well-formed jkt', async () => {
    const token = await accessToken(undefined);
    const proof = await client.proof(`${origin}/d/me`, 'GET', { accessToken: token });
    await refused(await me(token, proof), 'dpop_not_bound', `Bearer, DPoP error="invalid_token", ${ALGS}`);
    const odd = await accessToken(undefined, { cnf: { 'x5t#S256': 'abc' } });
    await refused(
      await me(odd, await client.proof(`${origin}/d/me`, 'GET', { accessToken: odd })),
      'claim_invalid',
      `Bearer, DPoP error="invalid_token", ${ALGS}`,
    );
  });

  it('refuses a symmetric (HS256) or none proof, and one whose jwk holds the private key', async () => {
    const token = await accessToken(jkt);
    const claims = { jti: 'j-1', htm: 'GET', htu: `${origin}/d/me`, iat: Math.floor(clock.ms / 1000) };
    const secret = Buffer.alloc(32, 9);
    const hs = forgeProof(
      { typ: 'dpop+jwt', alg: 'HS256', jwk: { kty: 'oct', k: secret.toString('base64url') } },
      claims,
      signAs('HS256', secret),
    );
    await refused(await me(token, hs), 'dpop_proof_invalid', invalidProof);
    const real = await client.proof(`${origin}/d/me`, 'GET', { accessToken: token });
    const none = alteredProof(client, real, ({ header }) => {
      header.alg = 'none';
    });
    await refused(await me(token, none), 'dpop_proof_invalid', invalidProof);
    const withPrivate = alteredProof(client, real, ({ header }) => {
      header.jwk = client.privateKey.export({ format: 'jwk' });
    });
    await refused(await me(token, withPrivate), 'dpop_proof_invalid', invalidProof);
  });

  it('refuses a jwk with the private primes of an RSA key even without d, and a proof alg not configured', async () => {
    const rsa = await dpopClient('RS256');
    const token = await accessToken(await calculateThumbprint(rsa.keys.publicKey));
    const proof = await rsa.proof(`${origin}/d/me`, 'GET', { accessToken: token });
    const { d: _d, ...primes } = rsa.privateKey.export({ format: 'jwk' });
    const withPrimes = alteredProof(rsa, proof, ({ header }) => {
      header.jwk = primes;
    });
    await refused(await me(token, withPrimes), 'dpop_proof_invalid', invalidProof);
    // RS256 is one of the default algorithms, but not of a service that takes ES256 only.
    expect((await me(token, await rsa.proof(`${origin}/d/me`, 'GET', { accessToken: token }))).status).to.equal(200);
    const es256Only = await listening(
      server.app(serviceWith({ dpop: { algorithms: ['ES256'] } }, codes), { controllers: [DpopController] }),
    );
    try {
      const htu = `${es256Only.origin}/d/me`;
      const response = await request(es256Only.origin)
        .get('/d/me')
        .set('Authorization', `DPoP ${token}`)
        .set('DPoP', await rsa.proof(htu, 'GET', { accessToken: token }));
      await refused(response, 'dpop_proof_invalid', 'Bearer, DPoP error="invalid_dpop_proof", algs="ES256"');
    } finally {
      await es256Only.close();
    }
  });

  it('refuses a DPoP token without a proof, or with two DPoP headers', async () => {
    const token = await accessToken(jkt);
    await refused(await me(token, undefined), 'dpop_proof_invalid', invalidProof);
    const proof = await client.proof(`${origin}/d/me`, 'GET', { accessToken: token });
    const twice = await request(origin)
      .get('/d/me')
      .set('Authorization', `DPoP ${token}`)
      .set('DPoP', [proof, await client.proof(`${origin}/d/me`, 'GET', { accessToken: token })] as unknown as string);
    await refused(twice, 'dpop_proof_invalid', invalidProof);
  });

  it('answers a request without a token 401 (never 400), offering both schemes', async () => {
    await refused(await request(origin).get('/d/me'), 'token_missing', `Bearer, DPoP ${ALGS}`);
    await refused(await request(origin).get('/d/me').set('DPoP', 'x.y.z'), 'token_missing', `Bearer, DPoP ${ALGS}`);
  });

  it('keeps bearer tokens working beside DPoP ones', async () => {
    const response = await request(origin)
      .get('/d/me')
      .set('Authorization', `Bearer ${await accessToken(undefined)}`);
    expect(response.status).to.equal(200);
  });

  it('answers a missing scope 403 with the error on the DPoP challenge', async () => {
    const token = await accessToken(jkt);
    const proof = await client.proof(`${origin}/d/admin`, 'GET', { accessToken: token });
    const response = await me(token, proof, '/d/admin');
    expect(response.status).to.equal(403);
    expect(response.headers['www-authenticate']).to.equal(
      `Bearer, DPoP error="insufficient_scope", scope="admin", ${ALGS}`,
    );
  });
});

onEveryServer('DPoP required, off, with nonces, and a failing replay store', (server: Server) => {
  const codes: LoginErrorCode[] = [];
  let client: DpopClient;
  let jkt: string;
  const servers: Array<() => Promise<void>> = [];
  const serve = async (options: Partial<LoginOptions<Who>>) => {
    const { origin, close } = await listening(
      server.app(serviceWith(options, codes), { controllers: [DpopController] }),
    );
    servers.push(close);
    return origin;
  };
  before(async () => {
    client = await dpopClient('ES256');
    jkt = await calculateThumbprint(client.keys.publicKey);
  });
  after(() => Promise.all(servers.map((close) => close())));
  beforeEach(() => {
    codes.splice(0);
    clock.ms = Date.now();
  });

  it("dpop: 'required' refuses bearer tokens, and offers only DPoP", async () => {
    const origin = await serve({ dpop: 'required' });
    const bearer = await request(origin)
      .get('/d/me')
      .set('Authorization', `Bearer ${await accessToken(undefined)}`);
    expect(bearer.status).to.equal(401);
    expect(bearer.body.code).to.equal('dpop_required');
    expect(bearer.headers['www-authenticate']).to.equal(`DPoP error="invalid_token", ${ALGS}`);
    const none = await request(origin).get('/d/me');
    expect([none.status, none.headers['www-authenticate']]).to.deep.equal([401, `DPoP ${ALGS}`]);
    const token = await accessToken(jkt);
    const bound = await request(origin)
      .get('/d/me')
      .set('Authorization', `DPoP ${token}`)
      .set('DPoP', await client.proof(`${origin}/d/me`, 'GET', { accessToken: token }));
    expect(bound.status).to.equal(200);
  });

  it('DPoP off: a bound token is refused as a bearer token, and Authorization: DPoP is no token', async () => {
    const origin = await serve({});
    const token = await accessToken(jkt);
    const bearer = await request(origin).get('/d/me').set('Authorization', `Bearer ${token}`);
    expect([bearer.status, bearer.body.code, bearer.headers['www-authenticate']]).to.deep.equal([
      401,
      'dpop_required',
      'Bearer error="invalid_token"',
    ]);
    const asDpop = await request(origin)
      .get('/d/me')
      .set('Authorization', `DPoP ${token}`)
      .set('DPoP', await client.proof(`${origin}/d/me`, 'GET', { accessToken: token }));
    expect([asDpop.status, asDpop.body.code, asDpop.headers['www-authenticate']]).to.deep.equal([
      401,
      undefined,
      'Bearer',
    ]);
    expect(codes).to.deep.equal(['dpop_required', 'token_missing']);
  });

  it('with nonces: a proof without the current nonce gets 401 use_dpop_nonce and DPoP-Nonce; with it, 200', async () => {
    const nonces = new HmacNonces({ secret: 'n'.repeat(16) + 'o'.repeat(16), lifetime: 10 });
    const origin = await serve({ dpop: { nonces }, clock: clock.now });
    const token = await accessToken(jkt);
    const first = await request(origin)
      .get('/d/me')
      .set('Authorization', `DPoP ${token}`)
      .set('DPoP', await client.proof(`${origin}/d/me`, 'GET', { accessToken: token }));
    expect(first.status).to.equal(401);
    expect(first.body.code).to.equal('dpop_nonce_required');
    expect(first.headers['www-authenticate']).to.equal(`Bearer, DPoP error="use_dpop_nonce", ${ALGS}`);
    const nonce = first.headers['dpop-nonce'] as string;
    expect(nonce).to.equal(nonces.current(clock.ms));
    const again = await request(origin)
      .get('/d/me')
      .set('Authorization', `DPoP ${token}`)
      .set('DPoP', await client.proof(`${origin}/d/me`, 'GET', { accessToken: token, nonce }));
    expect(again.status, JSON.stringify([again.body, codes])).to.equal(200);
    expect(again.headers['dpop-nonce']).to.equal(undefined);
    // The nonce rotates: the old one is still taken for a while, and the answer hands out the new one.
    clock.advance(10_000);
    const rotated = await request(origin)
      .get('/d/me')
      .set('Authorization', `DPoP ${token}`)
      .set('DPoP', await client.proof(`${origin}/d/me`, 'GET', { accessToken: token, nonce }));
    expect(rotated.status).to.equal(200);
    expect(rotated.headers['dpop-nonce']).to.equal(nonces.current(clock.ms)).and.not.equal(nonce);
  });

  it('fails closed with 503 when the store cannot say whether a proof was used', async () => {
    server.expectServerErrors();
    const store = new MemoryRevocationStore();
    // Every method of a working store but DPoP's, which cannot answer.
    const failing: RevocationStore = Object.assign(Object.create(store) as RevocationStore, {
      firstUse: () => Promise.reject(new Error('connection lost')),
    });
    const origin = await serve({
      dpop: 'allowed',
      revocationStore: failing,
      rotateRefreshTokens: false,
      logger: quiet,
    });
    const token = await accessToken(jkt);
    const response = await request(origin)
      .get('/d/me')
      .set('Authorization', `DPoP ${token}`)
      .set('DPoP', await client.proof(`${origin}/d/me`, 'GET', { accessToken: token }));
    expect(response.status).to.equal(503);
    expect(response.body.code).to.equal('store_unavailable');
  });
});

const quiet = { error() {}, warn() {} };

describe('DPoP options', () => {
  const base: LoginOptions = {
    keys: [{ kid: 'idp-1', algorithm: 'ES256', publicKey: idp.publicPem }],
    issuer: ISSUER,
    audience: AUDIENCE,
    tokenUrl: '/t',
  };
  it('refuses a bad dpop option, DPoP without the header, required DPoP with cookies, a store without firstUse', () => {
    const refused = (options: Record<string, unknown>, message: RegExp) =>
      expect(() => new LoginManager({ ...base, ...options } as LoginOptions), JSON.stringify(options)).to.throw(
        message,
      );
    refused({ dpop: 'on' }, /`dpop` is 'allowed', 'required' or an object/);
    refused({ dpop: { replay: {} } }, /`dpop`: unknown field\(s\) replay; the fields are required, algorithms/);
    refused({ dpop: { leeway: 5 } }, /unknown field\(s\) leeway.*the leeway is clockTolerance/);
    refused({ dpop: { required: 'yes' } }, /`dpop.required` is true or false/);
    refused({ dpop: { algorithms: ['HS256'] } }, /`dpop\.algorithms` lists proof algorithms/);
    refused({ dpop: { maxAge: 0 } }, /`dpop\.maxAge`/);
    // A verify-only manager with cookies signs its CSRF values with `csrfSecret`.
    const cookies = { useCookie: true, csrfSecret: HS256_SECRET };
    refused({ dpop: 'allowed', useHeader: false, ...cookies }, /`dpop` needs `useHeader`/);
    refused({ dpop: 'required', ...cookies }, /`dpop: 'required'` with `useCookie`/);
    // Every method of a store but firstUse.
    const store = Object.assign(Object.create(new MemoryRevocationStore()), { firstUse: undefined });
    refused(
      { dpop: 'allowed', revocationStore: store, rotateRefreshTokens: false },
      /`revocationStore` has no firstUse method/,
    );
  });
});
