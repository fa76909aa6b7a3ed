import { expect } from 'chai';
import { comparableUri, htuMatches } from '../../src/dpop/htu';

describe('dpop/htu: the request URI a proof names (RFC 9449 §4.3 point 9, RFC 3986 §6)', () => {
  it('normalises scheme and host case, the default port, dot segments and an empty path', () => {
    expect(comparableUri('HTTPS://Api.Example.COM:443/a/./b/../c')).to.equal('https://api.example.com/a/c');
    expect(comparableUri('http://example.com:80')).to.equal('http://example.com/');
    expect(comparableUri('https://[::1]:8443/x')).to.equal('https://[::1]:8443/x');
  });

  it('decodes percent-encoded unreserved characters and upper-cases the other encodings', () => {
    expect(comparableUri('https://h/%7euser/%41%2d%5f%2E/%2f%3a%e2%82%ac')).to.equal(
      'https://h/~user/A-_./%2F%3A%E2%82%AC',
    );
    expect(htuMatches('https://h/%7Euser', 'https://h/~user')).to.equal(true);
    expect(htuMatches('https://h/a%2Fb', 'https://h/a/b')).to.equal(false); // %2F is reserved: another path
  });

  it('ignores query and fragment on both sides, but never the path, host, port or scheme', () => {
    expect(htuMatches('https://h/p?a=1#f', 'https://h/p?b=2')).to.equal(true);
    expect(htuMatches('https://h/p', 'https://h/p/')).to.equal(false);
    expect(htuMatches('https://h/p', 'https://h/P')).to.equal(false);
    expect(htuMatches('https://h/p', 'https://g/p')).to.equal(false);
    expect(htuMatches('https://h/p', 'https://h:444/p')).to.equal(false);
    expect(htuMatches('https://h/p', 'http://h/p')).to.equal(false);
  });

  it('refuses what is not an absolute http(s) URI, on either side', () => {
    for (const uri of ['/p', 'h/p', 'ftp://h/p', 'javascript:alert(1)', 'urn:a:b', '', 'https://']) {
      expect(comparableUri(uri), uri).to.equal(undefined);
      expect(htuMatches(uri, uri), uri).to.equal(false);
    }
  });
});
