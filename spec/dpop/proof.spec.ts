import { generateKeyPairSync } from 'node:crypto';
import { expect } from 'chai';
import { calculateThumbprint } from 'dpop';
import fc from 'fast-check';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import { HmacNonces, MemoryReplayCache, type ProofRequest, proofSettings, verifyProof } from '../../src/dpop';
import { alteredProof, type DpopClient, decodeProof, dpopClient, forgeProof, signAs } from '../helpers/dpop';
import { keyPair } from '../helpers/keys';

const URL = 'https://api.example.com/orders';
const TOKEN = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJl';
const settingsWith = (extra: Record<string, unknown> = {}) =>
  proofSettings({ replay: new MemoryReplayCache(), ...extra });
/** The request a proof was made for, at the proof's own `iat` (plus `later` ms). */
const requestFor = (proof: string, extra: Partial<ProofRequest> = {}, later = 0): ProofRequest => ({
  method: 'GET',
  url: URL,
  now: (decodeProof(proof).claims.iat as number) * 1000 + later,
  ...extra,
});
const check = async (proof: unknown, request: ProofRequest, settings = settingsWith()) =>
  verifyProof(proof, request, settings);
const detailOf = async (proof: string, extra: Partial<ProofRequest> = {}, settings = settingsWith()) => {
  const result = await check(proof, requestFor(proof, extra), settings);
  return result.ok ? 'ok' : result.detail;
};

