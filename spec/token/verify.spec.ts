import { expect } from 'chai';
import { singleKeyRing } from '../../src/keys/key-ring';
import { type ClaimPolicy, checkClaims, grantsScopes } from '../../src/token/claims';
import { signToken } from '../../src/token/sign';
import type { VerifyPolicy } from '../../src/token/trust';
import { verifyToken } from '../../src/token/verify';
import { forge, HS256_SECRET, hmac, keyPair } from '../helpers/keys';

const now = 1_700_000_000;
const base: ClaimPolicy = { leeway: 0, maxLifetime: 86_400, requiredClaims: [] };
const claims = { sub: 'u', iat: now, exp: now + 60 };

describe('token/verify: verifyToken', () => {
  const ring = singleKeyRing(HS256_SECRET, 'HS256');
  const signer = ring.signer as NonNullable<typeof ring.signer> & { signKey: NonNullable<unknown> };
  const policy: VerifyPolicy = { ...base, keys: ring, maxTokenLength: 8192 };
  const sign = (payload: object) => signToken(payload as Record<string, unknown>, signer as never);

  it('returns the payload of a token it signed', () => {
    expect(verifyToken(sign(claims), policy, now)).to.deep.equal({ ok: true, value: claims });
  });

  it('treats exp as the first second the token is invalid', () => {
    const token = sign(claims);
    expect(verifyToken(token, policy, now + 59.999).ok).to.equal(true);
    expect(verifyToken(token, policy, now + 60)).to.deep.equal({ ok: false, code: 'token_expired' });
  });

  it('refuses a token longer than maxTokenLength before decoding it', () => {
    const token = sign(claims);
    expect(verifyToken(token, { ...policy, maxTokenLength: token.length }, now).ok).to.equal(true);
    expect(verifyToken(token, { ...policy, maxTokenLength: token.length - 1 }, now)).to.deep.equal({
      ok: false,
      code: 'token_too_long',
    });
  });

  it('verifies with the algorithm of the key only', () => {
    const rsRing = singleKeyRing(keyPair('rsa').privatePem, 'RS256');
    const rsPolicy = { ...policy, keys: rsRing };
    const rsToken = signToken(claims, rsRing.signer as never);
    expect(verifyToken(rsToken, rsPolicy, now).ok).to.equal(true);
    expect(verifyToken(rsToken, policy, now)).to.deep.equal({ ok: false, code: 'algorithm_not_allowed' });
    const confused = forge({ alg: 'HS256' }, claims, hmac(keyPair('rsa').publicPem));
    expect(verifyToken(confused, rsPolicy, now)).to.deep.equal({ ok: false, code: 'algorithm_not_allowed' });
  });

  it('refuses crit, a typ that is not a JWT, and a non-string kid', () => {
    const withHeader = (header: object) => forge({ alg: 'HS256', ...header }, claims, hmac(HS256_SECRET));
    expect(verifyToken(withHeader({ crit: ['exp'] }), policy, now)).to.deep.include({ code: 'token_malformed' });
    for (const typ of ['JOSE', 'id+jwt', 42, '']) {
      expect(verifyToken(withHeader({ typ }), policy, now), String(typ)).to.deep.include({ code: 'token_malformed' });
    }
    for (const typ of ['JWT', 'jwt', 'at+jwt', 'application/at+JWT']) {
      expect(verifyToken(withHeader({ typ }), policy, now).ok, typ).to.equal(true);
    }
    expect(verifyToken(withHeader({ kid: 7 }), policy, now)).to.deep.include({ code: 'token_malformed' });
    expect(verifyToken(withHeader({ kid: 'ignored' }), policy, now).ok).to.equal(true);
  });

  it('leaves a payload with __proto__ or constructor keys as plain data', () => {
    const raw = `{"sub":"u","exp":${now + 60},"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}`;
    const token = forge({ alg: 'HS256' }, JSON.parse(raw), hmac(HS256_SECRET));
    expect(verifyToken(token, policy, now).ok).to.equal(true);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    expect((Object.prototype as Record<string, unknown>).polluted).to.equal(undefined);
  });
});

