import { expect } from 'chai';
import {
  KeySourceUnavailableError,
  LoginConfigurationError,
  LoginManager,
  type LoginOptions,
} from 'routing-controllers-login';
import { HS256_SECRET, keyPair } from '../helpers/keys';
import { recordingLogger } from '../helpers/verifier';

const JWKS = 'https://auth.example.com/.well-known/jwks.json';
/** A manager of `options`; one that verifies only gets the audience it needs, unless `issuers` (each names its own). */
const build = (options: Record<string, unknown>) =>
  new LoginManager({ tokenUrl: '/t', ...(options.issuers ? {} : { audience: 'api' }), ...options } as LoginOptions);
const refused = (options: Record<string, unknown>, message: RegExp) =>
  expect(() => build(options), message.source).to.throw(LoginConfigurationError, message);

describe('keys/options: remote keys, discovery, several issuers', () => {
  it('takes a JWK Set URL over https, or http to this machine', () => {
    build({ jwksUri: JWKS });
    build({ jwksUri: 'http://localhost:4000/jwks.json' });
    refused({ jwksUri: 'http://auth.example.com/jwks.json' }, /`jwksUri`: .* is not https \(plain http is only/);
    refused({ jwksUri: 'jwks.json' }, /`jwksUri`: "jwks.json" is not an absolute URL/);
    refused({ jwksUri: 42 }, /`jwksUri` is a URL string/);
  });

  it('takes discovery with an issuer only, and one key source at a time', () => {
    build({ discovery: true, issuer: 'https://tenant.eu.auth0.com/' });
    refused({ discovery: true }, /`discovery` needs `issuer`/);
    refused({ discovery: 'yes', issuer: 'https://a.example.com' }, /`discovery` is true or false/);
    refused({ discovery: true, issuer: 'http://a.example.com' }, /`issuer` for discovery: .* is not https/);
    refused({ discovery: false }, /`discovery: false` leaves no keys/);
    refused({ jwksUri: JWKS, discovery: true, issuer: 'https://a.example.com' }, /`jwksUri` or `discovery`, not both/);
    refused({ jwksUri: JWKS, secret: HS256_SECRET }, /drop `secret`, `keys` and `algorithm`/);
    refused({ jwksUri: JWKS, algorithm: 'RS256' }, /list them in `algorithms`/);
  });

  it('takes asymmetric algorithms for fetched keys, and refuses fetch options for configured keys', () => {
    build({ jwksUri: JWKS, algorithms: ['RS256', 'PS256', 'ES256'] });
    refused({ jwksUri: JWKS, algorithms: ['HS256'] }, /from RS256, .*ES512, EdDSA \(HMAC secrets are never fetched\)/);
    refused({ jwksUri: JWKS, algorithms: [] }, /`algorithms` lists what the issuer signs with/);
    refused({ secret: HS256_SECRET, algorithms: ['RS256'] }, /`algorithms` is for keys fetched with `jwksUri`/);
    refused({ secret: HS256_SECRET, remoteKeys: {} }, /`remoteKeys` is for keys fetched/);
  });

  it('checks remoteKeys', () => {
    build({ jwksUri: JWKS, remoteKeys: { timeout: 2000, maxBytes: 65_536, cooldown: '1m', maxCacheAge: '1d' } });
    refused({ jwksUri: JWKS, remoteKeys: 'fast' }, /`remoteKeys` is an object/);
    refused({ jwksUri: JWKS, remoteKeys: { ttl: 5 } }, /`remoteKeys`: unknown field\(s\) ttl; the fields are timeout/);
    refused({ jwksUri: JWKS, remoteKeys: { timeout: 0 } }, /`remoteKeys.timeout` is a whole number of milliseconds/);
    refused({ jwksUri: JWKS, remoteKeys: { maxBytes: 10 } }, /`remoteKeys.maxBytes` is a whole number of bytes/);
    refused({ jwksUri: JWKS, remoteKeys: { cooldown: 'soon' } }, /`remoteKeys.cooldown` "soon" is not/);
    refused(
      { jwksUri: JWKS, remoteKeys: { minCacheAge: '2h' } },
      /`remoteKeys.minCacheAge` is longer than `maxCacheAge`/,
    );
  });

  it('checks every issuers entry, naming it', () => {
    const entry = { issuer: 'https://a.example.com', jwksUri: JWKS, audience: 'api' };
    build({
      issuers: [
        entry,
        { issuer: 'https://b.example.com', keys: [{ algorithm: 'HS256', secret: HS256_SECRET }], audience: 'api' },
      ],
    });
    refused({ issuers: [] }, /`issuers` is a non-empty array/);
    refused({ issuers: ['https://a.example.com'] }, /issuers\[0\]: not an object/);
    refused(
      { issuers: [{ ...entry, aud: 'x' }] },
      /issuers\[0\]: unknown field\(s\) aud; the fields are issuer, audience/,
    );
    refused({ issuers: [{ jwksUri: JWKS }] }, /issuers\[0\]: `issuer` is required/);
    refused({ issuers: [entry, entry] }, /issuers\[1\]: issuer https:\/\/a.example.com is listed twice/);
    refused({ issuers: [{ issuer: 'https://a.example.com' }] }, /issuers\[0\]: give its keys: `jwksUri`/);
    refused({ issuers: [{ ...entry, keys: [] }] }, /issuers\[0\]: give `keys`, `jwksUri` or `discovery`, only one/);
    refused({ issuers: [{ ...entry, audience: [] }] }, /issuers\[0\]: `audience` is a non-empty string/);
    refused({ issuers: [{ ...entry, algorithms: ['HS256'] }] }, /issuers\[0\]: `algorithms` lists/);
    refused(
      { issuers: [{ issuer: 'https://a.example.com', keys: [], algorithms: ['RS256'] }] },
      /issuers\[0\]: `algorithms` is for fetched keys; each of `keys` has its own/,
    );
    refused({ issuers: [{ ...entry, jwksUri: 'http://a.example.com/jwks' }] }, /issuers\[0\]: `jwksUri`: .* not https/);
  });

  it('keeps issuer, audience and keys inside the issuers entries', () => {
    const issuers = [{ issuer: 'https://a.example.com', jwksUri: JWKS }];
    refused({ issuers, issuer: 'https://a.example.com' }, /with `issuers`, each issuer has its own .*: move issuer/);
    refused({ issuers, audience: 'api', secret: HS256_SECRET }, /move secret, audience into its entry/);
    refused(
      {
        issuers: [
          { issuer: 'https://a.example.com', keys: [{ algorithm: 'HS256', secret: HS256_SECRET }], audience: 'api' },
        ],
        remoteKeys: {},
      },
      /`remoteKeys` is set, but no issuer has `jwksUri` or `discovery`/,
    );
  });

  it('takes maxTokenLifetime on verify-only managers only', () => {
    build({ jwksUri: JWKS, maxTokenLifetime: '1d' });
    const published = build({ keys: [{ kid: 'k', algorithm: 'RS256', privateKey: keyPair('rsa').privatePem }] }).jwks();
    build({ keys: published, maxTokenLifetime: 3600 });
    refused({ secret: HS256_SECRET, maxTokenLifetime: '1d' }, /`maxTokenLifetime` is for verify-only managers/);
    refused({ jwksUri: JWKS, maxTokenLifetime: 'long' }, /`maxTokenLifetime` "long" is not a positive number/);
  });
});

describe('keys: a manager that fetches its keys', () => {
  it('cannot sign, and publishes no keys of its own', () => {
    const manager = build({ jwksUri: JWKS });
    expect(() => manager.createAccessToken({ data: { sub: 'a' } })).to.throw(LoginConfigurationError, /verify-only/);
    expect(manager.jwks()).to.deep.equal({ keys: [] });
  });

  it('refuses revokeAllFor without maxTokenLifetime, since any lifetime is accepted', async () => {
    let thrown: unknown;
    await build({ jwksUri: JWKS })
      .revokeAllFor('ann')
      .catch((error: unknown) => {
        thrown = error;
      });
    expect(thrown)
      .to.be.instanceOf(TypeError)
      .with.property('message')
      .that.matches(/set `maxTokenLifetime`/);
    await build({ jwksUri: JWKS, maxTokenLifetime: '1h' }).revokeAllFor('ann');
  });

  it('answers the synchronous hasScopes with a 503 error while it knows no key', () => {
    const logger = recordingLogger();
    const manager = build({ jwksUri: 'http://127.0.0.1:9/jwks.json', remoteKeys: { timeout: 100 }, logger });
    const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln';
    expect(() => manager.hasScopes(token, [])).to.throw(KeySourceUnavailableError);
  });
});