describe('dpop/proof: verifyProof (RFC 9449 §4.3), with proofs from the dpop client library', () => {
  let es256: DpopClient;
  let other: DpopClient;
  before(async () => {
    es256 = await dpopClient('ES256');
    other = await dpopClient('ES256');
  });

  for (const alg of ['ES256', 'Ed25519', 'RS256', 'PS256'] as const) {
    it(`accepts a ${alg} proof, its jkt the thumbprint dpop and jose compute`, async () => {
      const client = await dpopClient(alg);
      const proof = await client.proof(URL, 'GET');
      const result = await check(proof, requestFor(proof));
      expect(result).to.include({ ok: true, alg });
      const jkt = (result as { jkt: string }).jkt;
      expect(jkt).to.equal(await calculateThumbprint(client.keys.publicKey));
      expect(jkt).to.equal(await calculateJwkThumbprint(await exportJWK(client.keys.publicKey), 'sha256'));
    });
  }

  it('accepts alg EdDSA (the older name) for an Ed25519 key', async () => {
    const { privateKey, publicKey } = keyPair('ed25519');
    const proof = forgeProof(
      { typ: 'dpop+jwt', alg: 'EdDSA', jwk: publicKey.export({ format: 'jwk' }) },
      { jti: 'j-eddsa', htm: 'GET', htu: URL, iat: Math.floor(Date.now() / 1000) },
      signAs('EdDSA', privateKey),
    );
    expect(await detailOf(proof)).to.equal('ok');
  });

  it('refuses a wrong htm (another method; methods are case-sensitive)', async () => {
    const proof = await es256.proof(URL, 'POST');
    expect(await detailOf(proof)).to.equal('htm_mismatch');
    expect(await detailOf(proof, { method: 'post' })).to.equal('htm_mismatch');
    expect(await detailOf(proof, { method: 'POST' })).to.equal('ok');
  });

  it('refuses a wrong htu: another path, host, scheme or port', async () => {
    for (const htu of [
      'https://api.example.com/orders/1',
      'https://api.example.com/Orders',
      'https://evil.example.com/orders',
      'http://api.example.com/orders',
      'https://api.example.com:8443/orders',
      'urn:x:orders',
      'not a url',
    ]) {
      expect(await detailOf(await es256.proof(htu, 'GET')), htu).to.equal('htu_mismatch');
    }
  });

  it('compares htu as RFC 3986 §6 normalises it, query and fragment ignored', async () => {
    const request = { url: 'https://api.example.com/users/~me/orders?page=2' };
    for (const htu of [
      'https://api.example.com/users/~me/orders',
      'HTTPS://API.Example.COM:443/users/%7Eme/orders',
      'https://api.example.com/users/%7eme/./orders',
      'https://api.example.com/users/~me/orders?page=1#top',
    ]) {
      expect(await detailOf(await es256.proof(htu, 'GET'), request), htu).to.equal('ok');
    }
  });

  it('refuses a replayed proof (the same jti of the same key), and only records proofs otherwise good', async () => {
    const settings = settingsWith();
    const proof = await es256.proof(URL, 'GET');
    expect(await detailOf(proof, { url: 'https://api.example.com/other' }, settings)).to.equal('htu_mismatch');
    expect(await detailOf(proof, {}, settings)).to.equal('ok');
    expect(await detailOf(proof, {}, settings)).to.equal('jti_replayed');
    // Another key may use the same jti: ids are per key.
    const { jti } = decodeProof(proof).claims;
    const same = alteredProof(other, await other.proof(URL, 'GET'), ({ claims }) => {
      claims.jti = jti;
    });
    expect(await detailOf(same, {}, settings)).to.equal('ok');
  });

  it('refuses an old iat and one in the future, beyond maxAge plus the leeway', async () => {
    const proof = await es256.proof(URL, 'GET');
    expect(await detailOf(proof, {}, settingsWith())).to.equal('ok');
    expect(await detailOf(proof, requestFor(proof, {}, 60_001))).to.equal('iat_outside_window');
    expect(await detailOf(proof, requestFor(proof, {}, -60_001))).to.equal('iat_outside_window');
    expect(await detailOf(proof, requestFor(proof, {}, 60_000))).to.equal('ok');
    expect(await detailOf(proof, requestFor(proof, {}, 64_000), settingsWith({ leeway: 5 }))).to.equal('ok');
    expect(await detailOf(proof, requestFor(proof, {}, 11_000), settingsWith({ maxAge: 10 }))).to.equal(
      'iat_outside_window',
    );
  });

  it('checks ath against the access token presented, and refuses a proof without one', async () => {
    const withAth = await es256.proof(URL, 'GET', { accessToken: TOKEN });
    expect(await detailOf(withAth, { accessToken: TOKEN })).to.equal('ok');
    expect(
      await detailOf(await es256.proof(URL, 'GET', { accessToken: TOKEN }), { accessToken: `${TOKEN}x` }),
    ).to.equal('ath_mismatch');
    expect(await detailOf(await es256.proof(URL, 'GET'), { accessToken: TOKEN })).to.equal('ath_mismatch');
    // At the token endpoint there is no access token: ath is not checked.
    expect(await detailOf(await es256.proof(URL, 'GET', { accessToken: TOKEN }))).to.equal('ok');
  });

  it('refuses a proof signed by another key than its jwk, and one by another key than cnf.jkt', async () => {
    const proof = await es256.proof(URL, 'GET');
    const otherJwk = decodeProof(await other.proof(URL, 'GET')).header.jwk;
    const swapped = alteredProof(es256, proof, ({ header }) => {
      header.jwk = otherJwk;
    });
    expect(await detailOf(swapped)).to.equal('signature_invalid');
    const ownJkt = await calculateThumbprint(es256.keys.publicKey);
    expect(await detailOf(await es256.proof(URL, 'GET'), { boundTo: ownJkt })).to.equal('ok');
    const otherJkt = await calculateThumbprint(other.keys.publicKey);
    expect(await detailOf(await es256.proof(URL, 'GET'), { boundTo: otherJkt })).to.equal('key_mismatch');
  });

  it('refuses a symmetric alg (HS256 with an oct jwk) and none, whatever the signature', async () => {
    const secret = Buffer.alloc(32, 7);
    const claims = { jti: 'j-hs', htm: 'GET', htu: URL, iat: Math.floor(Date.now() / 1000) };
    const hs = forgeProof(
      { typ: 'dpop+jwt', alg: 'HS256', jwk: { kty: 'oct', k: secret.toString('base64url') } },
      claims,
      signAs('HS256', secret),
    );
    expect(await detailOf(hs)).to.equal('algorithm_not_allowed');
    const jwk = decodeProof(await es256.proof(URL, 'GET')).header.jwk;
    expect(await detailOf(forgeProof({ typ: 'dpop+jwt', alg: 'none', jwk }, claims, () => 'AAAA'))).to.equal(
      'algorithm_not_allowed',
    );
    expect(await detailOf(forgeProof({ typ: 'dpop+jwt', alg: 'none', jwk }, claims))).to.equal('proof_malformed');
    expect(await detailOf(forgeProof({ typ: 'dpop+jwt', alg: 'ES256', jwk }, claims))).to.equal('proof_malformed');
  });

  it('refuses an alg not in the configured list', async () => {
    const proof = await (await dpopClient('RS256')).proof(URL, 'GET');
    expect(await detailOf(proof, {}, settingsWith({ algorithms: ['ES256'] }))).to.equal('algorithm_not_allowed');
  });

  it('refuses a jwk holding private key members, even when the proof is signed by that key', async () => {
    const privateJwk = es256.privateKey.export({ format: 'jwk' });
    const proof = alteredProof(es256, await es256.proof(URL, 'GET'), ({ header }) => {
      header.jwk = privateJwk;
    });
    expect(await detailOf(proof)).to.equal('jwk_private');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const { d: _d, ...rsaWithPrimes } = rsa.export({ format: 'jwk' });
    const primes = forgeProof(
      { typ: 'dpop+jwt', alg: 'RS256', jwk: rsaWithPrimes },
      { jti: 'j-rsa', htm: 'GET', htu: URL, iat: Math.floor(Date.now() / 1000) },
      signAs('RS256', rsa),
    );
    expect(await detailOf(primes)).to.equal('jwk_private');
  });

  it('refuses a jwk that does not fit alg: another curve, another type, weak RSA, none at all', async () => {
    const claims = { jti: 'j', htm: 'GET', htu: URL, iat: Math.floor(Date.now() / 1000) };
    const cases: Array<[string, Record<string, unknown> | undefined, (input: string) => string]> = [
      ['ES256', keyPair('p384').publicKey.export({ format: 'jwk' }), signAs('ES256', keyPair('p384').privateKey)],
      ['RS256', keyPair('p256').publicKey.export({ format: 'jwk' }), signAs('ES256', keyPair('p256').privateKey)],
      ['RS256', keyPair('rsa1024').publicKey.export({ format: 'jwk' }), signAs('RS256', keyPair('rsa1024').privateKey)],
      ['EdDSA', keyPair('ed448').publicKey.export({ format: 'jwk' }), signAs('EdDSA', keyPair('ed448').privateKey)],
      ['ES256', undefined, signAs('ES256', keyPair('p256').privateKey)],
      ['ES256', { kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA' }, signAs('ES256', keyPair('p256').privateKey)],
    ];
    for (const [alg, jwk, signer] of cases) {
      expect(await detailOf(forgeProof({ typ: 'dpop+jwt', alg, jwk }, claims, signer)), `${alg} ${jwk?.crv}`).to.equal(
        'jwk_invalid',
      );
    }
  });

  it('refuses typ other than dpop+jwt, and crit; takes application/dpop+jwt in any case', async () => {
    const proof = await es256.proof(URL, 'GET');
    const withTyp = (typ: unknown) =>
      alteredProof(es256, proof, ({ header }) => {
        header.typ = typ;
      });
    expect(await detailOf(withTyp('JWT'))).to.equal('typ_invalid');
    expect(await detailOf(withTyp(undefined))).to.equal('typ_invalid');
    expect(await detailOf(withTyp('application/DPoP+JWT'))).to.equal('ok');
    const crit = alteredProof(es256, proof, ({ header }) => {
      header.crit = ['exp'];
    });
    expect(await detailOf(crit)).to.equal('typ_invalid');
  });

  it('refuses a proof without jti, htm, htu or iat, or with one of the wrong type', async () => {
    const proof = await es256.proof(URL, 'GET');
    for (const [claim, value] of [
      ['jti', undefined],
      ['jti', ''],
      ['htm', undefined],
      ['htu', 42],
      ['iat', '1700000000'],
      ['iat', undefined],
    ] as const) {
      const altered = alteredProof(es256, proof, ({ claims }) => {
        claims[claim] = value;
      });
      expect(await detailOf(altered, { now: Date.now() }), `${claim}=${value}`).to.equal('claim_invalid');
    }
  });

  it('refuses a proof longer than maxLength before decoding it', async () => {
    const padded = await es256.proof(URL, 'GET', { extra: { pad: 'x'.repeat(5000) } });
    expect(padded.length).to.be.greaterThan(4096);
    expect(await detailOf(padded)).to.equal('proof_too_long');
    expect(await detailOf(padded, {}, settingsWith({ maxLength: 16_384 }))).to.equal('ok');
    const huge = `${'a'.repeat(1_000_000)}.b.c`;
    expect(((await check(huge, requestFor(padded))) as { detail: string }).detail).to.equal('proof_too_long');
  });

  it('takes exactly one header value: none, several (an array) or a non-string are refused, never thrown', async () => {
    const proof = await es256.proof(URL, 'GET');
    const request = requestFor(proof);
    expect(await check(undefined, request)).to.deep.equal({
      ok: false,
      error: 'invalid_dpop_proof',
      detail: 'proof_missing',
    });
    for (const value of [[proof, proof], [proof], 42, null, {}, '', 'a.b', 'a.b.c', `${proof}.x`]) {
      expect(await check(value, request), JSON.stringify(value)).to.include({ ok: false, error: 'invalid_dpop_proof' });
    }
  });

  it('never throws and never accepts random or mutated input', async () => {
    const proof = await es256.proof(URL, 'GET');
    const request = requestFor(proof);
    const settings = settingsWith();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc
            .nat({ max: proof.length - 1 })
            .chain((at) =>
              fc.constantFrom(...'AQgz-_.{"'.split('')).map((char) => proof.slice(0, at) + char + proof.slice(at + 1)),
            ),
        ),
        async (input) => {
          if (input === proof) return;
          const result = await verifyProof(input, request, settings);
          expect(result.ok, input).to.equal(false);
        },
      ),
      { numRuns: 300, seed: 9449 },
    );
  });

  describe('server nonces (RFC 9449 §8)', () => {
    const nonces = new HmacNonces({ secret: 'a-nonce-secret-of-at-least-32-bytes!!', lifetime: 300 });
    const withNonces = () => settingsWith({ nonces });

    it('answers use_dpop_nonce with a fresh nonce to a proof without one, then accepts the retry that carries it', async () => {
      const first = await es256.proof(URL, 'GET');
      const refused = await check(first, requestFor(first), withNonces());
      expect(refused).to.deep.equal({
        ok: false,
        error: 'use_dpop_nonce',
        detail: 'nonce_invalid',
        nonce: nonces.current(requestFor(first).now),
      });
      const retry = await es256.proof(URL, 'GET', { nonce: (refused as { nonce: string }).nonce });
      expect(await detailOf(retry, {}, withNonces())).to.equal('ok');
    });

    it('refuses a stale, forged or foreign nonce', async () => {
      const now = Date.now();
      const foreign = new HmacNonces({ secret: 'another-secret-of-at-least-32-bytes!!!' });
      for (const nonce of [nonces.current(now - 600_000), 'x', `${nonces.current(now)}x`, foreign.current(now)]) {
        const proof = await es256.proof(URL, 'GET', { nonce });
        const result = await check(proof, requestFor(proof), withNonces());
        expect(result, nonce).to.include({ ok: false, error: 'use_dpop_nonce' });
      }
    });
  });

  describe('replay caches that answer later', () => {
    it('waits for a promise, and rejects when the cache does (fail closed)', async () => {
      const slow = { firstUse: async () => true };
      const proof = await es256.proof(URL, 'GET');
      const pending = verifyProof(proof, requestFor(proof), proofSettings({ replay: slow }));
      expect(pending).to.be.instanceOf(Promise);
      expect(await pending).to.include({ ok: true });
      const down = { firstUse: () => Promise.reject(new Error('store down')) };
      let failure: unknown;
      await Promise.resolve(verifyProof(proof, requestFor(proof), proofSettings({ replay: down }))).catch((error) => {
        failure = error;
      });
      expect(failure).to.be.instanceOf(Error);
    });

    it('is synchronous with the memory cache', async () => {
      const proof = await es256.proof(URL, 'GET');
      expect(verifyProof(proof, requestFor(proof), settingsWith())).to.include({ ok: true });
    });
  });
});
