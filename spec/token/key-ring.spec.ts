import { expect } from 'chai';
import { keyRingOf, singleKeyRing } from '../../src/keys/key-ring';
import { LoginConfigurationError } from '../../src/shared/errors';
import { HS256_SECRET, keyPair } from '../helpers/keys';

describe('token/key-ring', () => {
  const rsa = keyPair('rsa');
  const ec = keyPair('p256');

  it('signs with the first key that has private material and finds keys by kid', () => {
    const ring = keyRingOf([
      { kid: 'public-only', algorithm: 'ES256', publicKey: ec.publicPem },
      { kid: 'new', algorithm: 'RS256', privateKey: rsa.privatePem },
      { kid: 'old', algorithm: 'HS256', secret: HS256_SECRET },
    ]);
    expect(ring.signer?.kid).to.equal('new');
    expect(ring.find('old')?.algorithm).to.equal('HS256');
    expect(ring.find('public-only')?.signKey).to.equal(undefined);
  });

  it('treats kid as an opaque id: paths, SQL, prototype names and huge strings are unknown', () => {
    const ring = keyRingOf([{ kid: 'k1', algorithm: 'HS256', secret: HS256_SECRET }]);
    for (const kid of [
      '../../etc/passwd',
      "' OR 1=1 --",
      '__proto__',
      'constructor',
      'toString',
      'x'.repeat(10_000),
      7,
      {},
    ]) {
      expect(ring.find(kid), String(kid).slice(0, 20)).to.equal(undefined);
    }
    expect(ring.find(undefined)).to.equal(undefined);
  });

  it('lets one key without kid verify tokens without one', () => {
    const ring = singleKeyRing(HS256_SECRET, 'HS256');
    expect(ring.find(undefined)?.algorithm).to.equal('HS256');
  });

  it('ignores the kid of a token when the only key has none (provider tokens always name one)', () => {
    const ring = singleKeyRing(HS256_SECRET, 'HS256');
    expect(ring.find('anything')).to.equal(ring.keys[0]);
    const rotated = keyRingOf([
      { kid: 'new', algorithm: 'RS256', privateKey: rsa.privatePem },
      { algorithm: 'HS256', secret: HS256_SECRET },
    ]);
    expect(rotated.find('anything')).to.equal(undefined);
    expect(rotated.find(undefined)?.algorithm).to.equal('HS256');
  });

  it('publishes public keys only, as a JWK Set without private members', () => {
    const ring = keyRingOf([
      { kid: 'rsa', algorithm: 'RS256', privateKey: rsa.privatePem },
      { kid: 'ec', algorithm: 'ES256', privateKey: ec.privateKey },
      { kid: 'hmac', algorithm: 'HS256', secret: HS256_SECRET },
    ]);
    const { keys } = ring.jwks();
    expect(keys.map((key) => key.kid)).to.deep.equal(['rsa', 'ec']);
    expect(keys[0]).to.include({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    for (const key of keys) {
      for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) expect(key).not.to.have.property(secret);
    }
    expect(singleKeyRing(HS256_SECRET, 'HS256').jwks()).to.deep.equal({ keys: [] });
  });

  it('builds a verify-only ring from a JWK Set', () => {
    const published = keyRingOf([{ kid: 'rsa', algorithm: 'RS256', privateKey: rsa.privatePem }]).jwks();
    const ring = keyRingOf(JSON.parse(JSON.stringify(published)));
    expect(ring.signer).to.equal(undefined);
    expect(ring.find('rsa')?.verifyKey.type).to.equal('public');
  });

  it('refuses bad key lists at construction, saying what is wrong', () => {
    const refused = (keys: unknown, message: RegExp) =>
      expect(() => keyRingOf(keys as never)).to.throw(LoginConfigurationError, message);
    refused([], /empty/);
    refused([{ kid: 'a', algorithm: 'none', secret: HS256_SECRET }], /algorithm "none" is not allowed/);
    refused([{ kid: 'a', algorithm: 'HS256', secret: 'short' }], /at least 32/);
    refused([{ kid: 'a', algorithm: 'HS256', publicKey: rsa.publicPem }], /HS256 keys take `secret`/);
    refused([{ kid: 'a', algorithm: 'RS256', secret: HS256_SECRET }], /RS256 keys take `privateKey` or `publicKey`/);
    refused([{ kid: 'a', algorithm: 'RS256', privateKey: rsa.privatePem, publicKey: rsa.publicPem }], /exactly one/);
    refused([{ kid: 'a', algorithm: 'RS256', publicKey: keyPair('rsa1024').publicPem }], /2048/);
    refused([{ kid: 'a', algorithm: 'ES256', publicKey: keyPair('p384').publicPem }], /prime256v1/);
    refused([{ kid: 'a', algorithm: 'RS256', publicKey: rsa.privatePem }], /holds a private key/);
    refused(
      [
        { kid: 'a', algorithm: 'HS256', secret: HS256_SECRET },
        { kid: 'a', algorithm: 'HS256', secret: `${HS256_SECRET}2` },
      ],
      /two keys have kid "a"/,
    );
    refused(
      [
        { algorithm: 'HS256', secret: HS256_SECRET },
        { algorithm: 'HS256', secret: `${HS256_SECRET}2` },
      ],
      /every key but one a `kid`/,
    );
    refused({ keys: [{ kty: 'oct', k: 'abc', alg: 'HS256' }] }, /symmetric keys never go in a JWK Set/);
    refused({ keys: [{ ...rsa.publicKey.export({ format: 'jwk' }), kid: 'x' }] }, /no usable "alg"/);
    refused(
      { keys: [{ ...rsa.privateKey.export({ format: 'jwk' }), kid: 'x', alg: 'RS256' }] },
      /private key material/,
    );
    refused({ nope: true }, /JWK Set/);
  });
});
