import { constants, createPublicKey, generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto';
import { expect } from 'chai';
import { frozenClock } from '../helpers/clock';
import { type KeyServer, startKeyServer } from '../helpers/key-server';
import { forge, keyPair, rs256 } from '../helpers/keys';
import { verifierApp } from '../helpers/verifier';

/*
 * Tokens and key sets made by hand in the shapes Keycloak, Auth0 and Entra ID issue
 * (field for field as their documentation and real tokens show, values invented),
 * served from a local server as each provider serves them.
 */

const SECOND = 1000;
const ps256 =
  (key: KeyObject) =>
  (input: string): string =>
    sign('sha256', Buffer.from(input), { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }).toString(
      'base64url',
    );
/** The public JWK of a private key, with the members a provider adds. */
const jwkOf = (key: KeyObject, extra: Record<string, unknown>) => ({
  ...createPublicKey(key).export({ format: 'jwk' }),
  ...extra,
});
const fakeCert = ['MIIC/TCCAeWgAwIBAgIIbm90IHJlYWw='];

const NAMES = { keycloak: 'Keycloak', auth0: 'Auth0', entra: 'Entra ID' } as const;

interface Provider {
  issuer: string;
  /** The provider's signing key, and its kid. */
  key: KeyObject;
  kid: string;
  header: Record<string, unknown>;
  /** An access token's claims for `sub`, granting orders:read, for the API `orders-api`. */
  claims(now: number): Record<string, unknown>;
}

describe('provider tokens: Keycloak, Auth0 and Entra ID shapes', () => {
  let server: KeyServer;
  let clock: ReturnType<typeof frozenClock>;
  let providers: Record<'keycloak' | 'auth0' | 'entra', Provider>;
  const closers: Array<() => Promise<void>> = [];
  const entraKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const now = () => Math.floor(clock.ms / SECOND);
  const tokenOf = (provider: Provider, claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}) =>
    forge({ ...provider.header, ...header }, { ...provider.claims(now()), ...claims }, rs256(provider.key));

  async function verifier(options: Record<string, unknown> = {}) {
    const app = await verifierApp({
      clock: clock.now,
      issuers: Object.values(providers).map(({ issuer }) => ({ issuer, discovery: true, audience: 'orders-api' })),
      ...options,
    });
    closers.push(app.close);
    return app;
  }

  beforeEach(async () => {
    clock = frozenClock();
    server = await startKeyServer();
    closers.push(() => server.close());
    const origin = server.origin;
    const realm = `${origin}/realms/shop`;
    const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
    providers = {
      keycloak: {
        issuer: realm,
        key: keyPair('rsa').privateKey,
        kid: 'tXw2sJ4n_Jr9Jc1bQfYk0tqN8lI2mZpYq3d7rT0vHkE',
        header: { alg: 'RS256', typ: 'JWT', kid: 'tXw2sJ4n_Jr9Jc1bQfYk0tqN8lI2mZpYq3d7rT0vHkE' },
        claims: (t) => ({
          exp: t + 300,
          iat: t,
          auth_time: t - 5,
          jti: randomUUID(),
          iss: realm,
          aud: ['orders-api', 'account'],
          sub: 'f4b8c1de-2a3b-4c5d-8e9f-0a1b2c3d4e5f',
          typ: 'Bearer',
          azp: 'shop-frontend',
          sid: randomUUID(),
          acr: '1',
          'allowed-origins': ['https://shop.example.com'],
          realm_access: { roles: ['offline_access', 'default-roles-shop'] },
          resource_access: { account: { roles: ['manage-account'] } },
          scope: 'openid email profile orders:read',
          email_verified: true,
          preferred_username: 'ann',
        }),
      },
      auth0: {
        issuer: `${origin}/`,
        key: keyPair('rsa2').privateKey,
        kid: 'NjVBRjY5MDlCMUIwNzU4RTA2QzZFMDQ4QzQ2MDAyQjVDNjk1RTM2Qg',
        header: { alg: 'RS256', typ: 'at+jwt', kid: 'NjVBRjY5MDlCMUIwNzU4RTA2QzZFMDQ4QzQ2MDAyQjVDNjk1RTM2Qg' },
        claims: (t) => ({
          iss: `${origin}/`,
          sub: 'auth0|64b7f0c2e1a2b3c4d5e6f7a8',
          aud: ['orders-api', `${origin}/userinfo`],
          iat: t,
          exp: t + 86_400,
          scope: 'openid profile email orders:read',
          azp: 'Xk3bq9TtZ1Vw2yR4uP6sA8dF0gH2jL4n',
          permissions: ['orders:read'],
        }),
      },
      entra: {
        issuer: `${origin}/${tenant}/v2.0`,
        key: entraKey.privateKey,
        kid: 'L1KfKFI_jnXbwWc22xZxw1sUHH0',
        header: { typ: 'JWT', alg: 'RS256', kid: 'L1KfKFI_jnXbwWc22xZxw1sUHH0' },
        claims: (t) => ({
          aud: 'orders-api',
          iss: `${origin}/${tenant}/v2.0`,
          iat: t,
          nbf: t,
          exp: t + 4_485,
          aio: 'AXQAi/8TAAAA',
          azp: 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c',
          azpacr: '0',
          name: 'Ann Example',
          oid: '00000000-0000-0000-66f3-3332eca7ea81',
          preferred_username: 'ann@example.com',
          rh: '0.AQEAv4j5cvGGr0GRqy180BHbR8',
          scp: 'orders:read User.Read',
          sub: 'AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ',
          tid: tenant,
          uti: 'fqiBqXLPj0eQa82S-IYFAA',
          ver: '2.0',
        }),
      },
    };
    const { keycloak, auth0, entra } = providers;
    server.routes['/realms/shop/.well-known/openid-configuration'] = {
      issuer: realm,
      jwks_uri: `${realm}/protocol/openid-connect/certs`,
    };
    server.routes['/realms/shop/protocol/openid-connect/certs'] = {
      keys: [
        jwkOf(keycloak.key, { kid: 'enc-key', use: 'enc', alg: 'RSA-OAEP', x5c: fakeCert }),
        jwkOf(keycloak.key, {
          kid: keycloak.kid,
          use: 'sig',
          alg: 'RS256',
          x5c: fakeCert,
          x5t: 'bm90',
          'x5t#S256': 'bm90',
        }),
      ],
    };
    server.routes['/.well-known/openid-configuration'] = {
      issuer: `${origin}/`,
      jwks_uri: `${origin}/.well-known/jwks.json`,
    };
    server.routes['/.well-known/jwks.json'] = {
      keys: [
        jwkOf(auth0.key, { kid: auth0.kid, use: 'sig', alg: 'RS256', x5c: fakeCert, x5t: 'bm90' }),
        jwkOf(keyPair('rsa').privateKey, { kid: 'next-key', use: 'sig', alg: 'RS256' }),
      ],
    };
    server.routes[`/${tenant}/v2.0/.well-known/openid-configuration`] = {
      issuer: entra.issuer,
      jwks_uri: `${origin}/${tenant}/discovery/v2.0/keys`,
    };
    // Entra ID's keys carry no alg: they verify with the configured algorithms (RS256 by default).
    server.routes[`/${tenant}/discovery/v2.0/keys`] = {
      keys: [jwkOf(entra.key, { kid: entra.kid, use: 'sig', x5t: entra.kid, x5c: fakeCert, issuer: entra.issuer })],
    };
  });
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  for (const name of ['keycloak', 'auth0', 'entra'] as const) {
    it(`accepts an ${NAMES[name]} access token with its scopes`, async () => {
      const { get, codes } = await verifier();
      const provider = providers[name];
      await get(tokenOf(provider)).expect(200, { sub: provider.claims(now()).sub });
      await get(tokenOf(provider), '/remote/orders').expect(200, { orders: [] });
      expect(codes).to.deep.equal([]);
    });

    it(`refuses an ${NAMES[name]} token for another audience, of another issuer, expired, or without the scope`, async () => {
      const { get, codes } = await verifier();
      const provider = providers[name];
      await get(tokenOf(provider, { aud: 'graph-api' })).expect(401);
      await get(tokenOf(provider, { iss: 'https://login.example.com/other' })).expect(401);
      await get(tokenOf(provider, { exp: now() - 1 })).expect(401);
      await get(tokenOf(provider, { scope: 'openid', scp: undefined }), '/remote/orders').expect(403);
      expect(codes).to.deep.equal(['audience_invalid', 'issuer_invalid', 'token_expired', 'insufficient_scope']);
    });
  }

  it("refuses a token signed with Keycloak's encryption key or naming it", async () => {
    const { get, codes } = await verifier();
    await get(tokenOf(providers.keycloak, {}, { kid: 'enc-key' })).expect(401);
    expect(codes).to.deep.equal(['signature_invalid']);
  });

  it('refuses an algorithm that is not configured, even with a key that has no alg (Entra ID)', async () => {
    const { get, codes } = await verifier();
    const entra = providers.entra;
    const token = forge({ ...entra.header, alg: 'PS256' }, entra.claims(now()), ps256(entra.key));
    await get(token).expect(401);
    expect(codes).to.deep.equal(['algorithm_not_allowed']);
    const both = await verifier({
      issuers: [{ issuer: entra.issuer, discovery: true, audience: 'orders-api', algorithms: ['RS256', 'PS256'] }],
    });
    await both.get(token).expect(200);
  });

  it('counts scp as an array (Okta) as well as a string (Entra ID), and only without our own scopes', async () => {
    const { get } = await verifier();
    const entra = providers.entra;
    await get(tokenOf(entra, { scp: ['orders:read'] }), '/remote/orders').expect(200);
    await get(tokenOf(entra, { scp: ['profile'] }), '/remote/orders').expect(403);
    await get(tokenOf(entra, { scopes: [] }), '/remote/orders').expect(403);
  });

  it('refuses malformed scope and scp claims', async () => {
    const { get, codes } = await verifier({ exposeErrorDescriptions: true });
    const bad = await get(tokenOf(providers.auth0, { scope: ['orders:read'] })).expect(401);
    expect(bad.body).to.include({ code: 'claim_invalid', claim: 'scope' });
    await get(tokenOf(providers.entra, { scp: { orders: true } })).expect(401);
    expect(codes).to.deep.equal(['claim_invalid', 'claim_invalid']);
  });

  it('accepts long lifetimes on a verify-only manager, unless maxTokenLifetime says otherwise', async () => {
    const longLived = { exp: now() + 90 * 86_400 };
    const open = await verifier();
    await open.get(tokenOf(providers.auth0, longLived)).expect(200);
    const capped = await verifier({ maxTokenLifetime: '1d' });
    await capped.get(tokenOf(providers.auth0)).expect(200);
    await capped.get(tokenOf(providers.auth0, longLived)).expect(401);
    expect(capped.codes).to.deep.equal(['claim_invalid']);
  });
});
