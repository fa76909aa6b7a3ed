import { verify } from 'node:crypto';
import { expect } from 'chai';
import { importSPKI, jwtVerify } from 'jose';
import jwt from 'jsonwebtoken';
import { ALGORITHMS, type Algorithm } from '../../src/keys/algorithms';
import { loadSigningKey } from '../../src/keys/material';
import { signatureValid } from '../../src/keys/signature';
import type { RingKey } from '../../src/keys/source';
import { signToken } from '../../src/token/sign';
import { HS256_SECRET, keyPair } from '../helpers/keys';

const CURVES: Partial<Record<Algorithm, 'p256' | 'p384' | 'p521' | 'ed25519'>> = {
  ES256: 'p256',
  ES384: 'p384',
  ES512: 'p521',
  EdDSA: 'ed25519',
};
const secretFor = (algorithm: Algorithm) =>
  algorithm.startsWith('HS') ? HS256_SECRET.repeat(2) : keyPair(CURVES[algorithm] ?? 'rsa').privatePem;
const ringKey = (algorithm: Algorithm, kid?: string) => {
  const key = loadSigningKey(secretFor(algorithm), algorithm);
  return { kid, ...key } satisfies RingKey;
};
const claims = { sub: 'ada', iat: 1_900_000_000.123, exp: 1_900_000_900, jti: 'j', type: 'access' };
const parts = (token: string) => token.split('.') as [string, string, string];
const decoded = (segment: string) => JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));

describe('token/sign: signToken (node:crypto, one signer for every algorithm)', () => {
  for (const algorithm of ALGORITHMS) {
    it(`${algorithm}: signs what signatureValid accepts, header {alg, typ, kid} in that order`, () => {
      const key = ringKey(algorithm, 'k1');
      const token = signToken(claims, key);
      const [header, payload, signature] = parts(token);
      expect(Buffer.from(header, 'base64url').toString()).to.equal(`{"alg":"${algorithm}","typ":"JWT","kid":"k1"}`);
      expect(decoded(payload)).to.deep.equal(claims);
      expect(signatureValid(algorithm, key.verifyKey, `${header}.${payload}`, signature)).to.equal(true);
    });
  }

  it('leaves kid out for a key without one, and writes the typ it is given', () => {
    const [header] = parts(signToken(claims, ringKey('ES256'), 'at+jwt'));
    expect(Buffer.from(header, 'base64url').toString()).to.equal('{"alg":"ES256","typ":"at+jwt"}');
  });

  for (const algorithm of ['HS256', 'HS512', 'RS256', 'RS512'] as const) {
    it(`${algorithm}: the same string jsonwebtoken signs (deterministic algorithms), with and without kid`, () => {
      for (const kid of ['k1', undefined]) {
        const key = ringKey(algorithm, kid);
        const theirs = jwt.sign(claims, key.signKey, { algorithm, ...(kid ? { keyid: kid } : {}) });
        expect(signToken(claims, key)).to.equal(theirs);
      }
    });
  }

  for (const algorithm of ['PS256', 'ES256', 'ES512'] as const) {
    it(`${algorithm}: jsonwebtoken verifies what we sign (randomised signatures)`, () => {
      const key = ringKey(algorithm, 'k1');
      const verified = jwt.verify(signToken(claims, key), key.verifyKey, {
        algorithms: [algorithm],
        ignoreExpiration: true,
      });
      expect(verified).to.deep.equal(claims);
    });
  }

  describe('EdDSA interop', () => {
    const key = ringKey('EdDSA', 'ed');

    it('verifies with plain node:crypto (Ed25519 over the first two segments)', () => {
      const [header, payload, signature] = parts(signToken(claims, key));
      const input = Buffer.from(`${header}.${payload}`);
      expect(verify(null, input, keyPair('ed25519').publicKey, Buffer.from(signature, 'base64url'))).to.equal(true);
      expect(Buffer.from(signature, 'base64url')).to.have.length(64);
    });

    it('verifies with jose, as EdDSA', async () => {
      const publicKey = await importSPKI(keyPair('ed25519').publicPem, 'EdDSA');
      const { payload, protectedHeader } = await jwtVerify(signToken(claims, key), publicKey, {
        algorithms: ['EdDSA'],
        currentDate: new Date(1_900_000_000_000),
      });
      expect(protectedHeader).to.deep.equal({ alg: 'EdDSA', typ: 'JWT', kid: 'ed' });
      expect(payload).to.deep.equal(claims);
    });

    it('is deterministic (RFC 8032): the same claims sign to the same token', () => {
      expect(signToken(claims, key)).to.equal(signToken(claims, key));
    });
  });
});
