import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { Get, JsonController } from 'routing-controllers';
import { type KeyConfig, LoggedIn, LoginConfigurationError, LoginManager, User } from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { appWith } from '../helpers/app';
import { forge, HS256_SECRET, hmac, keyPair, nowSeconds, rs256 } from '../helpers/keys';

@LoggedIn()
@Service()
@JsonController('/keys')
class WhoAmIController {
  @Get('/')
  whoami(@User() user: { sub: string }) {
    return user;
  }
}

/** Every manager here issues or checks tokens for one API, as a verify-only one must. */
const AUDIENCE = 'keys-api';
const managerWith = (keys: KeyConfig[] | { keys: object[] }) =>
  new LoginManager<{ sub: string }>({
    keys: keys as KeyConfig[],
    audience: AUDIENCE,
    tokenUrl: '/t',
    userLoader: (sub) => ({ sub }),
  });

describe('keys: rotation, JWKS and verify-only managers', () => {
  const oldKey = keyPair('rsa');
  const newKey = keyPair('rsa2');
  const before = managerWith([{ kid: '2026-01', algorithm: 'RS256', privateKey: oldKey.privatePem }]);
  const during = managerWith([
    { kid: '2026-06', algorithm: 'RS256', privateKey: newKey.privatePem },
    { kid: '2026-01', algorithm: 'RS256', publicKey: oldKey.publicPem },
  ]);
  const after = managerWith([{ kid: '2026-06', algorithm: 'RS256', privateKey: newKey.privatePem }]);
  const me = (manager: LoginManager<{ sub: string }>, token: string) =>
    request(appWith(manager, { controllers: [WhoAmIController] }))
      .get('/keys')
      .set('Authorization', `Bearer ${token}`);

  it('stamps the signing key kid in the header', () => {
    const token = during.createAccessToken({ data: { sub: 'u' } });
    expect(jwt.decode(token, { complete: true })?.header).to.include({ alg: 'RS256', kid: '2026-06' });
  });

  it('rotates: old tokens verify while the old key is listed, and stop once it is removed', async () => {
    const old = before.createAccessToken({ data: { sub: 'old' } });
    const fresh = during.createAccessToken({ data: { sub: 'new' } });
    await me(during, old).expect(200, { sub: 'old' });
    await me(during, fresh).expect(200, { sub: 'new' });
    await me(after, fresh).expect(200);
    await me(after, old).expect(401);
  });

  it('keeps tokens without kid (from a `secret` manager) working when that key stays listed without a kid', async () => {
    const legacy = new LoginManager({ secret: HS256_SECRET, audience: AUDIENCE, tokenUrl: '/t' }).createAccessToken({
      data: { sub: 'l' },
    });
    const rotated = managerWith([
      { kid: 'k2', algorithm: 'RS256', privateKey: newKey.privatePem },
      { algorithm: 'HS256', secret: HS256_SECRET },
    ]);
    await me(rotated, legacy).expect(200, { sub: 'l' });
  });

  it('builds a verify-only manager from jwks() that accepts the issuer tokens and refuses others', async () => {
    const published = JSON.parse(JSON.stringify(during.jwks()));
    const verifier = managerWith(published);
    await me(verifier, during.createAccessToken({ data: { sub: 'u' } })).expect(200, { sub: 'u' });
    await me(verifier, before.createAccessToken({ data: { sub: 'u' } })).expect(200);
    const stranger = managerWith([{ kid: '2026-06', algorithm: 'RS256', privateKey: oldKey.privatePem }]);
    await me(verifier, stranger.createAccessToken({ data: { sub: 'u' } })).expect(401);
    const hmacConfusion = forge(
      { alg: 'HS256', kid: '2026-06' },
      { sub: 'u', aud: AUDIENCE, exp: nowSeconds() + 60 },
      hmac(newKey.publicPem),
    );
    await me(verifier, hmacConfusion).expect(401);
    const forgedKid = forge(
      { alg: 'RS256', kid: '2026-06' },
      { sub: 'u', aud: AUDIENCE, exp: nowSeconds() + 60 },
      rs256(keyPair('p256').privateKey),
    );
    await me(verifier, forgedKid).expect(401);
  });

  it('verifies with a public PEM or KeyObject too, and refuses to sign', () => {
    for (const publicKey of [newKey.publicPem, newKey.publicKey]) {
      const verifier = managerWith([{ kid: 'k', algorithm: 'RS256', publicKey }]);
      expect(() => verifier.createAccessToken({ data: { sub: 'u' } })).to.throw(LoginConfigurationError, /verify-only/);
      expect(() => verifier.createRefreshToken({ data: { sub: 'u' } })).to.throw(
        LoginConfigurationError,
        /verify-only/,
      );
    }
  });

  it('publishes nothing for HMAC keys', () => {
    expect(new LoginManager({ secret: HS256_SECRET, tokenUrl: '/t' }).jwks()).to.deep.equal({ keys: [] });
  });
});
