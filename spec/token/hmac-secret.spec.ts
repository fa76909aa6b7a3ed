import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { Algorithm } from '../../src/keys/algorithms';
import { keyRingOf } from '../../src/keys/key-ring';
import { loadSigningKey, type Secret } from '../../src/keys/material';
import { LoginConfigurationError } from '../../src/shared/errors';
import { keyPair } from '../helpers/keys';

const rsa = keyPair('rsa');
const p256 = keyPair('p256');
const encryptedPem = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'open sesame' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
}).privateKey;

/** Key material a verifying service might be handed as its `secret`, its kind, and the algorithm the message names. */
const PUBLIC: Array<[string, () => Secret, string]> = [
  ['an SPKI public PEM', () => rsa.publicPem, 'RS256'],
  ['a PKCS#1 public PEM', () => rsa.publicKey.export({ type: 'pkcs1', format: 'pem' }).toString(), 'RS256'],
  ['an EC public PEM', () => p256.publicPem, 'ES256'],
  ['a public PEM in a Buffer', () => Buffer.from(rsa.publicPem), 'RS256'],
  ['a public PEM after whitespace', () => `\n  \t${rsa.publicPem}\n`, 'RS256'],
  ['a public PEM after a BOM', () => `\ufeff${rsa.publicPem}`, 'RS256'],
  ['a public PEM after other text', () => `Bag Attributes\n  friendlyName: api\n${rsa.publicPem}`, 'RS256'],
  ['a DER public key in a Buffer', () => rsa.publicKey.export({ type: 'spki', format: 'der' }), 'RS256'],
  ['a public KeyObject', () => rsa.publicKey, 'RS256'],
  ['a public JWK object', () => p256.publicKey.export({ format: 'jwk' }) as never, 'ES256'],
  ['a public JWK as JSON text', () => JSON.stringify(rsa.publicKey.export({ format: 'jwk' })), 'RS256'],
  ['a JWK Set', () => ({ keys: [rsa.publicKey.export({ format: 'jwk' })] }) as never, 'RS256'],
];
const PRIVATE: Array<[string, () => Secret, string]> = [
  ['a PKCS#8 private PEM', () => rsa.privatePem, 'RS256'],
  ['a PKCS#1 private PEM', () => rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(), 'RS256'],
  ['a SEC1 private PEM', () => p256.privateKey.export({ type: 'sec1', format: 'pem' }).toString(), 'ES256'],
  ['a private PEM in a Buffer, after whitespace', () => Buffer.from(`  ${p256.privatePem}`), 'ES256'],
  ['an encrypted private PEM', () => encryptedPem, "'RS256' or 'ES256'"],
  ['{ privateKey, passphrase }', () => ({ privateKey: encryptedPem, passphrase: 'open sesame' }), "'RS256' or 'ES256'"],
  ['a DER private key in a Buffer', () => p256.privateKey.export({ type: 'pkcs8', format: 'der' }), 'ES256'],
  ['a private KeyObject', () => p256.privateKey, 'ES256'],
  ['a private JWK object', () => rsa.privateKey.export({ format: 'jwk' }) as never, 'RS256'],
  ['an Ed25519 private PEM', () => keyPair('ed25519').privatePem, 'EdDSA'],
];

describe('token/keys: key material is never an HMAC secret', () => {
  for (const algorithm of ['HS256', 'HS384', 'HS512'] as Algorithm[]) {
    for (const [name, material, suggested] of PUBLIC) {
      it(`${algorithm} refuses ${name}, saying to verify with keys or jwksUri, or sign with ${suggested}`, () => {
        expect(() => loadSigningKey(material(), algorithm)).to.throw(
          LoginConfigurationError,
          new RegExp(
            `\`secret\` holds a public key.*anyone who has the public key could sign.*keys: \\[\\{ algorithm: '?${suggested}.*jwksUri.*audience`,
          ),
        );
      });
    }
    for (const [name, material, suggested] of PRIVATE) {
      it(`${algorithm} refuses ${name}, saying to sign with it as ${suggested}`, () => {
        expect(() => loadSigningKey(material(), algorithm)).to.throw(
          LoginConfigurationError,
          new RegExp(`\`secret\` holds a private key.*\`algorithm: '?${suggested.replace(/[()]/g, '\\$&')}`),
        );
      });
    }
  }

  it('refuses the same in a `keys` entry, naming it', () => {
    for (const secret of [rsa.publicPem, Buffer.from(rsa.publicPem), rsa.publicKey, p256.privateKey]) {
      expect(() => keyRingOf([{ kid: 'a', algorithm: 'HS256', secret }])).to.throw(
        LoginConfigurationError,
        /`keys\[0\]\.secret` holds a (public|private) key/,
      );
    }
  });

  it('still takes random secrets: bytes, base64url, hex, a secret KeyObject', () => {
    for (const secret of [
      randomBytes(32),
      randomBytes(32).toString('base64url'),
      randomBytes(32).toString('hex'),
      loadSigningKey(randomBytes(32), 'HS256').signKey,
    ]) {
      expect(loadSigningKey(secret, 'HS256').signKey.type).to.equal('secret');
    }
  });
});
