import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { loadSigningKey } from '../../src/keys/material';
import { LoginConfigurationError } from '../../src/shared/errors';
import { HS256_SECRET, keyPair } from '../helpers/keys';

describe('token/keys: loadSigningKey', () => {
  it('parses an HMAC secret once into a secret KeyObject used both ways', () => {
    const key = loadSigningKey(HS256_SECRET, 'HS256');
    expect(key.signKey.type).to.equal('secret');
    expect(key.verifyKey).to.equal(key.signKey);
  });

  for (const [algorithm, bytes] of [
    ['HS256', 32],
    ['HS384', 48],
    ['HS512', 64],
  ] as const) {
    it(`refuses an ${algorithm} secret shorter than ${bytes} bytes, saying how to make one`, () => {
      expect(() => loadSigningKey('x'.repeat(bytes - 1), algorithm)).to.throw(
        LoginConfigurationError,
        new RegExp(`${bytes - 1} bytes; ${algorithm} needs at least ${bytes}.*randomBytes\\(${bytes}\\)`),
      );
      expect(() => loadSigningKey(randomBytes(bytes), algorithm)).not.to.throw();
    });
  }

  it('counts bytes, not characters', () => {
    const accented = 'àáâãäåæçèéêëìíîï'; // 16 characters, 2 bytes each in UTF-8
    expect(() => loadSigningKey(accented, 'HS256')).not.to.throw();
    expect(() => loadSigningKey(accented.slice(1), 'HS256')).to.throw(LoginConfigurationError, /30 bytes/);
  });

  it('refuses an object secret for HMAC (a symmetric JWK: give its bytes)', () => {
    const jwk = { kty: 'oct', k: Buffer.from(HS256_SECRET).toString('base64url') };
    expect(() => loadSigningKey(jwk as never, 'HS256')).to.throw(LoginConfigurationError, /string or Buffer/);
  });

  it('derives the public key from a PEM private key', () => {
    const key = loadSigningKey(keyPair('rsa').privatePem, 'RS256');
    expect(key.signKey.type).to.equal('private');
    expect(key.verifyKey.type).to.equal('public');
    expect(key.verifyKey.export({ type: 'spki', format: 'pem' })).to.equal(keyPair('rsa').publicPem);
  });

  it('takes a private KeyObject and a PEM Buffer', () => {
    expect(loadSigningKey(keyPair('p256').privateKey, 'ES256').verifyKey.asymmetricKeyType).to.equal('ec');
    expect(loadSigningKey(Buffer.from(keyPair('rsa').privatePem), 'PS256').verifyKey.type).to.equal('public');
  });

  it('opens an encrypted PEM with its passphrase and refuses a wrong one', () => {
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'open sesame' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    expect(loadSigningKey({ privateKey, passphrase: 'open sesame' }, 'RS256').signKey.type).to.equal('private');
    expect(() => loadSigningKey({ privateKey, passphrase: 'wrong' }, 'RS256')).to.throw(
      LoginConfigurationError,
      /PEM private key/,
    );
    expect(() => loadSigningKey(privateKey, 'RS256')).to.throw(LoginConfigurationError);
  });

  it('refuses what is not a private key for RS256: a plain string, a public PEM, a public KeyObject', () => {
    expect(() => loadSigningKey(HS256_SECRET, 'RS256')).to.throw(
      LoginConfigurationError,
      /RS256 needs a PEM private key/,
    );
    expect(() => loadSigningKey(keyPair('rsa').publicPem, 'RS256')).to.throw(
      LoginConfigurationError,
      /PEM private key/,
    );
    expect(() => loadSigningKey(keyPair('rsa').publicKey, 'RS256')).to.throw(
      LoginConfigurationError,
      /got a public key/,
    );
  });

  it('refuses an RSA key below 2048 bits', () => {
    expect(() => loadSigningKey(keyPair('rsa1024').privatePem, 'RS256')).to.throw(
      LoginConfigurationError,
      /at least 2048 bits; got 1024/,
    );
  });

  it('refuses a key of the wrong family or curve', () => {
    expect(() => loadSigningKey(keyPair('p256').privatePem, 'RS256')).to.throw(
      LoginConfigurationError,
      /needs an RSA key; got ec/,
    );
    expect(() => loadSigningKey(keyPair('rsa').privatePem, 'ES256')).to.throw(
      LoginConfigurationError,
      /EC key on curve prime256v1/,
    );
    expect(() => loadSigningKey(keyPair('p384').privatePem, 'ES256')).to.throw(LoginConfigurationError, /on secp384r1/);
    expect(() => loadSigningKey(keyPair('p521').privatePem, 'ES512')).not.to.throw();
    expect(() => loadSigningKey(keyPair('ed25519').privatePem, 'ES256')).to.throw(LoginConfigurationError);
  });

  it('takes an Ed25519 PEM or KeyObject for EdDSA', () => {
    for (const secret of [keyPair('ed25519').privatePem, keyPair('ed25519').privateKey]) {
      const key = loadSigningKey(secret, 'EdDSA');
      expect(key.signKey.asymmetricKeyType).to.equal('ed25519');
      expect(key.verifyKey.type).to.equal('public');
    }
  });

  it('refuses Ed448 for EdDSA, saying Ed25519 is the one and how to make it', () => {
    expect(() => loadSigningKey(keyPair('ed448').privatePem, 'EdDSA')).to.throw(
      LoginConfigurationError,
      /Ed448 is not supported.*openssl genpkey -algorithm ed25519/,
    );
  });

  it('refuses an RSA or EC key for EdDSA, and a string secret', () => {
    expect(() => loadSigningKey(keyPair('rsa').privatePem, 'EdDSA')).to.throw(
      LoginConfigurationError,
      /EdDSA needs an Ed25519 key; got rsa/,
    );
    expect(() => loadSigningKey(keyPair('p256').privateKey, 'EdDSA')).to.throw(LoginConfigurationError, /got ec/);
    expect(() => loadSigningKey(HS256_SECRET, 'EdDSA')).to.throw(LoginConfigurationError, /PEM private key/);
  });
});
