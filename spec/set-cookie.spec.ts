import { expect } from 'chai';
import { serializeCookie } from '../src/http/set-cookie';

describe('set-cookie: serializeCookie', () => {
  const token = { name: 'access-token', value: 'a.b.c', httpOnly: true };

  it('writes an HttpOnly, SameSite=Lax session cookie on Path=/', () => {
    expect(serializeCookie(token, {}, false)).to.equal('access-token=a.b.c; Path=/; HttpOnly; SameSite=Lax');
  });

  it('adds Secure by default over HTTPS, and when asked', () => {
    expect(serializeCookie(token, {}, true)).to.equal('access-token=a.b.c; Path=/; HttpOnly; Secure; SameSite=Lax');
    expect(serializeCookie(token, { secure: true }, false)).to.include('; Secure;');
    expect(serializeCookie(token, { secure: false }, true)).not.to.include('Secure');
  });

  it('writes every option', () => {
    expect(
      serializeCookie(
        token,
        { maxAge: 3600, domain: 'example.com', sameSite: 'strict', path: '/app', secure: true },
        false,
      ),
    ).to.equal('access-token=a.b.c; Path=/app; Domain=example.com; Max-Age=3600; HttpOnly; Secure; SameSite=Strict');
  });

  it('refuses attribute values that would inject attributes', () => {
    expect(() => serializeCookie(token, { path: '/; Domain=evil.com' }, false)).to.throw(TypeError, /path/);
    expect(() => serializeCookie(token, { domain: 'a.com; Secure' }, false)).to.throw(TypeError, /domain/);
    expect(() => serializeCookie({ ...token, value: 'a;b' }, {}, false)).to.throw(TypeError, /value/);
  });

  it('refuses a bad maxAge, an unknown sameSite and SameSite=None without Secure', () => {
    expect(() => serializeCookie(token, { maxAge: -1 }, false)).to.throw(TypeError, /maxAge/);
    expect(() => serializeCookie(token, { maxAge: 1.5 }, false)).to.throw(TypeError, /maxAge/);
    expect(() => serializeCookie(token, { sameSite: 'sometimes' as never }, false)).to.throw(TypeError, /sameSite/);
    expect(() => serializeCookie(token, { sameSite: 'none' }, false)).to.throw(TypeError, /SameSite=None/);
    expect(serializeCookie(token, { sameSite: 'none', secure: true }, false)).to.include('SameSite=None');
  });
});
