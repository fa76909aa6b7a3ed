import { expect } from 'chai';
import type { LoginOptions } from '../src/config/options';
import { resolveOptions } from '../src/config/resolve';
import { MemoryRevocationStore } from '../src/revocation/memory-store';
import { LoginConfigurationError } from '../src/shared/errors';
import { HS256_SECRET } from './helpers/keys';

const base: LoginOptions = { secret: HS256_SECRET, tokenUrl: '/auth/token' };
const refused = (options: Record<string, unknown>, message: RegExp) =>
  expect(() => resolveOptions({ ...base, ...options } as LoginOptions)).to.throw(LoginConfigurationError, message);

describe('options: resolveOptions', () => {
  it('applies the defaults', () => {
    const resolved = resolveOptions(base);
    expect(resolved).to.include({
      useHeader: true,
      useCookie: false,
      cookieName: 'access-token',
      defaultExpiry: 900,
      tokenUrl: '/auth/token',
      notAuthenticatedError: undefined,
      outOfScopeError: undefined,
      userLoader: undefined,
    });
    expect(resolved.scopes).to.deep.equal({});
    expect(resolved.clock).to.equal(Date.now);
    expect(resolved.keys.signer?.algorithm).to.equal('HS256');
  });

  it('applies the hardening defaults', () => {
    expect(resolveOptions(base)).to.deep.include({
      issuer: undefined,
      audience: undefined,
      clockTolerance: 0,
      maxAge: undefined,
      requiredClaims: [],
      maxTokenLength: 8192,
      exposeErrorDescriptions: false,
      onAuthFailure: undefined,
    });
  });

  it('refuses bad hardening options', () => {
    refused({ clockTolerance: 301 }, /clockTolerance.*0 to 300/);
    refused({ clockTolerance: -1 }, /clockTolerance/);
    refused({ issuer: '' }, /issuer/);
    refused({ audience: [] }, /audience/);
    refused({ audience: ['ok', 3] }, /audience/);
    refused({ maxAge: 'a while' }, /maxAge/);
    refused({ requiredClaims: ['two words'] }, /requiredClaims/);
    refused({ maxTokenLength: 10 }, /maxTokenLength/);
    refused({ exposeErrorDescriptions: 1 }, /exposeErrorDescriptions/);
    refused({ onAuthFailure: 'log' }, /onAuthFailure/);
  });

  it('takes `keys` instead of `secret` and `algorithm`, not with them', () => {
    const keys = [{ kid: 'a', algorithm: 'HS256' as const, secret: HS256_SECRET }];
    expect(resolveOptions({ tokenUrl: '/t', keys }).keys.signer?.kid).to.equal('a');
    refused({ keys }, /`secret` \(with `algorithm`\) or `keys`/);
    expect(() => resolveOptions({ tokenUrl: '/t', keys, algorithm: 'HS256' })).to.throw(
      LoginConfigurationError,
      /not both/,
    );
    expect(() => resolveOptions({ tokenUrl: '/t' } as LoginOptions)).to.throw(
      LoginConfigurationError,
      /`secret` is required/,
    );
  });

  it('prefixes every message with the package name', () => {
    refused({ secret: undefined }, /^routing-controllers-login: `secret` is required/);
  });

  it('requires secret and tokenUrl', () => {
    refused({ secret: undefined }, /`secret` is required/);
    refused({ secret: '' }, /`secret` is required/);
    refused({ tokenUrl: undefined }, /`tokenUrl` is required/);
    expect(() => resolveOptions(undefined as never)).to.throw(LoginConfigurationError, /options object/);
  });

  it('refuses none and unknown algorithms, listing the allowed ones', () => {
    refused({ algorithm: 'none' }, /"none" is not allowed; use one of HS256, .*ES512/);
    refused({ algorithm: 'hs256' }, /not allowed/);
    refused({ algorithm: 'Ed448' }, /not allowed/);
  });

  it('refuses useHeader and useCookie both false, naming both', () => {
    refused({ useHeader: false, useCookie: false }, /`useHeader` and `useCookie` are both false/);
  });

  it('refuses unknown options, so a typo is not silently ignored', () => {
    refused({ usecookie: true }, /unknown option\(s\) usecookie/);
  });

  it('refuses a bad cookieName, defaultExpiry, scopes or clock', () => {
    refused({ cookieName: 'a b' }, /cookieName/);
    refused({ cookieName: 'a;b' }, /cookieName/);
    refused({ defaultExpiry: '15' }, /defaultExpiry.*'15m'/);
    refused({ defaultExpiry: 0 }, /defaultExpiry/);
    refused({ scopes: ['admin'] }, /`scopes` maps scope names/);
    refused({ scopes: { 'two words': 'x' } }, /scope "two words"/);
    refused({ scopes: { admin: 1 } }, /description of scope admin/);
    refused({ clock: 5 }, /clock/);
  });

  it('applies the session defaults', () => {
    const resolved = resolveOptions(base);
    expect(resolved).to.include({
      refreshExpiry: 30 * 86_400,
      storeTimeout: 1000,
      csrf: true,
      refreshCookieWithin: undefined,
    });
    expect(resolved.revocationStore).to.be.instanceOf(MemoryRevocationStore);
    expect(resolved.logger).to.equal(console);
    expect(resolved.cookieOptions).to.deep.equal({});
  });

  it('refuses bad session options', () => {
    refused({ refreshExpiry: 'forever' }, /refreshExpiry/);
    refused({ refreshCookieWithin: '5' }, /refreshCookieWithin/);
    refused({ revocationStore: {} }, /revocationStore` lacks revoke, lookup, revokeAll, startSession, rotate/);
    refused({ storeTimeout: 0 }, /storeTimeout/);
    refused({ storeTimeout: '1s' }, /storeTimeout/);
    refused({ csrf: 'yes' }, /`csrf` is true or false/);
    refused({ cookieOptions: { sameSite: 'none' } }, /cookieOptions.*SameSite=None/);
    refused({ cookieOptions: { path: '/;x' } }, /cookieOptions.*path/);
    refused({ cookieOptions: { persistent: 'yes' } }, /cookieOptions.*persistent/);
    refused({ logger: { log: () => {} } }, /logger.*error and warn/);
  });

  it('reads defaultExpiry strings', () => {
    expect(resolveOptions({ ...base, defaultExpiry: '12h' }).defaultExpiry).to.equal(43_200);
  });

  it('takes error classes and factories, and refuses what does not give an Error', () => {
    class Custom extends Error {}
    expect(resolveOptions({ ...base, notAuthenticatedError: Custom }).notAuthenticatedError?.()).to.be.instanceOf(
      Custom,
    );
    expect(resolveOptions({ ...base, outOfScopeError: () => new Custom() }).outOfScopeError?.()).to.be.instanceOf(
      Custom,
    );
    refused({ notAuthenticatedError: 'nope' }, /notAuthenticatedError.*Error subclass/);
    refused({ outOfScopeError: () => 'nope' }, /outOfScopeError.*must give an Error/);
    refused({ notAuthenticatedError: class NotAnError {} }, /must give an Error/);
  });

  it('refuses a userLoader that is neither a function nor a loader class', () => {
    refused({ userLoader: 'users' }, /userLoader/);
    refused({ userLoader: class Plain {} }, /class Plain has no @UserLoader\(\) method/);
  });

  it('refuses a bad refreshCookieName or rotateRefreshTokens, naming the option', () => {
    refused(
      { refreshCookieName: 'a b' },
      /^routing-controllers-login: `refreshCookieName` "a b" is not a valid cookie name/,
    );
    refused(
      { refreshCookieName: 'access-token' },
      /`refreshCookieName` must differ from `cookieName` and `csrfCookieName` \('csrf-token'\)/,
    );
    refused({ refreshCookieName: 'csrf-token' }, /must differ/);
    refused({ rotateRefreshTokens: 'yes' }, /^routing-controllers-login: `rotateRefreshTokens` is true or false\.$/);
  });
});
