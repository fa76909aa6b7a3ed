import { expect } from 'chai';
import { LoginManager, loginSecuritySchemes } from 'routing-controllers-login';
import { HS256_SECRET, keyPair } from '../helpers/keys';

describe('openapi: loginSecuritySchemes', () => {
  const userLoader = () => undefined;

  it('describes a header manager: the password flow at tokenUrl with the scope descriptions, and bearer', () => {
    const scopes = { 'items:read': 'Read items' };
    const manager = new LoginManager({ secret: HS256_SECRET, tokenUrl: '/auth/token', scopes, userLoader });
    const schemes = loginSecuritySchemes(manager);
    expect(schemes).to.have.keys('oauth2', 'bearer');
    expect(schemes.oauth2).to.deep.include({
      type: 'oauth2',
      flows: { password: { tokenUrl: '/auth/token', scopes } },
    });
    expect(schemes.bearer).to.include({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  });

  it('names the cookie scheme after cookieName, and leaves bearer out when the header is not read', () => {
    const manager = new LoginManager({
      secret: HS256_SECRET,
      tokenUrl: '/login',
      useCookie: true,
      useHeader: false,
      cookieName: 'sid',
      csrf: false,
      logger: { error: () => {}, warn: () => {} }, // it warns of csrf: false with cookies
      userLoader,
    });
    const schemes = loginSecuritySchemes(manager);
    expect(schemes).to.have.keys('oauth2', 'cookie');
    expect(schemes.cookie).to.deep.equal({
      type: 'apiKey',
      in: 'cookie',
      name: 'sid',
      description: 'The access token cookie set at login.',
    });
  });

  it('adds refreshUrl to the password flow when given, and refuses a bad one', () => {
    const manager = new LoginManager({ secret: HS256_SECRET, tokenUrl: '/auth/token', userLoader });
    const schemes = loginSecuritySchemes(manager, { refreshUrl: '/auth/oauth-refresh' });
    expect(schemes.oauth2).to.deep.include({
      flows: { password: { tokenUrl: '/auth/token', refreshUrl: '/auth/oauth-refresh', scopes: {} } },
    });
    expect(() => loginSecuritySchemes(manager, { refreshUrl: '' })).to.throw(TypeError, /refreshUrl/);
  });

  it('offers no password flow for a verify-only manager, which cannot issue tokens', () => {
    const issuer = new LoginManager({
      secret: keyPair('rsa').privatePem,
      algorithm: 'RS256',
      tokenUrl: '/t',
      userLoader,
    });
    const verifier = new LoginManager({
      keys: issuer.jwks(),
      audience: 'api',
      tokenUrl: 'https://auth.example.com/t',
      userLoader,
    });
    expect(loginSecuritySchemes(verifier)).to.have.keys('bearer');
    expect(loginSecuritySchemes(issuer)).to.have.keys('oauth2', 'bearer');
  });

  it('hands out copies: changing the result changes neither the manager nor the next result', () => {
    const manager = new LoginManager({ secret: HS256_SECRET, tokenUrl: '/t', scopes: { a: 'A' }, userLoader });
    const first = loginSecuritySchemes(manager);
    if (first.oauth2?.type === 'oauth2') first.oauth2.flows.password.scopes.b = 'B';
    expect(manager.scopes).to.deep.equal({ a: 'A' });
    expect(loginSecuritySchemes(manager).oauth2).to.deep.include({
      flows: { password: { tokenUrl: '/t', scopes: { a: 'A' } } },
    });
  });
});
