import { expect } from 'chai';
import { Get, JsonController } from 'routing-controllers';
import { LoggedIn, LoginConfigurationError, LoginManager, type LoginOptions } from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { onEveryServer } from '../helpers/drivers';
import { type KeyServer, startKeyServer } from '../helpers/key-server';
import { forge, HS256_SECRET, keyPair, nowSeconds, rs256 } from '../helpers/keys';

@Service()
@JsonController('/orders')
class OrdersController {
  @LoggedIn()
  @Get('/')
  list() {
    return { orders: [] };
  }
}

const ISSUER = 'https://auth.example.com';
const { privateKey, publicKey, publicPem } = keyPair('rsa');
const jwks = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' }] };
/** An RS256 token from the issuer, for `aud` (none when undefined), living a hundred years. */
const token = (aud?: string) =>
  forge(
    { alg: 'RS256', typ: 'JWT', kid: 'k1' },
    { sub: 'ada', iss: ISSUER, ...(aud ? { aud } : {}), iat: nowSeconds(), exp: nowSeconds() + 100 * 365 * 86_400 },
    rs256(privateKey),
  );
const build = (options: Record<string, unknown>) =>
  new LoginManager({ tokenUrl: '/t', userLoader: (sub) => ({ sub }), ...options } as LoginOptions);
const AUDIENCE_NEEDED = /a verify-only manager must check whom a token is for: set `audience`.*`anyAudience: true`/;

describe('a verify-only manager needs an audience', () => {
  let keyServer: KeyServer;
  before(async () => {
    keyServer = await startKeyServer(jwks);
    keyServer.routes['/.well-known/openid-configuration'] = { issuer: keyServer.origin, jwks_uri: keyServer.jwksUri };
  });
  after(() => keyServer.close());

  const verifyOnly = (): Array<[string, Record<string, unknown>]> => [
    ['public keys', { keys: [{ algorithm: 'RS256', publicKey: publicPem }] }],
    ['a JWK Set', { keys: jwks }],
    ['jwksUri', { jwksUri: keyServer.jwksUri }],
    ['discovery', { discovery: true, issuer: keyServer.origin }],
  ];

  it('refuses one without `audience` at construction, naming it and the exception', () => {
    for (const [name, options] of verifyOnly()) {
      expect(() => build(options), name).to.throw(LoginConfigurationError, AUDIENCE_NEEDED);
      expect(() => build({ ...options, audience: 'orders' }), name).not.to.throw();
      expect(() => build({ ...options, anyAudience: true }), name).not.to.throw();
    }
  });

  it('refuses each `issuers` entry without one, naming the entry', () => {
    const other = { issuer: 'https://b.example.com', keys: jwks, audience: 'orders' };
    for (const entry of [
      { issuer: ISSUER, keys: jwks },
      { issuer: ISSUER, jwksUri: keyServer.jwksUri },
      { issuer: keyServer.origin, discovery: true },
    ]) {
      expect(() => build({ issuers: [other, entry] })).to.throw(
        LoginConfigurationError,
        /issuers\[1\]: a verify-only manager must check whom a token is for: set `audience` in this entry.*`anyAudience: true` in this entry/,
      );
      expect(() => build({ issuers: [other, { ...entry, anyAudience: true }] })).not.to.throw();
    }
  });

  it('refuses anyAudience beside audience, on a manager that signs, at the top of issuers, or not a boolean', () => {
    const keys = { keys: jwks };
    expect(() => build({ ...keys, audience: 'orders', anyAudience: true })).to.throw(
      /`audience`.*or `anyAudience: true`.*not both/,
    );
    expect(() => build({ secret: HS256_SECRET, anyAudience: true })).to.throw(
      /`anyAudience` is for verify-only managers/,
    );
    expect(() => build({ anyAudience: true, issuers: [{ issuer: ISSUER, keys: jwks, anyAudience: true }] })).to.throw(
      /move anyAudience into its entry/,
    );
    expect(() => build({ ...keys, anyAudience: 'yes' })).to.throw(/`anyAudience` is true or false/);
    expect(() => build({ issuers: [{ issuer: ISSUER, keys: jwks, anyAudience: 1 }] })).to.throw(
      /issuers\[0\]: `anyAudience` is true or false/,
    );
  });

  it('leaves a manager that signs as it was: audience optional', () => {
    expect(() => build({ secret: HS256_SECRET })).not.to.throw();
    expect(() =>
      build({
        keys: [
          { algorithm: 'RS256', privateKey },
          { kid: 'old', algorithm: 'RS256', publicKey },
        ],
      }),
    ).not.to.throw();
  });
});

onEveryServer('a verify-only service and tokens meant for another API', (server) => {
  it('with `audience`, refuses a 100-year token for "some-other-api" and one naming no audience', async () => {
    const app = server.app(build({ keys: jwks, audience: 'orders' }), { controllers: [OrdersController] });
    const get = (jwt: string) => request(app).get('/orders').set('Authorization', `Bearer ${jwt}`);
    await get(token('some-other-api')).expect(401);
    await get(token()).expect(401);
    await get(token('orders')).expect(200, { orders: [] });
  });

  it('with `anyAudience: true`, the stated exception, takes them', async () => {
    const app = server.app(build({ keys: jwks, anyAudience: true }), { controllers: [OrdersController] });
    await request(app)
      .get('/orders')
      .set('Authorization', `Bearer ${token('some-other-api')}`)
      .expect(200);
  });
});
