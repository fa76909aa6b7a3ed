import { generateKeyPairSync } from 'node:crypto';
import { expect } from 'chai';
import { readJwks } from '../../src/keys/jwk-set';
import { keyPair } from '../helpers/keys';

const rsaJwk = (extra: Record<string, unknown> = {}) => ({
  ...keyPair('rsa').publicKey.export({ format: 'jwk' }),
  kid: 'r1',
  ...extra,
});
const ecJwk = (extra: Record<string, unknown> = {}) => ({
  ...keyPair('p256').publicKey.export({ format: 'jwk' }),
  kid: 'e1',
  ...extra,
});
const okpJwk = (kind: 'ed25519' | 'ed448', extra: Record<string, unknown> = {}) => ({
  ...keyPair(kind).publicKey.export({ format: 'jwk' }),
  kid: kind,
  ...extra,
});
const found = (jwks: unknown, algorithms: string[], alg: string, kid: unknown) => {
  const key = readJwks(jwks, algorithms as never).find(alg as never, kid);
  return typeof key === 'object' ? key.algorithm : key;
};

describe('keys/jwk-set: readJwks', () => {
  it("pins a key to its own alg, and refuses the token's other algorithms for it", () => {
    const set = { keys: [rsaJwk({ alg: 'RS256' })] };
    expect(found(set, ['RS256', 'PS256'], 'RS256', 'r1')).to.equal('RS256');
    expect(found(set, ['RS256', 'PS256'], 'PS256', 'r1')).to.equal('wrong_algorithm');
    expect(found(set, ['RS256'], 'RS256', 'other')).to.equal(undefined);
  });

  it('lets a key without alg verify each configured algorithm of its family only', () => {
    const set = { keys: [rsaJwk(), ecJwk()] };
    expect(found(set, ['RS256', 'PS256', 'ES256'], 'PS256', 'r1')).to.equal('PS256');
    expect(found(set, ['RS256', 'PS256', 'ES256'], 'ES256', 'r1')).to.equal('wrong_algorithm');
    expect(found(set, ['RS256', 'ES256'], 'ES256', 'e1')).to.equal('ES256');
    expect(found(set, ['RS256', 'ES384'], 'ES384', 'e1')).to.equal(undefined); // a P-256 key never does ES384
  });

  it('skips keys for another use, without verify in key_ops, with an alg not configured, symmetric or private', () => {
    const { d } = keyPair('rsa').privateKey.export({ format: 'jwk' });
    const set = {
      keys: [
        rsaJwk({ kid: 'enc', use: 'enc', alg: 'RSA-OAEP' }),
        rsaJwk({ kid: 'ops', key_ops: ['encrypt'] }),
        rsaJwk({ kid: 'ops-ok', key_ops: ['verify'] }),
        rsaJwk({ kid: 'es', alg: 'ES256' }),
        rsaJwk({ kid: 'ps', alg: 'PS256' }),
        { kty: 'oct', k: 'c2VjcmV0LXRoYXQtaXMtYXQtbGVhc3QtMzItYnl0ZXMtbG9uZw', kid: 'oct' },
        rsaJwk({ kid: 'private', d }),
        rsaJwk({ kid: 'weak', ...keyPair('rsa1024').publicKey.export({ format: 'jwk' }) }),
        rsaJwk({ kid: 7 }),
        'not a key',
      ],
    };
    for (const kid of ['enc', 'ops', 'es', 'ps', 'oct', 'private', 'weak', 7]) {
      expect(found(set, ['RS256'], 'RS256', kid), String(kid)).to.equal(undefined);
    }
    expect(found(set, ['RS256'], 'RS256', 'ops-ok')).to.equal('RS256');
  });

  it('ignores x5c and x5t: the key is n and e', () => {
    const set = { keys: [rsaJwk({ x5c: ['bm90IGEgY2VydGlmaWNhdGU='], x5t: 'bm9uZQ' })] };
    expect(found(set, ['RS256'], 'RS256', 'r1')).to.equal('RS256');
  });

  it('lets the one key of a set without kid verify whatever kid a token names', () => {
    const { kid: _kid, ...unnamed } = rsaJwk();
    expect(found({ keys: [unnamed] }, ['RS256'], 'RS256', 'anything')).to.equal('RS256');
    expect(found({ keys: [unnamed, ecJwk()] }, ['RS256', 'ES256'], 'RS256', 'anything')).to.equal(undefined);
    expect(found({ keys: [unnamed, ecJwk()] }, ['RS256', 'ES256'], 'RS256', undefined)).to.equal('RS256');
  });

  it('throws, saying why, for what is not a JWK Set or has no usable key', () => {
    for (const document of [null, [], 'keys', { keys: {} }, { keys: 'k' }]) {
      expect(() => readJwks(document, ['RS256']), JSON.stringify(document)).to.throw(/not a JWK Set/);
    }
    expect(() => readJwks({ keys: [] }, ['RS256'])).to.throw(/none of its 0 keys can verify RS256/);
    expect(() => readJwks({ keys: [ecJwk()] }, ['RS256'])).to.throw(/none of its 1 keys/);
  });

  it('reads Ed25519 keys (kty OKP) for EdDSA, with alg or without, and for no other algorithm', () => {
    const set = { keys: [okpJwk('ed25519', { kid: 'named', alg: 'EdDSA' }), okpJwk('ed25519'), rsaJwk()] };
    expect(found(set, ['EdDSA', 'RS256'], 'EdDSA', 'named')).to.equal('EdDSA');
    expect(found(set, ['EdDSA', 'RS256'], 'EdDSA', 'ed25519')).to.equal('EdDSA');
    expect(found(set, ['EdDSA', 'RS256'], 'RS256', 'ed25519')).to.equal('wrong_algorithm');
    expect(found(set, ['EdDSA', 'RS256'], 'EdDSA', 'r1')).to.equal('wrong_algorithm');
    expect(found(set, ['RS256'], 'EdDSA', 'ed25519')).to.equal(undefined); // EdDSA not configured
  });

  it('skips OKP keys that are not Ed25519 (Ed448, X25519) and types it does not know', () => {
    const x25519 = generateKeyPairSync('x25519').publicKey.export({ format: 'jwk' });
    const set = {
      keys: [
        okpJwk('ed448'),
        okpJwk('ed448', { kid: 'ed448-alg', alg: 'EdDSA' }),
        { ...x25519, kid: 'x' },
        { kty: 'constructor', kid: 'proto' },
        okpJwk('ed25519'),
      ],
    };
    for (const kid of ['ed448', 'ed448-alg', 'x', 'proto']) {
      expect(found(set, ['EdDSA'], 'EdDSA', kid), kid).to.equal(undefined);
    }
    expect(() => readJwks({ keys: [okpJwk('ed448')] }, ['EdDSA'])).to.throw(/none of its 1 keys can verify EdDSA/);
  });
});
