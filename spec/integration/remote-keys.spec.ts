import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { type KeyConfig, LoginManager } from 'routing-controllers-login';
import request from 'supertest';
import { frozenClock } from '../helpers/clock';
import { type KeyServer, startKeyServer } from '../helpers/key-server';
import { forge, keyPair, rs256 } from '../helpers/keys';
import { koaAppWith } from '../helpers/koa';
import { RemoteController, recordingLogger, verifierApp } from '../helpers/verifier';

const rsa = keyPair('rsa');
const rsa2 = keyPair('rsa2');
const key1: KeyConfig = { kid: 'k1', algorithm: 'RS256', privateKey: rsa.privatePem };
const key2: KeyConfig = { kid: 'k2', algorithm: 'RS256', privateKey: rsa2.privatePem };
const SECOND = 1000;
/** Whom the tokens are for: the verifiers check it, as a verify-only manager must. */
const AUDIENCE = 'orders';

describe('remote keys: a JWK Set fetched from a URL', () => {
  let server: KeyServer;
  let clock: ReturnType<typeof frozenClock>;
  let issuer: LoginManager;
  const closers: Array<() => Promise<void>> = [];

  /** A verifier of `server`'s JWK Set, on the shared frozen clock. */
  async function verifier(options: Record<string, unknown> = {}) {
    const app = await verifierApp({ jwksUri: server.jwksUri, audience: AUDIENCE, clock: clock.now, ...options });
    closers.push(app.close);
    return app;
  }
  const issuerWith = (...keys: KeyConfig[]) =>
    new LoginManager({ keys, audience: AUDIENCE, tokenUrl: '/t', clock: clock.now });
  const tokenOf = (manager: LoginManager, sub = 'ann') => manager.createAccessToken({ data: { sub } });
  /** No key is found for these, so the signature is never checked: skip the cost of making one. */
  const unsignedWithKid = (kid: string) =>
    forge(
      { alg: 'RS256', kid },
      { sub: 'ann', aud: AUDIENCE, exp: Math.floor(clock.ms / SECOND) + 60 },
      () => 'c2lnbmF0dXJl',
    );
  /** A token naming an unknown kid waits for the refresh under way (or is refused at once in the cooldown). */
  const settle = (get: (token: string) => PromiseLike<unknown>) => get(withKid(`settle-${randomUUID()}`));
  const withKid = (kid: string) =>
    forge(
      { alg: 'RS256', kid },
      { sub: 'ann', aud: AUDIENCE, exp: Math.floor(clock.ms / SECOND) + 60 },
      rs256(rsa.privateKey),
    );

  beforeEach(async () => {
    clock = frozenClock();
    issuer = issuerWith(key1);
    server = await startKeyServer(issuer.jwks());
    closers.push(() => server.close());
  });
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  it('fetches on first use, then answers from the cache', async () => {
    const { get } = await verifier();
    expect(server.count('/jwks.json')).to.equal(0);
    for (let i = 0; i < 5; i += 1) await get(tokenOf(issuer)).expect(200, { sub: 'ann' });
    expect(server.count('/jwks.json')).to.equal(1);
  });

  it('keeps the set for its Cache-Control max-age, within the configured bounds', async () => {
    server.headers['/jwks.json'] = { 'cache-control': 'public, max-age=300' };
    const { get } = await verifier();
    await get(tokenOf(issuer)).expect(200);
    clock.advance(299 * SECOND);
    await get(tokenOf(issuer)).expect(200);
    expect(server.count('/jwks.json')).to.equal(1);
    clock.advance(SECOND);
    // Expired: this request is answered from the known keys while the refresh runs.
    await get(tokenOf(issuer)).expect(200);
    await settle(get);
    expect(server.count('/jwks.json')).to.equal(2);
  });

  it('raises a short max-age to minCacheAge and caps a long one at maxCacheAge', async () => {
    server.headers['/jwks.json'] = { 'cache-control': 'no-cache' };
    const short = await verifier({ remoteKeys: { minCacheAge: '2m', maxCacheAge: '10m' } });
    await short.get(tokenOf(issuer)).expect(200);
    clock.advance(119 * SECOND);
    await short.get(tokenOf(issuer)).expect(200);
    expect(server.count('/jwks.json')).to.equal(1);
    clock.advance(SECOND);
    await short.get(tokenOf(issuer)).expect(200);
    await settle(short.get);
    expect(server.count('/jwks.json')).to.equal(2);

    server.headers['/jwks.json'] = { 'cache-control': 'max-age=86400' };
    const long = await verifier({ remoteKeys: { maxCacheAge: '10m' } });
    await long.get(tokenOf(issuer)).expect(200);
    clock.advance(10 * 60 * SECOND);
    await long.get(tokenOf(issuer)).expect(200);
    await settle(long.get);
    expect(server.count('/jwks.json')).to.equal(4);
  });

  it('picks up a rotation on the first token with the new kid', async () => {
    const { get, codes } = await verifier();
    await get(tokenOf(issuer)).expect(200);
    clock.advance(30 * SECOND); // the cooldown since the first fetch
    const rotated = issuerWith(key2, { ...key1, privateKey: undefined, publicKey: rsa.publicPem });
    server.routes['/jwks.json'] = rotated.jwks();
    await get(tokenOf(rotated, 'bob')).expect(200, { sub: 'bob' });
    await get(tokenOf(issuer)).expect(200, { sub: 'ann' });
    expect(server.count('/jwks.json')).to.equal(2);
    expect(codes).to.deep.equal([]);
  });

  it('lets concurrent tokens with the new kid share the one fetch, and accepts them all', async () => {
    const { get } = await verifier();
    await get(tokenOf(issuer)).expect(200);
    clock.advance(30 * SECOND);
    const rotated = issuerWith(key2);
    server.routes['/jwks.json'] = rotated.jwks();
    const tokens = Array.from({ length: 50 }, (_, i) => tokenOf(rotated, `user${i}`));
    const responses = await Promise.all(tokens.map((token) => get(token)));
    expect(responses.map(({ status }) => status)).to.deep.equal(Array(50).fill(200));
    expect(server.count('/jwks.json')).to.equal(2);
  });

  it('fetches at most once per cooldown for 1 000 tokens with random unknown kids, sharing one fetch', async () => {
    const { get, codes, manager } = await verifier();
    await get(tokenOf(issuer)).expect(200);
    const refusals = new Map<string, number>();
    /** `count` tokens with random kids at once, through getCurrentUser (the path requests take, without HTTP). */
    const storm = async (count: number) => {
      const tokens = Array.from({ length: count }, () => unsignedWithKid(randomUUID()));
      const results = await Promise.allSettled(tokens.map((token) => manager.getCurrentUser(token)));
      for (const result of results) {
        const code = result.status === 'rejected' ? String(result.reason.code) : 'accepted';
        refusals.set(code, (refusals.get(code) ?? 0) + 1);
      }
    };
    await storm(1000); // within the cooldown of the first fetch: no fetch at all
    expect(server.count('/jwks.json')).to.equal(1);
    clock.advance(30 * SECOND);
    await storm(1000); // one fetch, shared by every miss that arrives while it runs
    expect(server.count('/jwks.json')).to.equal(2);
    clock.advance(29 * SECOND);
    await storm(1000);
    expect(server.count('/jwks.json')).to.equal(2);
    clock.advance(SECOND);
    await storm(1000);
    expect(server.count('/jwks.json')).to.equal(3);
    expect([...refusals]).to.deep.equal([['signature_invalid', 4000]]);
    // The same through HTTP: 100 requests at once after the cooldown, one fetch.
    clock.advance(30 * SECOND);
    const responses = await Promise.all(Array.from({ length: 100 }, () => get(unsignedWithKid(randomUUID()))));
    expect(responses.map(({ status }) => status)).to.deep.equal(Array(100).fill(401));
    expect(server.count('/jwks.json')).to.equal(4);
    expect(new Set(codes)).to.deep.equal(new Set(['signature_invalid']));
  });

  it('keeps known keys working while the server is down, refuses unknown kids, logs the outage once', async () => {
    server.headers['/jwks.json'] = { 'cache-control': 'max-age=60' };
    const { get, codes, logger } = await verifier();
    await get(tokenOf(issuer)).expect(200);
    server.mode = 'down';
    for (let minute = 0; minute < 3; minute += 1) {
      clock.advance(60 * SECOND);
      await get(tokenOf(issuer)).expect(200); // the set expired: a refresh starts, and fails
      await get(withKid('unknown')).expect(401); // waits for that refresh, then is refused
    }
    expect(server.count('/jwks.json')).to.equal(4);
    expect(codes).to.deep.equal(['signature_invalid', 'signature_invalid', 'signature_invalid']);
    expect(logger.errors).to.have.length(1);
    expect(logger.errors[0]).to.match(/key source http:\/\/127\.0\.0\.1:\d+\/jwks\.json unavailable; the keys/);
    server.mode = 'ok';
    clock.advance(60 * SECOND);
    await get(tokenOf(issuer)).expect(200);
    await settle(get);
    expect(logger.warnings).to.have.length(1);
    expect(logger.warnings[0]).to.match(/available again/);
  });

  it('answers 503 key_source_unavailable with no key at all, without fetching more than once per cooldown, then recovers', async () => {
    server.mode = 'down';
    const { get, logger } = await verifier();
    for (let i = 0; i < 5; i += 1) {
      const response = await get(tokenOf(issuer)).expect(503);
      expect(response.body).to.deep.equal({
        name: 'KeySourceUnavailableError',
        message: 'Login service unavailable',
        code: 'key_source_unavailable',
      });
    }
    expect(server.count('/jwks.json')).to.equal(1);
    expect(logger.errors).to.have.length(1);
    expect(logger.errors[0]).to.match(/refused with 503 until it is back/);
    server.mode = 'ok';
    await get(tokenOf(issuer)).expect(503); // still within the cooldown
    clock.advance(30 * SECOND);
    await get(tokenOf(issuer)).expect(200, { sub: 'ann' });
    expect(logger.warnings).to.have.length(1);
  });

  it('answers the same under Koa: 503 while no key is known, 200 once the set can be fetched', async () => {
    server.mode = 'down';
    const manager = new LoginManager<{ sub: string }>({
      jwksUri: server.jwksUri,
      audience: AUDIENCE,
      clock: clock.now,
      tokenUrl: '/t',
      userLoader: (sub) => ({ sub }),
      logger: recordingLogger(),
    });
    const app = koaAppWith(manager as LoginManager<unknown>, { controllers: [RemoteController] });
    const get = () =>
      request(app.callback())
        .get('/remote/me')
        .set('Authorization', `Bearer ${tokenOf(issuer)}`);
    const refused = await get().expect(503);
    expect(refused.body).to.include({ code: 'key_source_unavailable' });
    server.mode = 'ok';
    clock.advance(30 * SECOND);
    await get().expect(200, { sub: 'ann' });
  });

  it('bounds the wait on a server that never answers by the fetch time limit', async () => {
    server.mode = 'hang';
    const { get } = await verifier({ remoteKeys: { timeout: 200 } });
    const started = Date.now();
    await get(tokenOf(issuer)).expect(503);
    // The server would hold the request forever; the fetch's time limit ends it.
    expect(Date.now() - started).to.be.below(5000);
  });

  it('does not make requests wait for a slow refresh when their key is known', async () => {
    server.headers['/jwks.json'] = { 'cache-control': 'max-age=60' };
    const { get } = await verifier({ remoteKeys: { timeout: 60_000 } });
    await get(tokenOf(issuer)).expect(200);
    server.mode = 'hang';
    clock.advance(60 * SECOND);
    // The refresh hangs for a minute (longer than this test may run); known keys do not wait for it.
    await get(tokenOf(issuer)).expect(200);
    await get(tokenOf(issuer)).expect(200);
  });

  const refusedBodies: Array<[string, unknown, Record<string, string>?]> = [
    ['an oversized set (Content-Length)', { keys: [], padding: 'x'.repeat(300_000) }],
    ['an oversized set (chunked)', { keys: [], padding: 'x'.repeat(300_000) }, { 'transfer-encoding': 'chunked' }],
    ['a body that is not JSON', '{"keys": ['],
    ['JSON that is not a JWK Set', { keys: 'k1' }],
    ['a set without a usable key', { keys: [{ kty: 'oct', k: 'c2VjcmV0', kid: 'k1' }] }],
  ];
  for (const [name, body, headers] of refusedBodies) {
    it(`refuses ${name} without a crash: 503, logged`, async () => {
      server.routes['/jwks.json'] = body;
      if (headers) server.headers['/jwks.json'] = headers;
      const { get, logger } = await verifier();
      await get(tokenOf(issuer)).expect(503);
      expect(logger.errors).to.have.length(1);
    });
  }

  it('says in the log why a set has no usable key', async () => {
    server.routes['/jwks.json'] = issuerWith({
      kid: 'e',
      algorithm: 'ES256',
      privateKey: keyPair('p256').privatePem,
    }).jwks();
    const { get, logger } = await verifier();
    await get(tokenOf(issuer)).expect(503);
    expect(logger.errors[0]).to.match(/none of its 1 keys can verify RS256 signatures \(set `algorithms`/);
  });

  it('starts the refresh of an expired set when its version is read (as a verified-token cache does on a hit)', async () => {
    server.headers['/jwks.json'] = { 'cache-control': 'max-age=60' };
    const { get, manager } = await verifier();
    const version = () =>
      (manager as unknown as { auth: { verifier: { keys: { version: number } } } }).auth.verifier.keys.version;
    await get(tokenOf(issuer)).expect(200);
    const before = version();
    server.routes['/jwks.json'] = issuerWith(key2).jwks();
    expect(version()).to.equal(before);
    expect(server.count('/jwks.json')).to.equal(1);
    clock.advance(60 * SECOND);
    const fetched = server.nextRequest('/jwks.json');
    expect(version()).to.equal(before); // reading it starts the refresh, which has not finished
    await fetched;
    await settle(get);
    expect(server.count('/jwks.json')).to.equal(2);
    expect(version()).to.equal(before + 1);
  });

  it('stops trusting a key removed from the set once the cache has expired', async () => {
    server.headers['/jwks.json'] = { 'cache-control': 'max-age=60' };
    const { get, manager } = await verifier();
    const old = tokenOf(issuer);
    await get(old).expect(200);
    const version = (manager as unknown as { auth: { verifier: { keys: { version: number } } } }).auth.verifier.keys
      .version;
    server.routes['/jwks.json'] = issuerWith(key2).jwks();
    clock.advance(60 * SECOND);
    await get(old).expect(200); // answered from the expired set while the refresh runs
    await settle(get);
    await get(old).expect(401);
    expect(
      (manager as unknown as { auth: { verifier: { keys: { version: number } } } }).auth.verifier.keys.version,
    ).to.be.above(version);
  });
});
