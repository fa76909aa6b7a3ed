import { sign } from 'node:crypto';
import { expect } from 'chai';
import { createLocalJWKSet, importPKCS8, jwtVerify, SignJWT } from 'jose';
import jwt from 'jsonwebtoken';
import { Get, JsonController } from 'routing-controllers';
import { type KeyConfig, LoggedIn, LoginConfigurationError, LoginManager, User } from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { appWith } from '../helpers/app';
import { type KeyServer, startKeyServer } from '../helpers/key-server';
import { forge, HS256_SECRET, keyPair, nowSeconds } from '../helpers/keys';
import { verifierApp } from '../helpers/verifier';

@LoggedIn()
@Service()
@JsonController('/ed')
class EdController {
  @Get('/me')
  me(@User() user: { sub: string }) {
    return user;
  }
}

const ed = keyPair('ed25519');
/** Whom the tokens of the JWK Set tests are for: a verify-only manager checks it. */
const AUDIENCE = 'ed-api';
const ed2 = keyPair('ed25519b');
const managerWith = (options: Record<string, unknown>) =>
  new LoginManager<{ sub: string }>({ tokenUrl: '/t', userLoader: (sub) => ({ sub }), ...options });
const me = (manager: LoginManager<{ sub: string }>, token: string) =>
  request(appWith(manager, { controllers: [EdController] }))
    .get('/ed/me')
    .set('Authorization', `Bearer ${token}`);
/** An EdDSA token signed with plain node:crypto: any header, any claims. */
const edToken = (header: object, claims: object, key = ed.privateKey) =>
  forge(header, claims, (input) => sign(null, Buffer.from(input), key).toString('base64url'));

