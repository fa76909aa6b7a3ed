import type { IncomingMessage } from 'node:http';
import { expect } from 'chai';
import { isPageNavigation, loginPageLocation, prefersHtml, sameOriginPath } from '../../src/http/login-page';

/** What each browser sends with a navigation (a typed URL, a link, a redirect followed). */
const CHROME =
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7';
const FIREFOX = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const SAFARI = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

/**
 * Open redirects: every `next` a login route could be handed that would send the browser off this site (or to
 * something that is not a plain path), as sent and in the encoded forms an app, a proxy or a browser might decode.
 */
const OFF_SITE: Record<string, unknown[]> = {
  'another host, scheme-relative': ['//evil.example', '//evil.example/path', '///evil.example', '////evil.example'],
  'a backslash, which browsers read as a slash': ['/\\evil.example', '\\\\evil.example', '\\/evil.example', '/\\/x'],
  'a backslash further in': ['/a\\b', '/a/\\\\evil.example'],
  'a scheme': ['https://evil.example', 'http:evil.example', 'javascript:alert(1)', 'data:text/html,<p>', 'HTTPS://x'],
  'no leading slash': ['evil.example', 'relative/path', '', '.', './x', '?next=/x', '#/x', ' /x'],
  'an encoded slash or backslash': [
    '/%2F%2Fevil.example',
    '/%2fevil.example',
    '%2F%2Fevil.example',
    '/%5Cevil.example',
  ],
  'encoded twice or more': ['/%252F%252Fevil.example', '/%255Cevil.example', '/%25252F%25252Fevil.example'],
  'encoded past any sense': ['/%2525252F%2525252Fevil.example'],
  'control characters': ['/\t/evil.example', '/\n/evil.example', '/\r\n', '/\u0000', '/a\u007f', '/a\u0085'],
  'encoded control characters': ['/%09/evil.example', '/%0d%0aSet-Cookie:%20a=b', '/%00', '/%7F', '/%C2%85'],
  'spaces and characters no browser sends raw': ['/ /evil.example', '/a b', '/a"b', '/<script>', '/a`b', '/a|b'],
  'a fragment': ['/#//evil.example', '/a#b'],
  'dot segments, which resolve to //host': [
    '/..//evil.example',
    '/./',
    '/a/../..//evil.example',
    '/%2e%2e//evil.example',
  ],
  'other slashes of Unicode': ['/\uff0fevil.example', '/\u2215evil.example', '/\u29f8evil.example'],
  'malformed escapes': ['/%E0%A4%A', '/100%', '/%zz'],
  'too long': [`/${'a'.repeat(2048)}`],
  'not a string': [undefined, null, 42, ['/a'], { toString: () => '/a' }],
};

/** Paths of this site, kept exactly as given. */
const SAME_SITE = [
  '/',
  '/items',
  '/items?page=2&sort=name',
  '/a%20b',
  '/files/a%2Fb',
  '/search?q=%2F%2Fexample',
  '/.well-known/security.txt',
  '/@ada',
  "/it's",
  '/a/b/c;v=1',
  `/${'a'.repeat(2046)}`,
];

