import { expect } from 'chai';
import type { TokenPayload } from '../../src/token/claims';
import { issuedAtMs } from '../../src/token/ids';
import { type IssuePolicy, newClaims, renewedClaims } from '../../src/token/issue';

describe('token/issue', () => {
  const nowMs = 1_700_000_000_250;
  const now = 1_700_000_000;
  const policy: IssuePolicy = { nowMs, defaultLifetime: 900, maxLifetime: 30 * 86_400, csrf: false };
  const access = (request: object, p: IssuePolicy = policy) =>
    newClaims('createAccessToken', request as never, 'access', p);

  describe('newClaims', () => {
    it('adds iat and exp in whole seconds, a jti and the type; keeps the other data', () => {
      const claims = access({ data: { sub: 'u', role: 'x' } });
      expect(claims).to.include({ sub: 'u', role: 'x', iat: now, exp: now + 900, type: 'access' });
      expect(Number.isInteger(claims.iat) && Number.isInteger(claims.exp)).to.equal(true);
      expect(claims.jti).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(access({ data: { sub: 'u' } }).jti).not.to.equal(claims.jti);
    });

    it('keeps the millisecond of issue in the jti (a UUIDv7), which issuedAtMs reads back', () => {
      const claims = access({ data: { sub: 'u' } }) as TokenPayload;
      expect(issuedAtMs(claims)).to.equal(nowMs);
      const later = access({ data: { sub: 'u' } }, { ...policy, nowMs: nowMs + 1 }) as TokenPayload;
      expect(issuedAtMs(later)).to.equal(nowMs + 1);
      expect((later.jti as string) > (claims.jti as string)).to.equal(true);
    });

    it('reads iat alone when the jti is not a UUIDv7 of that second: fractional iat kept, a foreign jti ignored', () => {
      expect(issuedAtMs({ sub: 'u', exp: 0, iat: 1_700_000_000.25 })).to.equal(nowMs);
      expect(issuedAtMs({ sub: 'u', exp: 0, iat: now, jti: 'abc' })).to.equal(now * 1000);
      const v7 = access({ data: { sub: 'u' } }).jti as string;
      // A jti whose time is not in the second of iat does not move the issue time.
      expect(issuedAtMs({ sub: 'u', exp: 0, iat: now - 5, jti: v7 })).to.equal((now - 5) * 1000);
      expect(issuedAtMs({ sub: 'u', exp: 0 })).to.equal(undefined);
    });

    it('takes expiresIn in seconds or as a duration string', () => {
      expect(access({ data: { sub: 'u' }, expiresIn: 60 }).exp).to.equal(now + 60);
      expect(access({ data: { sub: 'u' }, expiresIn: '1h' }).exp).to.equal(now + 3600);
    });

    it('refuses a lifetime longer than the longest the manager issues', () => {
      expect(() => access({ data: { sub: 'u' }, expiresIn: '31d' })).to.throw(
        TypeError,
        /longer than the longest lifetime.*refreshExpiry/,
      );
    });

    it('stores scopes without duplicates', () => {
      expect(access({ data: { sub: 'u' }, scopes: ['a', 'b', 'a'] }).scopes).to.deep.equal(['a', 'b']);
    });

    it('marks fresh access tokens only, and refuses `fresh` on a refresh token', () => {
      expect(access({ data: { sub: 'u' }, fresh: true }).fresh).to.equal(true);
      expect(access({ data: { sub: 'u' } })).not.to.have.property('fresh');
      expect(() => newClaims('createRefreshToken', { data: { sub: 'u' }, fresh: true }, 'refresh', policy)).to.throw(
        TypeError,
        /`fresh` is for access tokens/,
      );
      expect(() => access({ data: { sub: 'u' }, fresh: 'yes' })).to.throw(TypeError, /fresh/);
    });

    it('adds a csrf claim to access tokens when the policy asks for it', () => {
      const withCsrf = { ...policy, csrf: true };
      expect(access({ data: { sub: 'u' } }, withCsrf).csrf).to.match(/^[\w-]{22}$/);
      expect(newClaims('createRefreshToken', { data: { sub: 'u' } }, 'refresh', withCsrf)).not.to.have.property('csrf');
    });

    it('binds the csrf claim to the login’s family when it has one, so every token refreshed from it has the same', () => {
      const withCsrf = { ...policy, csrf: true };
      const claims = newClaims('createTokens', { data: { sub: 'u' } }, 'access', withCsrf, 'family-1');
      expect(claims).to.include({ fam: 'family-1', csrf: 'family-1' });
      const refreshed = renewedClaims(
        { sub: 'u', exp: Math.floor(nowMs / 1000) + 99, fam: 'family-1', type: 'refresh' },
        60,
        withCsrf,
        false,
      );
      expect(refreshed.csrf).to.equal('family-1');
    });

    it('throws TypeError for a missing, empty or non-string sub', () => {
      for (const data of [{}, { sub: '' }, { sub: 7 }, { sub: null }]) {
        expect(() => access({ data })).to.throw(TypeError, /data\.sub/);
      }
      expect(() => access({})).to.throw(TypeError, /`data`/);
      expect(() => access(undefined as never)).to.throw(TypeError);
    });

    it('refuses claims the library sets or reads as scopes: exp, iat, scopes, scope, scp, fresh, jti, type, csrf', () => {
      for (const claim of ['exp', 'iat', 'scopes', 'scope', 'scp', 'fresh', 'jti', 'type', 'csrf']) {
        expect(() => access({ data: { sub: 'u', [claim]: 1 } }), claim).to.throw(
          TypeError,
          new RegExp(`data\\.${claim}`),
        );
      }
    });

    it('throws a TypeError naming the right key for an unknown one (expires → expiresIn)', () => {
      const cases: [Record<string, unknown>, RegExp][] = [
        [{ expires: 3600 }, /unknown key `expires`; did you mean `expiresIn`\?/],
        [{ expires_delta: 60 }, /`expires_delta`; did you mean `expiresIn`/],
        [{ scope: 'read' }, /`scope`; did you mean `scopes`/],
        [
          { freshh: true },
          /unknown key `freshh` createAccessToken takes \{ data, expiresIn\?, scopes\?, fresh\?, acr\? \}/,
        ],
      ];
      for (const [extra, message] of cases) {
        expect(() => access({ data: { sub: 'u' }, ...extra }), JSON.stringify(extra)).to.throw(TypeError, message);
      }
      const refresh = (request: object) => newClaims('createRefreshToken', request as never, 'refresh', policy);
      expect(() => refresh({ data: { sub: 'u' }, expires: '30d' })).to.throw(
        TypeError,
        /createRefreshToken: unknown key `expires`; did you mean `expiresIn`\? createRefreshToken takes \{ data, expiresIn\?, scopes\?, acr\? \}/,
      );
      expect(() => access({ sub: 'u' })).to.throw(TypeError, /did you mean `data.sub`/);
    });

    it('refuses a bad expiresIn or bad scopes', () => {
      expect(() => access({ data: { sub: 'u' }, expiresIn: '900' })).to.throw(TypeError, /expiresIn/);
      expect(() => access({ data: { sub: 'u' }, expiresIn: -5 })).to.throw(TypeError, /expiresIn/);
      expect(() => access({ data: { sub: 'u' }, scopes: ['two words'] })).to.throw(TypeError, /scopes/);
      expect(() => access({ data: { sub: 'u' }, scopes: 'admin' })).to.throw(TypeError, /scopes/);
    });
  });

  describe('renewedClaims', () => {
    const from: TokenPayload = {
      sub: 'u',
      tenant: 't',
      scopes: ['a'],
      iat: now - 100,
      exp: now + 10,
      jti: 'old',
      type: 'refresh',
      fresh: true,
      csrf: 'keep-me',
    };

    it('keeps sub, data and scopes; renews iat, exp and jti; is an access token and never fresh', () => {
      const claims = renewedClaims({ ...from, type: 'access' }, 600, { ...policy, csrf: true }, false);
      expect(claims).to.include({ sub: 'u', tenant: 't', type: 'access', exp: now + 600, iat: now });
      expect(claims.scopes).to.deep.equal(['a']);
      expect(claims.jti).not.to.equal('old');
      expect(claims).not.to.have.property('fresh');
      expect(claims.csrf).not.to.equal('keep-me');
    });

    it('ends an access token from a refresh token by that refresh token’s exp, as the login ends then', () => {
      expect(renewedClaims(from, 600, policy, false)).to.include({ exp: now + 10 });
      expect(renewedClaims({ ...from, exp: now + 5000 }, 600, policy, false)).to.include({ exp: now + 600 });
    });

    it('keeps the csrf value when asked (sliding cookies), so in-flight requests still match', () => {
      expect(renewedClaims(from, 600, { ...policy, csrf: true }, true).csrf).to.equal('keep-me');
    });
  });
});