describe('EdDSA (Ed25519): sign and verify through a real app', () => {
  it('signs with an Ed25519 PEM or KeyObject as `secret` and verifies its tokens', async () => {
    for (const secret of [ed.privatePem, ed.privateKey]) {
      const manager = managerWith({ secret, algorithm: 'EdDSA' });
      const token = manager.createAccessToken({ data: { sub: 'ada' } });
      expect(jwt.decode(token, { complete: true })?.header).to.deep.equal({ alg: 'EdDSA', typ: 'JWT' });
      await me(manager, token).expect(200, { sub: 'ada' });
    }
  });

  it('refuses an EdDSA token of another key, and any other alg on an EdDSA manager', async () => {
    const manager = managerWith({ secret: ed.privatePem, algorithm: 'EdDSA' });
    const claims = { sub: 'ada', exp: nowSeconds() + 60 };
    await me(manager, edToken({ alg: 'EdDSA' }, claims, ed2.privateKey)).expect(401);
    await me(manager, edToken({ alg: 'Ed25519' }, claims)).expect(401);
    await me(manager, edToken({ alg: 'EdDSA' }, claims)).expect(200);
    const hs = managerWith({ secret: HS256_SECRET });
    await me(hs, edToken({ alg: 'EdDSA' }, claims)).expect(401);
  });

  it('refuses an Ed448 key at construction, saying so', () => {
    expect(() => managerWith({ secret: keyPair('ed448').privatePem, algorithm: 'EdDSA' })).to.throw(
      LoginConfigurationError,
      /Ed448 is not supported/,
    );
    expect(() =>
      managerWith({ keys: [{ kid: 'x', algorithm: 'EdDSA', publicKey: keyPair('ed448').publicPem }] }),
    ).to.throw(LoginConfigurationError, /Ed448 is not supported/);
  });

  it('rotates in keys[]: an EdDSA key signs while an RS256 key still verifies its older tokens', async () => {
    const rsa = keyPair('rsa');
    const before = managerWith({ keys: [{ kid: 'rs', algorithm: 'RS256', privateKey: rsa.privatePem }] });
    const during = managerWith({
      keys: [
        { kid: 'ed', algorithm: 'EdDSA', privateKey: ed.privatePem },
        { kid: 'rs', algorithm: 'RS256', publicKey: rsa.publicPem },
      ] satisfies KeyConfig[],
    });
    const fresh = during.createAccessToken({ data: { sub: 'new' } });
    expect(jwt.decode(fresh, { complete: true })?.header).to.include({ alg: 'EdDSA', kid: 'ed' });
    await me(during, fresh).expect(200, { sub: 'new' });
    await me(during, before.createAccessToken({ data: { sub: 'old' } })).expect(200, { sub: 'old' });
    // The kid pins the algorithm: an RS256 kid with an EdDSA signature is refused.
    await me(during, edToken({ alg: 'EdDSA', kid: 'rs' }, { sub: 'x', exp: nowSeconds() + 60 })).expect(401);
  });

  it('publishes the key in jwks() as OKP/Ed25519, and a manager given that JWK Set verifies its tokens', async () => {
    const issuer = managerWith({
      keys: [{ kid: 'ed', algorithm: 'EdDSA', privateKey: ed.privateKey }],
      audience: AUDIENCE,
    });
    const published = JSON.parse(JSON.stringify(issuer.jwks()));
    expect(published).to.deep.equal({
      keys: [
        {
          kty: 'OKP',
          crv: 'Ed25519',
          x: ed.publicKey.export({ format: 'jwk' }).x,
          kid: 'ed',
          alg: 'EdDSA',
          use: 'sig',
        },
      ],
    });
    const verifier = managerWith({ keys: published, audience: AUDIENCE });
    await me(verifier, issuer.createAccessToken({ data: { sub: 'ada' } })).expect(200, { sub: 'ada' });
    await me(
      verifier,
      edToken({ alg: 'EdDSA', kid: 'ed' }, { sub: 'x', aud: AUDIENCE, exp: nowSeconds() + 60 }, ed2.privateKey),
    ).expect(401);
  });

  it('interoperates with jose: our tokens verify with jose from jwks(), jose-signed tokens verify with us', async () => {
    const issuer = managerWith({
      keys: [{ kid: 'ed', algorithm: 'EdDSA', privateKey: ed.privatePem }],
      audience: AUDIENCE,
    });
    const ours = issuer.createAccessToken({ data: { sub: 'ada' } });
    const { payload } = await jwtVerify(ours, createLocalJWKSet(issuer.jwks() as never), { algorithms: ['EdDSA'] });
    expect(payload.sub).to.equal('ada');
    const theirs = await new SignJWT({ sub: 'grace' })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'ed', typ: 'JWT' })
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(await importPKCS8(ed.privatePem, 'EdDSA'));
    await me(managerWith({ keys: issuer.jwks(), audience: AUDIENCE }), theirs).expect(200, { sub: 'grace' });
  });

  describe('from a remote JWK Set (jwksUri, algorithms: [EdDSA])', () => {
    let server: KeyServer;
    const closers: Array<() => Promise<void>> = [];
    const issuer = managerWith({
      keys: [{ kid: 'ed', algorithm: 'EdDSA', privateKey: ed.privatePem }],
      audience: AUDIENCE,
    });
    beforeEach(async () => {
      server = await startKeyServer(issuer.jwks());
      closers.push(() => server.close());
    });
    afterEach(async () => {
      for (const close of closers.splice(0)) await close();
    });

    it('verifies tokens we sign and tokens jose signs; refuses another key and an algorithm not listed', async () => {
      const app = await verifierApp({ jwksUri: server.jwksUri, algorithms: ['EdDSA'], audience: AUDIENCE });
      closers.push(app.close);
      await app.get(issuer.createAccessToken({ data: { sub: 'ada' } })).expect(200, { sub: 'ada' });
      const theirs = await new SignJWT({ sub: 'grace' })
        .setProtectedHeader({ alg: 'EdDSA', kid: 'ed' })
        .setAudience(AUDIENCE)
        .setExpirationTime('5m')
        .sign(ed.privateKey);
      await app.get(theirs).expect(200, { sub: 'grace' });
      await app
        .get(edToken({ alg: 'EdDSA', kid: 'ed' }, { sub: 'x', aud: AUDIENCE, exp: nowSeconds() + 60 }, ed2.privateKey))
        .expect(401);
      expect(app.codes).to.deep.equal(['signature_invalid']);
      const rsOnly = await verifierApp({ jwksUri: server.jwksUri, algorithms: ['RS256'], audience: AUDIENCE });
      closers.push(rsOnly.close);
      await rsOnly.get(issuer.createAccessToken({ data: { sub: 'ada' } })).expect(401);
    });
  });
});
