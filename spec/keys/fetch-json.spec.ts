import { expect } from 'chai';
import { maxAgeOf, urlProblem } from '../../src/keys/fetch-json';

describe('keys/fetch-json', () => {
  it('allows https anywhere and plain http to loopback hosts only', () => {
    for (const url of [
      'https://auth.example.com/.well-known/jwks.json',
      'http://localhost:3000/jwks',
      'http://127.0.0.1/jwks',
      'http://127.8.9.10:80/jwks',
      'http://[::1]:8080/jwks',
    ]) {
      expect(urlProblem(url), url).to.equal(undefined);
    }
    for (const url of [
      'http://auth.example.com/jwks',
      'http://10.0.0.1/jwks',
      'http://localhost.evil.com/jwks',
      'http://127.0.0.1.nip.io/jwks',
      'ftp://auth.example.com/jwks',
      'file:///etc/passwd',
      '/jwks.json',
    ]) {
      expect(urlProblem(url), url).to.be.a('string');
    }
  });

  it('reads max-age from Cache-Control; no-cache and no-store mean 0', () => {
    expect(maxAgeOf(null)).to.equal(undefined);
    expect(maxAgeOf('public')).to.equal(undefined);
    expect(maxAgeOf('public, max-age=600')).to.equal(600);
    expect(maxAgeOf('Max-Age = "90", must-revalidate')).to.equal(90);
    expect(maxAgeOf('s-maxage=600')).to.equal(undefined);
    expect(maxAgeOf('no-cache')).to.equal(0);
    expect(maxAgeOf('max-age=600, no-store')).to.equal(0);
  });
});