describe('login page: the next path, the browser test and the redirect', () => {
  describe('sameOriginPath: next is a path of this site, or nothing', () => {
    for (const [what, values] of Object.entries(OFF_SITE)) {
      it(`refuses ${what}`, () => {
        for (const value of values) expect(sameOriginPath(value), JSON.stringify(value)).to.equal(undefined);
      });
    }

    it('keeps paths of this site as they are, query and escapes included', () => {
      for (const path of SAME_SITE) expect(sameOriginPath(path), path).to.equal(path);
    });
  });

  describe('prefersHtml: Accept ranks HTML above JSON', () => {
    it("takes every browser's navigation", () => {
      for (const accept of [CHROME, FIREFOX, SAFARI, 'text/html', 'application/xhtml+xml']) {
        expect(prefersHtml(accept), accept).to.equal(true);
      }
    });

    it('takes HTML ranked above JSON, whatever the order', () => {
      expect(prefersHtml('application/json;q=0.9, text/html')).to.equal(true);
      expect(prefersHtml('TEXT/HTML ; Q=1, */*; q=0.1')).to.equal(true);
    });

    it('refuses API clients, scripts, ties and HTML ranked lower or refused', () => {
      const apiLike = [
        undefined,
        '',
        '*/*',
        'application/json',
        'application/json, text/plain, */*',
        'text/html, application/json',
        'text/html;q=0.5, */*;q=0.8',
        'text/html;q=0.5, application/*',
        'text/html;q=0',
        'text/html;q=abc',
        'text/html;q=2',
        'text/*',
      ];
      for (const accept of apiLike) expect(prefersHtml(accept), String(accept)).to.equal(false);
    });
  });

  describe('isPageNavigation: a browser going to a page', () => {
    const request = (method: string, headers: Record<string, string>) => ({ method, headers }) as IncomingMessage;
    const page = { accept: CHROME, 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' };

    it('is a GET or HEAD navigation to a document, or one from a browser that sends no Sec-Fetch headers', () => {
      expect(isPageNavigation(request('GET', page))).to.equal(true);
      expect(isPageNavigation(request('HEAD', page))).to.equal(true);
      expect(isPageNavigation(request('GET', { accept: FIREFOX }))).to.equal(true);
    });

    it("is not a page's fetch(), a frame, an image, a write, or a request with Authorization", () => {
      expect(isPageNavigation(request('GET', { ...page, 'sec-fetch-mode': 'cors' }))).to.equal(false);
      expect(isPageNavigation(request('GET', { ...page, 'sec-fetch-mode': 'same-origin' }))).to.equal(false);
      expect(isPageNavigation(request('GET', { ...page, 'sec-fetch-dest': 'iframe' }))).to.equal(false);
      expect(isPageNavigation(request('GET', { ...page, 'sec-fetch-dest': 'empty' }))).to.equal(false);
      expect(isPageNavigation(request('POST', page))).to.equal(false);
      expect(isPageNavigation(request('DELETE', page))).to.equal(false);
      expect(isPageNavigation(request('GET', { ...page, authorization: 'Bearer x' }))).to.equal(false);
      expect(isPageNavigation(request('GET', { accept: '*/*' }))).to.equal(false);
    });
  });

  describe('loginPageLocation: where the browser goes', () => {
    const at = (url: string, originalUrl?: string) => ({ url, originalUrl }) as unknown as IncomingMessage;

    it('is the login page with next, the path and query asked for, encoded', () => {
      expect(loginPageLocation('/login', at('/items?page=2&x=%2F'))).to.equal(
        '/login?next=%2Fitems%3Fpage%3D2%26x%3D%252F',
      );
      expect(loginPageLocation('/login?lang=en', at('/items'))).to.equal('/login?lang=en&next=%2Fitems');
    });

    it("takes express's originalUrl, which a mounted router does not shorten", () => {
      expect(loginPageLocation('/login', at('/items', '/api/items'))).to.equal('/login?next=%2Fapi%2Fitems');
    });

    it('leaves next out when the request line is not a path of this site', () => {
      expect(loginPageLocation('/login', at('//evil.example/items'))).to.equal('/login');
      expect(loginPageLocation('/login', at('http://evil.example/items'))).to.equal('/login');
      expect(loginPageLocation('/login', at('/a\\b'))).to.equal('/login');
    });

    it('is nothing for the login page itself, which would send the browser round in a loop', () => {
      expect(loginPageLocation('/login', at('/login'))).to.equal(undefined);
      expect(loginPageLocation('/login', at('/login?next=%2Fitems'))).to.equal(undefined);
      expect(loginPageLocation('/login?lang=en', at('/login'))).to.equal(undefined);
    });
  });
});
