import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { LoginManager } from 'routing-controllers-login';
import type { LoginOptions } from '../../src/config/options';
import { resolveOptions } from '../../src/config/resolve';
import { serializeCookie } from '../../src/http/set-cookie';
import { LoginConfigurationError } from '../../src/shared/errors';
import { HS256_SECRET } from '../helpers/keys';

const base: LoginOptions = { secret: HS256_SECRET, tokenUrl: '/auth/token' };
const refused = (options: Record<string, unknown>, message: RegExp) =>
  expect(() => resolveOptions({ ...base, ...options } as LoginOptions), JSON.stringify(options)).to.throw(
    LoginConfigurationError,
    message,
  );
const accepted = (options: Record<string, unknown>) =>
  expect(() => resolveOptions({ ...base, ...options } as LoginOptions), JSON.stringify(options)).not.to.throw();

describe('configurations that are holes, refused at construction with the fix', () => {
  describe('__Host- and __Secure- cookie names', () => {
    it('refuses a __Host- cookieName or refreshCookieName with a domain, saying to drop it or use __Secure-', () => {
      for (const names of [{ cookieName: '__Host-session' }, { refreshCookieName: '__Host-remember' }]) {
        refused(
          { ...names, cookieOptions: { domain: 'example.com' } },
          /`cookieOptions`: browsers drop a __Host- cookie \(__Host-\w+\) with a `domain`: remove `domain`.*__Secure- name/,
        );
      }
    });

    it("refuses a __Host- name with secure: false or a path other than '/'", () => {
      refused(
        { cookieName: '__Host-session', cookieOptions: { secure: false } },
        /unless it is Secure: remove `secure: false`/,
      );
      refused({ cookieName: '__Host-session', cookieOptions: { path: '/app' } }, /`path` is not '\/': remove `path`/);
      accepted({ cookieName: '__Host-session', cookieOptions: { path: '/', secure: true, sameSite: 'strict' } });
    });

    it('refuses a __Secure- name with secure: false, and takes its domain and path', () => {
      refused(
        { refreshCookieName: '__Secure-remember', cookieOptions: { secure: false } },
        /browsers drop a __Secure- cookie \(__Secure-remember\) unless it is Secure/,
      );
      accepted({ cookieName: '__Secure-session', cookieOptions: { domain: 'example.com', path: '/app' } });
    });

    it('matches the prefixes without regard to case, as browsers do', () => {
      refused({ cookieName: '__host-session', cookieOptions: { domain: 'example.com' } }, /__Host- cookie/);
      refused({ cookieName: '__SECURE-session', cookieOptions: { secure: false } }, /__Secure- cookie/);
    });

    it('refuses the same per call (setCookie, clearCookie options), and writes Secure when secure is unset', () => {
      const cookie = { name: '__Host-session', value: 'v', httpOnly: true };
      expect(() => serializeCookie(cookie, { domain: 'example.com' }, true)).to.throw(TypeError, /__Host-.*domain/);
      expect(() => serializeCookie(cookie, { secure: false }, true)).to.throw(TypeError, /unless it is Secure/);
      expect(serializeCookie(cookie, {}, false)).to.equal('__Host-session=v; Path=/; HttpOnly; Secure; SameSite=Lax');
      const secure = { ...cookie, name: '__Secure-x' };
      expect(serializeCookie(secure, { domain: 'a.example' }, false)).to.include(
        '; Domain=a.example; HttpOnly; Secure;',
      );
      expect(serializeCookie({ ...cookie, name: 'plain' }, {}, false)).not.to.include('Secure');
    });
  });

  it('refuses maxTokenLength above 64 KiB, and takes 64 KiB', () => {
    refused({ maxTokenLength: 65_537 }, /`maxTokenLength` is a whole number of bytes from 256 to 65536 \(64 KiB\)/);
    refused({ maxTokenLength: 1_048_576 }, /65536/);
    expect(resolveOptions({ ...base, maxTokenLength: 65_536 }).maxTokenLength).to.equal(65_536);
  });

  describe('HMAC secrets with too little variety', () => {
    const oneLiner =
      /Make one with: node -e "console\.log\(require\('crypto'\)\.randomBytes\(32\)\.toString\('base64url'\)\)"/;

    it("refuses 'a'.repeat(32), 'changeme'.repeat(4) and the like, with the one-liner that makes a good one", () => {
      for (const [secret, distinct] of [
        ['x'.repeat(32), '1 distinct byte'],
        ['changeme'.repeat(4), '7 distinct bytes'],
        ['password'.repeat(4), '7 distinct bytes'],
        ['0123456789'.repeat(4), '5 distinct bytes \\(read as hex\\)'],
        ['deadbeef'.repeat(8), '4 distinct bytes \\(read as hex\\)'],
        [Buffer.alloc(32, 1), '1 distinct byte'],
        ['a'.repeat(32), '1 distinct byte \\(read as hex\\)'],
      ] as const) {
        refused({ secret }, new RegExp(`\`secret\` has ${distinct}: too little variety.*${oneLiner.source}`));
      }
    });

    it('refuses one in a keys entry, naming it, and sizes the one-liner for the algorithm', () => {
      refused(
        { secret: undefined, keys: [{ kid: 'k', algorithm: 'HS512', secret: 'changeme'.repeat(8) }] },
        /`keys\[0\]\.secret` has 7 distinct bytes.*randomBytes\(64\)/,
      );
    });

    it('takes what generators make, hex and UUIDs included (hex has only 16 symbols: judged by the bytes it spells)', () => {
      for (let i = 0; i < 200; i++) {
        for (const secret of [
          randomBytes(32),
          randomBytes(32).toString('base64url'),
          randomBytes(32).toString('hex'),
          randomBytes(16).toString('hex'),
          randomUUID(),
        ]) {
          expect(() => new LoginManager({ secret, tokenUrl: '/t' }), String(secret)).not.to.throw();
        }
      }
    });
  });

  describe('useCookie with csrf: false', () => {
    const warnings = (options: Record<string, unknown>) => {
      const heard: string[] = [];
      const logger = { error: () => {}, warn: (message: string) => void heard.push(message) };
      resolveOptions({ ...base, logger, ...options } as LoginOptions);
      return heard;
    };

    it('is warned of once, through logger, at construction, with what to do', () => {
      const heard = warnings({ useCookie: true, csrf: false });
      expect(heard).to.have.length(1);
      expect(heard[0]).to.match(/`useCookie` with `csrf: false`: cookie-authenticated writes .* not checked for CSRF/);
      expect(heard[0]).to.match(/Keep `csrf` on \(the default\), or take tokens from the Authorization header alone/);
    });

    it('is not warned of with csrf on, or without cookies', () => {
      expect(warnings({ useCookie: true })).to.deep.equal([]);
      expect(warnings({ csrf: false })).to.deep.equal([]);
    });
  });
});
