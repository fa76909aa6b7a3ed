import type { IncomingMessage } from 'node:http';
import { expect } from 'chai';
import { readCookie } from '../../src/http/extraction/cookie';

const withCookie = (cookie?: string) => ({ headers: { cookie } }) as IncomingMessage;

describe('extraction/cookie: readCookie', () => {
  it('finds the named cookie among others', () => {
    expect(readCookie(withCookie('a=1; access-token=abc.def.ghi; b=2'), 'access-token')).to.equal('abc.def.ghi');
    expect(readCookie(withCookie('access-token=x'), 'access-token')).to.equal('x');
  });

  it('does not match a cookie whose name only contains the wanted one', () => {
    expect(readCookie(withCookie('my-access-token=x; access-token-2=y'), 'access-token')).to.equal(undefined);
  });

  it('takes the first of duplicate cookies, unquotes and percent-decodes', () => {
    expect(readCookie(withCookie('t=first; t=second'), 't')).to.equal('first');
    expect(readCookie(withCookie('t="quoted"'), 't')).to.equal('quoted');
    expect(readCookie(withCookie('t=a%2Eb'), 't')).to.equal('a.b');
    expect(readCookie(withCookie('t=%E0%A4%A'), 't')).to.equal('%E0%A4%A');
  });

  it('treats a missing header, a missing cookie and an empty value as no token', () => {
    expect(readCookie(withCookie(undefined), 't')).to.equal(undefined);
    expect(readCookie(withCookie('other=1'), 't')).to.equal(undefined);
    expect(readCookie(withCookie('t='), 't')).to.equal(undefined);
    expect(readCookie(withCookie('t'), 't')).to.equal(undefined);
  });
});
