import { expect } from 'chai';
import { keyRingOf } from '../../src/keys/key-ring';
import { MAX_UNSIGNED_CONTAINERS, parseUnsigned } from '../../src/shared/json';
import { type CommonClaimPolicy, verifyPolicyFor } from '../../src/token/trust';
import { verifyToken } from '../../src/token/verify';
import { forge, HS256_SECRET, hmac } from '../helpers/keys';

const now = 1_700_000_000;
const A = 'https://a.example.com';
const B = 'https://b.example.com';
const SECRET_B = `${HS256_SECRET}-of-issuer-b`;
const common: CommonClaimPolicy = { leeway: 0, maxLifetime: 86_400, requiredClaims: [] };
const ring = (secret: string) => keyRingOf([{ algorithm: 'HS256', secret }]);
const one = verifyPolicyFor([{ issuer: A, audience: ['api'], keys: ring(HS256_SECRET) }], common, 65_536);
const several = verifyPolicyFor(
  [
    { issuer: A, audience: ['api'], keys: ring(HS256_SECRET) },
    { issuer: B, audience: ['api'], keys: ring(SECRET_B) },
  ],
  common,
  65_536,
);
const claims = (extra: Record<string, unknown> = {}) => ({ sub: 'ann', iss: A, aud: 'api', exp: now + 60, ...extra });
const badSignature = () => 'c2lnbmF0dXJlLW9mLW5vYm9keQ';
/** Brackets nested `depth` deep: `[[[...]]]`, `depth` arrays. */
const nested = (depth: number) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);
/** `count` empty arrays side by side: `count` + 1 arrays, one level down. */
const side = (count: number) => Array.from({ length: count }, () => []);

/** How often `JSON.parse` runs while `run` does. */
function parses(run: () => unknown): number {
  const original = JSON.parse;
  let count = 0;
  JSON.parse = ((...args: Parameters<typeof JSON.parse>) => {
    count += 1;
    return original(...args);
  }) as typeof JSON.parse;
  try {
    run();
  } finally {
    JSON.parse = original;
  }
  return count;
}

describe('token/verify: the signature before the payload', () => {
  describe('one issuer: the header picks the key, the payload waits for the signature', () => {
    it('parses only the header of a token whose signature is bad, and not even that when it is the header the manager writes', () => {
      const ours = forge({ alg: 'HS256', typ: 'JWT' }, claims({ d: nested(2000) }), badSignature);
      const theirs = forge({ typ: 'JWT', alg: 'HS256' }, claims({ d: nested(2000) }), badSignature);
      for (const [token, count] of [
        [ours, 0],
        [theirs, 1],
      ] as const) {
        let checked: unknown;
        expect(parses(() => (checked = verifyToken(token, one, now)))).to.equal(count, 'the header at most');
        expect(checked).to.deep.equal({ ok: false, code: 'signature_invalid' });
      }
    });

    it('says signature_invalid, not token_malformed or issuer_invalid, whatever the payload holds', () => {
      for (const payload of ['not json at all', '[1,2,3]', claims({ iss: 'https://evil.example.com' })]) {
        const token = forge({ alg: 'HS256' }, payload, badSignature);
        expect(verifyToken(token, one, now), JSON.stringify(payload)).to.deep.equal({
          ok: false,
          code: 'signature_invalid',
        });
      }
    });

    it('checks iss with the other claims once the signature holds, and takes a signed payload of any shape', () => {
      const sign = (payload: unknown) => forge({ alg: 'HS256' }, payload, hmac(HS256_SECRET));
      expect(verifyToken(sign(claims({ iss: B })), one, now)).to.deep.equal({ ok: false, code: 'issuer_invalid' });
      expect(verifyToken(sign('not json'), one, now)).to.deep.equal({ ok: false, code: 'token_malformed' });
      expect(verifyToken(sign(claims({ d: nested(2000), e: side(1000) })), one, now).ok).to.equal(true);
    });
  });

  describe('several issuers: iss picks the key, so the payload read first is bounded', () => {
    it(`refuses a payload opening more than ${MAX_UNSIGNED_CONTAINERS} objects and arrays, before parsing it`, () => {
      // The payload object, `d` and its children: 1 + 1 + (MAX - 2) at the bound.
      const at = forge({ alg: 'HS256' }, claims({ d: side(MAX_UNSIGNED_CONTAINERS - 2) }), badSignature);
      const over = forge({ alg: 'HS256' }, claims({ d: side(MAX_UNSIGNED_CONTAINERS - 1) }), badSignature);
      const deep = forge({ alg: 'HS256' }, claims({ d: nested(2000) }), badSignature);
      expect(verifyToken(at, several, now)).to.deep.equal({ ok: false, code: 'signature_invalid' });
      for (const token of [over, deep]) {
        let checked: unknown;
        expect(parses(() => (checked = verifyToken(token, several, now)))).to.equal(1, 'the header only');
        expect(checked).to.deep.equal({ ok: false, code: 'token_malformed' });
      }
    });

    it("verifies each issuer's tokens holding what identity providers put in them", () => {
      const keycloak = {
        realm_access: { roles: ['user', 'admin'] },
        resource_access: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`client-${i}`, { roles: ['a'] }])),
        aud: ['api', 'account'],
        address: { country: 'NL' },
      };
      const fromA = forge({ alg: 'HS256' }, claims(keycloak), hmac(HS256_SECRET));
      const fromB = forge({ alg: 'HS256' }, claims({ ...keycloak, iss: B }), hmac(SECRET_B));
      expect(verifyToken(fromA, several, now).ok).to.equal(true);
      expect(verifyToken(fromB, several, now).ok).to.equal(true);
    });
  });

  it('bounds the header the same way, on every path', () => {
    const header = { alg: 'HS256', x: side(MAX_UNSIGNED_CONTAINERS) };
    for (const policy of [one, several]) {
      expect(verifyToken(forge(header, claims(), hmac(HS256_SECRET)), policy, now)).to.deep.equal({
        ok: false,
        code: 'token_malformed',
      });
    }
  });

  describe('parseUnsigned', () => {
    it('parses JSON up to the bound, counting brackets inside strings too, and refuses beyond it or non-JSON', () => {
      const brackets = (n: number) => `{"s":"${'['.repeat(n)}"}`;
      expect(parseUnsigned(brackets(MAX_UNSIGNED_CONTAINERS - 1))).to.deep.equal({
        s: '['.repeat(MAX_UNSIGNED_CONTAINERS - 1),
      });
      expect(parseUnsigned(brackets(MAX_UNSIGNED_CONTAINERS))).to.equal(undefined);
      expect(parseUnsigned(`${'{"a":'.repeat(300)}1${'}'.repeat(300)}`)).to.equal(undefined);
      expect(parseUnsigned('{"a":')).to.equal(undefined);
      expect(parseUnsigned('{"a":[1,{"b":2}]}')).to.deep.equal({ a: [1, { b: 2 }] });
    });
  });
});
