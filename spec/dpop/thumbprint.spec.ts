import { createPublicKey } from 'node:crypto';
import { expect } from 'chai';
import { calculateJwkThumbprint } from 'jose';
import { jwkThumbprint } from '../../src/dpop/thumbprint';
import { keyPair } from '../helpers/keys';

/** The example key of RFC 7638 §3.1 and its thumbprint. */
const RFC_7638_KEY = {
  kty: 'RSA',
  n:
    '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn6' +
    '4tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n9' +
    '1CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
  e: 'AQAB',
  alg: 'RS256',
  kid: '2011-04-29',
};

describe('dpop/thumbprint: jwkThumbprint (RFC 7638, SHA-256)', () => {
  it('gives the thumbprint of RFC 7638 §3.1', () => {
    const key = createPublicKey({ key: RFC_7638_KEY, format: 'jwk' });
    expect(jwkThumbprint(key)).to.equal('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });

  it('agrees with jose for EC, OKP and RSA keys', async () => {
    for (const kind of ['p256', 'p384', 'ed25519', 'rsa'] as const) {
      const { publicKey } = keyPair(kind);
      const jwk = publicKey.export({ format: 'jwk' });
      expect(jwkThumbprint(publicKey), kind).to.equal(await calculateJwkThumbprint(jwk as never, 'sha256'));
    }
  });

  it('depends on the key only: the same for a private key, and for a JWK with extra members', () => {
    const { publicKey, privateKey } = keyPair('p256');
    const spelled = createPublicKey({
      key: { ...publicKey.export({ format: 'jwk' }), kid: 'x', use: 'sig' },
      format: 'jwk',
    });
    expect(jwkThumbprint(privateKey)).to.equal(jwkThumbprint(publicKey));
    expect(jwkThumbprint(spelled)).to.equal(jwkThumbprint(publicKey));
    expect(jwkThumbprint(keyPair('p384').publicKey)).not.to.equal(jwkThumbprint(publicKey));
  });
});
