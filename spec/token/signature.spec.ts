import { constants, createHmac, createPrivateKey, type KeyObject, sign } from 'node:crypto';
import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { ALGORITHMS, type Algorithm } from '../../src/keys/algorithms';
import { loadSigningKey } from '../../src/keys/material';
import { signatureValid } from '../../src/keys/signature';
import { HS256_SECRET, keyPair } from '../helpers/keys';

const SECRETS: Record<string, string> = {
  HS256: HS256_SECRET,
  HS384: HS256_SECRET.repeat(2),
  HS512: HS256_SECRET.repeat(2),
};
const CURVES: Partial<Record<Algorithm, 'p256' | 'p384' | 'p521' | 'ed25519'>> = {
  ES256: 'p256',
  ES384: 'p384',
  ES512: 'p521',
  EdDSA: 'ed25519',
};
const pairFor = (algorithm: Algorithm) => keyPair(CURVES[algorithm] ?? 'rsa');
const secretFor = (algorithm: Algorithm) => SECRETS[algorithm] ?? pairFor(algorithm).privatePem;

/** A token jsonwebtoken signed (EdDSA, which it cannot: plain node:crypto), split as the verifier sees it. */
function signed(algorithm: Algorithm) {
  const key = loadSigningKey(secretFor(algorithm), algorithm);
  const token = algorithm === 'EdDSA' ? ed25519Token(key.signKey) : jwt.sign({ sub: 'u' }, key.signKey, { algorithm });
  const cut = token.lastIndexOf('.');
  return { key, input: token.slice(0, cut), signature: token.slice(cut + 1) };
}

function ed25519Token(key: KeyObject): string {
  const input = `${Buffer.from('{"alg":"EdDSA"}').toString('base64url')}.${Buffer.from('{"sub":"u"}').toString('base64url')}`;
  return `${input}.${sign(null, Buffer.from(input), key).toString('base64url')}`;
}

/** The same signature with its last character changed in bits base64url does not carry. */
function reencoded(signature: string): string | undefined {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(signature.at(-1) as string);
  const spare = [0, 0, 4, 2][signature.length % 4] as number; // unused low bits of the last character
  if (spare === 0) return undefined;
  return signature.slice(0, -1) + alphabet[last | 1];
}

describe('token/signature: signatureValid', () => {
  for (const algorithm of ALGORITHMS) {
    describe(algorithm, () => {
      const { key, input, signature } = signed(algorithm);

      it('accepts what jsonwebtoken (EdDSA: node:crypto) signed', () => {
        expect(signatureValid(algorithm, key.verifyKey, input, signature)).to.equal(true);
      });

      it('refuses a changed input, a changed signature, an empty one and a truncated one', () => {
        expect(signatureValid(algorithm, key.verifyKey, `${input}x`, signature)).to.equal(false);
        const flipped = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
        expect(signatureValid(algorithm, key.verifyKey, input, flipped)).to.equal(false);
        expect(signatureValid(algorithm, key.verifyKey, input, '')).to.equal(false);
        expect(signatureValid(algorithm, key.verifyKey, input, signature.slice(0, -4))).to.equal(false);
      });

      it('refuses the same signature bytes spelled another way (unused bits set)', () => {
        const other = reencoded(signature);
        if (other === undefined) return; // a length with no spare bits has one spelling only
        expect(Buffer.from(other, 'base64url')).to.deep.equal(Buffer.from(signature, 'base64url'));
        expect(signatureValid(algorithm, key.verifyKey, input, other)).to.equal(false);
      });
    });
  }

  it('compares HMAC signatures whole: the right prefix is not enough', () => {
    const { key, input, signature } = signed('HS256');
    expect(signatureValid('HS256', key.verifyKey, input, signature.slice(0, 42))).to.equal(false);
    const sha512 = createHmac('sha512', HS256_SECRET).update(input).digest('base64url');
    expect(signatureValid('HS256', key.verifyKey, input, sha512)).to.equal(false);
  });

  it('takes ES signatures as r||s (IEEE P1363) only, not DER', () => {
    const { key, input } = signed('ES256');
    const der = sign('sha256', Buffer.from(input), createPrivateKey(keyPair('p256').privatePem));
    expect(signatureValid('ES256', key.verifyKey, input, der.toString('base64url'))).to.equal(false);
  });

  it('takes PS signatures with a salt as long as the hash only (RFC 7518 §3.5)', () => {
    const { key, input } = signed('PS256');
    const privateKey = createPrivateKey(keyPair('rsa').privatePem);
    const withSalt = (saltLength: number) =>
      sign('sha256', Buffer.from(input), { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength });
    expect(signatureValid('PS256', key.verifyKey, input, withSalt(32).toString('base64url'))).to.equal(true);
    expect(signatureValid('PS256', key.verifyKey, input, withSalt(64).toString('base64url'))).to.equal(false);
  });

  it('refuses an Ed25519 signature of another key, and one of the right key over other bytes', () => {
    const { key, input, signature } = signed('EdDSA');
    const other = sign(null, Buffer.from(input), keyPair('ed25519b').privateKey).toString('base64url');
    expect(signatureValid('EdDSA', key.verifyKey, input, other)).to.equal(false);
    const elsewhere = sign(null, Buffer.from(`${input}.`), keyPair('ed25519').privateKey).toString('base64url');
    expect(signatureValid('EdDSA', key.verifyKey, input, elsewhere)).to.equal(false);
    expect(signatureValid('EdDSA', key.verifyKey, input, signature)).to.equal(true);
  });

  it('refuses a PKCS#1 v1.5 signature under PS256 and a PSS one under RS256', () => {
    const ps = signed('PS256');
    const rs = signed('RS256');
    expect(signatureValid('RS256', rs.key.verifyKey, ps.input, ps.signature)).to.equal(false);
    expect(signatureValid('PS256', ps.key.verifyKey, rs.input, rs.signature)).to.equal(false);
  });
});
