import { expect } from 'chai';
import { accessClaims } from '../../src/token/issue';

describe('token/issue: accessClaims', () => {
  const now = 1_700_000_000;

  it('adds iat and exp from the default lifetime and keeps the other data', () => {
    expect(accessClaims({ data: { sub: 'u', role: 'x' } }, now, 900)).to.deep.equal({
      sub: 'u',
      role: 'x',
      iat: now,
      exp: now + 900,
    });
  });

  it('takes expiresIn in seconds or as a duration string', () => {
    expect(accessClaims({ data: { sub: 'u' }, expiresIn: 60 }, now, 900).exp).to.equal(now + 60);
    expect(accessClaims({ data: { sub: 'u' }, expiresIn: '1h' }, now, 900).exp).to.equal(now + 3600);
  });

  it('stores scopes without duplicates', () => {
    expect(accessClaims({ data: { sub: 'u' }, scopes: ['a', 'b', 'a'] }, now, 900).scopes).to.deep.equal(['a', 'b']);
  });

  it('throws TypeError for a missing, empty or non-string sub', () => {
    for (const data of [{}, { sub: '' }, { sub: 7 }, { sub: null }]) {
      expect(() => accessClaims({ data } as never, now, 900)).to.throw(TypeError, /data\.sub/);
    }
    expect(() => accessClaims({} as never, now, 900)).to.throw(TypeError, /`data`/);
    expect(() => accessClaims(undefined as never, now, 900)).to.throw(TypeError);
  });

  it('refuses claims that options set: exp, iat, scopes', () => {
    expect(() => accessClaims({ data: { sub: 'u', exp: 1 } }, now, 900)).to.throw(TypeError, /data\.exp.*expiresIn/);
    expect(() => accessClaims({ data: { sub: 'u', scopes: ['a'] } }, now, 900)).to.throw(TypeError, /data\.scopes/);
    expect(() => accessClaims({ data: { sub: 'u', iat: 1 } }, now, 900)).to.throw(TypeError, /data\.iat/);
  });

  it('refuses a bad expiresIn or bad scopes', () => {
    expect(() => accessClaims({ data: { sub: 'u' }, expiresIn: '900' }, now, 900)).to.throw(TypeError, /expiresIn/);
    expect(() => accessClaims({ data: { sub: 'u' }, expiresIn: -5 }, now, 900)).to.throw(TypeError, /expiresIn/);
    expect(() => accessClaims({ data: { sub: 'u' }, scopes: ['two words'] }, now, 900)).to.throw(TypeError, /scopes/);
    expect(() => accessClaims({ data: { sub: 'u' }, scopes: 'admin' as never }, now, 900)).to.throw(
      TypeError,
      /scopes/,
    );
  });
});
