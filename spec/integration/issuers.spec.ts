import { expect } from 'chai';
import { type KeyConfig, LoginManager } from 'routing-controllers-login';
import { frozenClock } from '../helpers/clock';
import { type KeyServer, startKeyServer } from '../helpers/key-server';
import { forge, keyPair, rs256 } from '../helpers/keys';
import { verifierApp } from '../helpers/verifier';

const SECOND = 1000;
const rsa = keyPair('rsa');
const rsa2 = keyPair('rsa2');
const ec = keyPair('p256');

describe('issuers: OpenID Connect discovery, several issuers, keys named in token headers', () => {
  let server: KeyServer;
  let clock: ReturnType<typeof frozenClock>;
  const closers: Array<() => Promise<void>> = [];
  const realm = () => `${server.origin}/realms/shop`;
  const discoveryPath = '/realms/shop/.well-known/openid-configuration';
  const certsPath = '/realms/shop/protocol/openid-connect/certs';

  /** A verifier of `options`; one issuer's tokens must be for `shop-api` (`issuers` entries name their own). */
  async function verifier(options: Record<string, unknown>) {
    const audience = options.issuers ? {} : { audience: 'shop-api' };
    const app = await verifierApp({ clock: clock.now, ...audience, ...options });
    closers.push(app.close);
    return app;
  }
  /** An issuing manager for `iss` and `aud`, on the shared clock. */
  const issuing = (key: KeyConfig, iss: string, aud = 'shop-api') =>
    new LoginManager({ keys: [key], tokenUrl: '/t', clock: clock.now, issuer: iss, audience: aud });
  const keycloakKey: KeyConfig = { kid: 'kc-1', algorithm: 'RS256', privateKey: rsa.privatePem };

  beforeEach(async () => {
    clock = frozenClock();
    server = await startKeyServer();
    closers.push(() => server.close());
    server.routes[certsPath] = issuing(keycloakKey, 'unused').jwks();
    server.routes[discoveryPath] = { issuer: realm(), jwks_uri: `${server.origin}${certsPath}` };
  });
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  describe('discovery', () => {
    it("finds the JWK Set through the issuer's discovery document, and reads that document once", async () => {
      server.headers[certsPath] = { 'cache-control': 'max-age=60' };
      const { get } = await verifier({ issuer: realm(), discovery: true });
      const token = issuing(keycloakKey, realm()).createAccessToken({ data: { sub: 'ann' } });
      await get(token).expect(200, { sub: 'ann' });
      clock.advance(60 * SECOND);
      await get(token).expect(200);
      await get(forge({ alg: 'RS256', kid: 'settle' }, { iss: realm() })).expect(401); // waits for the refresh
      expect(server.count(certsPath)).to.equal(2);
      expect(server.count(discoveryPath)).to.equal(1);
    });

    it('reads the discovery document again after a fetch of its JWK Set failed, in case jwks_uri moved', async () => {
      const { get } = await verifier({ issuer: realm(), discovery: true });
      const token = issuing(keycloakKey, realm()).createAccessToken({ data: { sub: 'ann' } });
      const movedPath = '/realms/shop/keys-v2';
      server.routes[movedPath] = server.routes[certsPath];
      server.routes[certsPath] = undefined;
      await get(token).expect(503);
      server.routes[discoveryPath] = { issuer: realm(), jwks_uri: `${server.origin}${movedPath}` };
      clock.advance(30 * SECOND);
      await get(token).expect(200, { sub: 'ann' });
      expect(server.count(discoveryPath)).to.equal(2);
      expect(server.count(movedPath)).to.equal(1);
    });

    it('refuses a discovery document naming another issuer: 503, logged, its keys never fetched', async () => {
      server.routes[discoveryPath] = { issuer: 'https://evil.example.com', jwks_uri: `${server.origin}${certsPath}` };
      const { get, logger } = await verifier({ issuer: realm(), discovery: true });
      await get(issuing(keycloakKey, realm()).createAccessToken({ data: { sub: 'ann' } })).expect(503);
      expect(server.count(certsPath)).to.equal(0);
      expect(logger.errors).to.have.length(1);
      expect(logger.errors[0]).to.include('names issuer "https://evil.example.com"');
    });

    it('refuses a jwks_uri that is plain http to another host', async () => {
      server.routes[discoveryPath] = { issuer: realm(), jwks_uri: 'http://keys.example.com/certs' };
      const { get, logger } = await verifier({ issuer: realm(), discovery: true });
      await get(issuing(keycloakKey, realm()).createAccessToken({ data: { sub: 'ann' } })).expect(503);
      expect(logger.errors[0]).to.match(/jwks_uri http:\/\/keys\.example\.com\/certs is not https/);
    });

    it('refuses a token of another issuer before fetching anything', async () => {
      const { get, codes } = await verifier({ issuer: realm(), discovery: true });
      await get(issuing(keycloakKey, 'https://evil.example.com').createAccessToken({ data: { sub: 'x' } })).expect(401);
      expect(codes).to.deep.equal(['issuer_invalid']);
      expect(server.hits).to.deep.equal({});
    });
  });

  describe('several issuers', () => {
    const partnerKey: KeyConfig = { kid: 'p-1', algorithm: 'ES256', privateKey: ec.privatePem };
    const legacyKey: KeyConfig = { kid: 'l-1', algorithm: 'RS256', privateKey: rsa2.privatePem };
    const PARTNER = 'https://partner.example.com';
    const LEGACY = 'https://legacy.example.com';

    async function severalIssuers() {
      server.routes['/partner/jwks.json'] = issuing(partnerKey, PARTNER).jwks();
      return verifier({
        issuers: [
          { issuer: realm(), discovery: true, audience: 'shop-api' },
          {
            issuer: PARTNER,
            jwksUri: `${server.origin}/partner/jwks.json`,
            algorithms: ['ES256'],
            audience: 'partner',
          },
          // An older issuer whose tokens name no audience: the stated exception.
          { issuer: LEGACY, keys: issuing(legacyKey, LEGACY).jwks(), anyAudience: true },
        ],
      });
    }

    it('accepts each issuer with its own keys and audience', async () => {
      const { get } = await severalIssuers();
      await get(issuing(keycloakKey, realm(), 'shop-api').createAccessToken({ data: { sub: 'kc' } })).expect(200);
      await get(issuing(partnerKey, PARTNER, 'partner').createAccessToken({ data: { sub: 'p' } })).expect(200);
      await get(issuing(legacyKey, LEGACY, 'anything').createAccessToken({ data: { sub: 'l' } })).expect(200, {
        sub: 'l',
      });
    });

    it("holds each issuer's tokens to that issuer's audience and keys", async () => {
      const { get, codes } = await severalIssuers();
      await get(issuing(keycloakKey, realm(), 'partner').createAccessToken({ data: { sub: 'kc' } })).expect(401);
      // Signed with the legacy key, claiming to be the partner: the partner's algorithms do not take it.
      await get(issuing(legacyKey, PARTNER, 'partner').createAccessToken({ data: { sub: 'p' } })).expect(401);
      expect(codes).to.deep.equal(['audience_invalid', 'algorithm_not_allowed']);
    });

    it('refuses an unknown or missing iss without fetching anything', async () => {
      const { get, codes } = await severalIssuers();
      const stranger = issuing({ ...keycloakKey, kid: 'new' }, 'https://stranger.example.com', 'shop-api');
      await get(stranger.createAccessToken({ data: { sub: 's' } })).expect(401);
      await get(forge({ alg: 'RS256', kid: 'kc-1' }, { sub: 's', exp: 2e9 }, rs256(rsa.privateKey))).expect(401);
      await get(forge({ alg: 'RS256', kid: 'kc-1' }, { sub: 's', iss: ['x'], exp: 2e9 })).expect(401);
      expect(codes).to.deep.equal(['issuer_invalid', 'issuer_invalid', 'issuer_invalid']);
      expect(server.hits).to.deep.equal({});
    });

    it("keeps the other issuers working while one issuer's key source is down", async () => {
      const { get } = await severalIssuers();
      server.routes[discoveryPath] = undefined;
      await get(issuing(keycloakKey, realm(), 'shop-api').createAccessToken({ data: { sub: 'kc' } })).expect(503);
      await get(issuing(partnerKey, PARTNER, 'partner').createAccessToken({ data: { sub: 'p' } })).expect(200);
    });
  });

  describe('keys named in a token header are never used nor fetched', () => {
    const attacker = keyPair('rsa2');
    const attackerJwk = { ...attacker.publicKey.export({ format: 'jwk' }), kid: 'kc-1', alg: 'RS256' };
    const headers: Array<[string, Record<string, unknown>]> = [
      ['jku', { jku: '/evil/jwks.json' }],
      ['x5u', { x5u: '/evil/cert.pem' }],
      ['jwk', { jwk: attackerJwk }],
      ['x5c', { x5c: ['MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA'] }],
    ];
    for (const [name, header] of headers) {
      it(`ignores ${name}`, async () => {
        server.routes['/evil/jwks.json'] = { keys: [attackerJwk] };
        const { get, codes } = await verifier({ issuer: realm(), discovery: true });
        const absolute = Object.fromEntries(
          Object.entries(header).map(([k, v]) => [k, typeof v === 'string' ? `${server.origin}${v}` : v]),
        );
        const payload = { sub: 'mallory', iss: realm(), exp: Math.floor(clock.ms / SECOND) + 60 };
        await get(forge({ alg: 'RS256', kid: 'kc-1', ...absolute }, payload, rs256(attacker.privateKey))).expect(401);
        expect(codes).to.deep.equal(['signature_invalid']);
        expect(server.count('/evil/jwks.json') + server.count('/evil/cert.pem')).to.equal(0);
      });
    }
  });
});