describe('token/claims: checkClaims', () => {
  const check = (payload: object, policy: Partial<ClaimPolicy> = {}, at = now) =>
    checkClaims(payload, at, { ...base, ...policy });

  it('names the claim that is invalid', () => {
    expect(check({ sub: 'u' })).to.deep.equal({ ok: false, code: 'claim_invalid', claim: 'exp' });
    expect(check({ exp: now + 1 })).to.deep.equal({ ok: false, code: 'claim_invalid', claim: 'sub' });
    for (const bad of ['1', null, true, [], {}]) {
      expect(check({ ...claims, exp: bad }), JSON.stringify(bad)).to.deep.include({ claim: 'exp' });
      expect(check({ ...claims, nbf: bad }), JSON.stringify(bad)).to.deep.include({ claim: 'nbf' });
      expect(check({ ...claims, iat: bad }), JSON.stringify(bad)).to.deep.include({ claim: 'iat' });
    }
  });

  it('refuses a lifetime longer than the manager issues (exp 1e20, or iat far before exp)', () => {
    expect(check({ ...claims, exp: 1e20 })).to.deep.include({ code: 'claim_invalid', claim: 'exp' });
    expect(check({ ...claims, iat: -1 })).to.deep.include({ code: 'claim_invalid', claim: 'exp' });
    expect(check({ sub: 'u', exp: now + 86_400 }).ok).to.equal(true);
    expect(check({ sub: 'u', exp: now + 86_401 })).to.deep.include({ claim: 'exp' });
  });

  it('refuses nbf and iat in the future, and allows clock tolerance', () => {
    expect(check({ ...claims, nbf: now + 1 })).to.deep.equal({ ok: false, code: 'token_not_yet_valid' });
    expect(check({ ...claims, iat: now + 1 })).to.deep.equal({ ok: false, code: 'token_not_yet_valid' });
    expect(check({ ...claims, nbf: now + 5 }, { leeway: 5 }).ok).to.equal(true);
    expect(check(claims, { leeway: 5 }, now + 64).ok).to.equal(true);
    expect(check(claims, { leeway: 5 }, now + 65)).to.deep.include({ code: 'token_expired' });
  });

  it('refuses tokens older than maxAge, and needs iat for it', () => {
    expect(check(claims, { maxAge: 30 }, now + 30).ok).to.equal(true);
    expect(check(claims, { maxAge: 30 }, now + 31)).to.deep.include({ code: 'token_expired' });
    expect(check({ sub: 'u', exp: now + 60 }, { maxAge: 30 })).to.deep.include({ code: 'claim_invalid', claim: 'iat' });
  });

  it('checks issuer and audience when configured', () => {
    expect(check({ ...claims, iss: 'a' }, { issuer: 'a' }).ok).to.equal(true);
    expect(check({ ...claims, iss: 'b' }, { issuer: 'a' })).to.deep.include({ code: 'issuer_invalid' });
    expect(check(claims, { issuer: 'a' })).to.deep.include({ code: 'issuer_invalid' });
    expect(check({ ...claims, aud: 'api' }, { audience: ['api', 'web'] }).ok).to.equal(true);
    expect(check({ ...claims, aud: ['x', 'web'] }, { audience: ['api', 'web'] }).ok).to.equal(true);
    expect(check({ ...claims, aud: ['x'] }, { audience: ['api'] })).to.deep.include({ code: 'audience_invalid' });
    expect(check(claims, { audience: ['api'] })).to.deep.include({ code: 'audience_invalid' });
    expect(check({ ...claims, aud: [1] }, { audience: ['1'] })).to.deep.include({ code: 'audience_invalid' });
  });

  it('requires requiredClaims', () => {
    expect(check({ ...claims, tenant: 't' }, { requiredClaims: ['tenant'] }).ok).to.equal(true);
    expect(check(claims, { requiredClaims: ['tenant'] })).to.deep.equal({
      ok: false,
      code: 'claim_invalid',
      claim: 'tenant',
    });
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

  it('counts OAuth scope (a string) and scp (an array or a string) when the token has no scopes', () => {
    const provider = { sub: 'u', exp: 1, scope: 'openid  orders:read', scp: ['orders:write'] };
    expect(grantsScopes(provider, ['orders:read', 'orders:write'])).to.equal(true);
    expect(grantsScopes(provider, ['openid'])).to.equal(true);
    expect(grantsScopes(provider, [''])).to.equal(false);
    expect(grantsScopes({ sub: 'u', exp: 1, scp: 'Orders.Read User.Read' }, ['User.Read'])).to.equal(true);
    expect(grantsScopes({ ...provider, scopes: ['a'] }, ['orders:read'])).to.equal(false);
  });

  it('refuses a malformed scope or scp only when it would be read', () => {
    const policy = { leeway: 0, maxLifetime: 60, requiredClaims: [] };
    const at = (extra: object) => checkClaims({ sub: 'u', exp: 30, ...extra }, 0, policy);
    expect(at({ scope: ['a'] })).to.deep.equal({ ok: false, code: 'claim_invalid', claim: 'scope' });
    expect(at({ scp: [1] })).to.deep.equal({ ok: false, code: 'claim_invalid', claim: 'scp' });
    expect(at({ scp: 7, scopes: ['a'] }).ok).to.equal(true);
  });
});
