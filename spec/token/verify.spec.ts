import { expect } from 'chai';
import { grantsScopes } from '../../src/token/claims';
import { loadSigningKey } from '../../src/token/keys';
import { signToken } from '../../src/token/sign';
import { verifyToken } from '../../src/token/verify';
import { forge, HS256_SECRET, hmac, keyPair } from '../helpers/keys';

describe('token/verify: verifyToken', () => {
  const now = 1_700_000_000;
  const key = loadSigningKey(HS256_SECRET, 'HS256');
  const policy = { key, leeway: 0 };
  const claims = { sub: 'u', iat: now, exp: now + 60 };

  it('returns the payload of a token it signed', () => {
    expect(verifyToken(signToken(claims, key), policy, now)).to.deep.equal({ ok: true, value: claims });
  });

  it('treats exp as the first second the token is invalid', () => {
    const token = signToken(claims, key);
    expect(verifyToken(token, policy, now + 59).ok).to.equal(true);
    expect(verifyToken(token, policy, now + 60)).to.deep.equal({ ok: false, code: 'token_expired' });
  });

  it('accepts nbf once it is reached', () => {
    const token = signToken({ ...claims, nbf: now + 10 }, key);
    expect(verifyToken(token, policy, now + 9)).to.deep.equal({ ok: false, code: 'token_not_yet_valid' });
    expect(verifyToken(token, policy, now + 10).ok).to.equal(true);
  });

  it('names the claim that is invalid', () => {
    expect(verifyToken(signToken({ sub: 'u' }, key), policy, now)).to.deep.equal({
      ok: false,
      code: 'claim_invalid',
      claim: 'exp',
    });
    expect(verifyToken(signToken({ exp: now + 1 }, key), policy, now)).to.deep.equal({
      ok: false,
      code: 'claim_invalid',
      claim: 'sub',
    });
  });

  it('verifies with the algorithm of the key only', () => {
    const rs = loadSigningKey(keyPair('rsa').privatePem, 'RS256');
    const rsToken = signToken(claims, rs);
    expect(verifyToken(rsToken, { key: rs, leeway: 0 }, now).ok).to.equal(true);
    expect(verifyToken(rsToken, policy, now)).to.deep.equal({ ok: false, code: 'algorithm_not_allowed' });
    const confused = forge({ alg: 'HS256' }, claims, hmac(keyPair('rsa').publicPem));
    expect(verifyToken(confused, { key: rs, leeway: 0 }, now)).to.deep.equal({
      ok: false,
      code: 'algorithm_not_allowed',
    });
  });

  it('leaves a payload with __proto__ or constructor keys as plain data', () => {
    const token = forge(
      { alg: 'HS256' },
      JSON.parse(`{"sub":"u","exp":${now + 60},"__proto__":{"polluted":true}}`),
      hmac(HS256_SECRET),
    );
    const result = verifyToken(token, policy, now);
    expect(result.ok).to.equal(true);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });
});

describe('token/claims: grantsScopes', () => {
  const payload = { sub: 'u', exp: 1, scopes: ['a', 'b'] };
  it('needs every required scope, ignores extra ones, passes []', () => {
    expect(grantsScopes(payload, ['a'])).to.equal(true);
    expect(grantsScopes(payload, ['b', 'a'])).to.equal(true);
    expect(grantsScopes(payload, ['a', 'c'])).to.equal(false);
    expect(grantsScopes(payload, [])).to.equal(true);
    expect(grantsScopes({ sub: 'u', exp: 1 }, ['a'])).to.equal(false);
    expect(grantsScopes({ sub: 'u', exp: 1 }, [])).to.equal(true);
  });
});
