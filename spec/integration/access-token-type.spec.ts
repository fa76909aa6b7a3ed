import { expect } from 'chai';
import { importPKCS8, SignJWT } from 'jose';
import jwt from 'jsonwebtoken';
import { Get, JsonController, Post, Req } from 'routing-controllers';
import {
  type HttpExchange,
  LoggedIn,
  LoginConfigurationError,
  type LoginErrorCode,
  LoginManager,
  type LoginOptions,
  User,
} from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { appWith } from '../helpers/app';
import { type KeyServer, startKeyServer } from '../helpers/key-server';
import { HS256_SECRET, keyPair } from '../helpers/keys';
import { verifierApp } from '../helpers/verifier';

type Who = { sub: string };
const ISSUER = 'https://auth.example.com';
const AUDIENCE = 'orders';
const es = keyPair('p256');
const codes: LoginErrorCode[] = [];
const managerWith = (options: Partial<LoginOptions<Who>>) =>
  new LoginManager<Who>({
    tokenUrl: '/t',
    issuer: ISSUER,
    audience: AUDIENCE,
    userLoader: (sub) => ({ sub }),
    onAuthFailure: (code) => void codes.push(code),
    ...options,
  } as LoginOptions<Who>);
const issuer = managerWith({
  keys: [{ kid: 'k1', algorithm: 'ES256', privateKey: es.privatePem }],
  accessTokenType: 'at+jwt',
});
/** The same issuer, key and audience, without the profile: what it signs is a JWT but not an RFC 9068 access token. */
const plain = managerWith({ keys: [{ kid: 'k1', algorithm: 'ES256', privateKey: es.privatePem }] });

@Service()
@JsonController('/at')
class AtController {
  @LoggedIn()
  @Get('/me')
  me(@User() user: Who) {
    return user;
  }

  @LoggedIn({ refresh: true })
  @Post('/refresh')
  async refresh(@Req() req: HttpExchange) {
    return { access_token: await issuer.refreshAccessToken(req) };
  }
}

const typOf = (token: string) => jwt.decode(token, { complete: true })?.header.typ;
/** An OpenID Connect ID token of the issuer (typ JWT, same iss, aud and key), as jose makes it. */
async function idToken(typ = 'JWT', claims: Record<string, unknown> = {}) {
  return new SignJWT({ sub: 'ada', nonce: 'n-0S6_WzA2Mj', ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1', typ })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(await importPKCS8(es.privatePem, 'ES256'));
}

describe('accessTokenType: at+jwt (RFC 9068)', () => {
  const app = appWith(issuer as LoginManager<unknown>, { controllers: [AtController] });
  const me = (token: string) => request(app).get('/at/me').set('Authorization', `Bearer ${token}`);
  beforeEach(() => codes.splice(0));

  it('issues access tokens with typ at+jwt and refresh tokens with typ JWT, however they are made', async () => {
    expect(typOf(issuer.createAccessToken({ data: { sub: 'ada' } }))).to.equal('at+jwt');
    expect(typOf(issuer.createRefreshToken({ data: { sub: 'ada' } }))).to.equal('JWT');
    const pair = await issuer.createTokens({ data: { sub: 'ada' } });
    expect([typOf(pair.accessToken), typOf(pair.refreshToken)]).to.deep.equal(['at+jwt', 'JWT']);
    const renewed = await request(app)
      .post('/at/refresh')
      .set('Authorization', `Bearer ${pair.refreshToken}`)
      .expect(200);
    expect(typOf(renewed.body.access_token)).to.equal('at+jwt');
    const rotated = await issuer.refreshTokens(pair.refreshToken);
    expect([typOf(rotated.accessToken), typOf(rotated.refreshToken)]).to.deep.equal(['at+jwt', 'JWT']);
    expect(typOf(plain.createAccessToken({ data: { sub: 'ada' } }))).to.equal('JWT');
  });

  it('accepts its access tokens, and refuses an ID token of the same issuer, audience and key (401 token_type_invalid)', async () => {
    await me(issuer.createAccessToken({ data: { sub: 'ada' } })).expect(200, { sub: 'ada' });
    const refused = await me(await idToken()).expect(401);
    expect(refused.headers['www-authenticate']).to.equal('Bearer error="invalid_token"');
    expect(codes).to.deep.equal(['token_type_invalid']);
  });

  it('refuses an access token without typ at+jwt: typ JWT, no typ, and what a manager without the option signs', async () => {
    await me(plain.createAccessToken({ data: { sub: 'ada' } })).expect(401);
    const untyped = jwt.sign({ sub: 'ada', iss: ISSUER, aud: AUDIENCE, type: 'access' }, es.privateKey, {
      algorithm: 'ES256',
      keyid: 'k1',
      expiresIn: 60,
      header: { alg: 'ES256', typ: undefined },
    });
    expect(typOf(untyped)).to.equal(undefined);
    await me(untyped).expect(401);
    expect(codes).to.deep.equal(['token_type_invalid', 'token_type_invalid']);
  });

  it('takes at+jwt in any case and as application/at+jwt (media types are case-insensitive)', async () => {
    for (const typ of ['at+jwt', 'AT+JWT', 'application/at+jwt'])
      await me(await idToken(typ)).expect(200, { sub: 'ada' });
  });

  it('keeps refresh routes working, and refuses a refresh token that claims typ at+jwt', async () => {
    const refresh = issuer.createRefreshToken({ data: { sub: 'ada' } });
    await request(app).post('/at/refresh').set('Authorization', `Bearer ${refresh}`).expect(200);
    const odd = await idToken('at+jwt', { type: 'refresh' });
    await request(app).post('/at/refresh').set('Authorization', `Bearer ${odd}`).expect(401);
    expect(codes).to.deep.equal(['token_type_invalid']);
  });

  it('without the option an ID token passes as an access token: the hole the option closes', async () => {
    const open = appWith(plain as LoginManager<unknown>, { controllers: [AtController] });
    await request(open)
      .get('/at/me')
      .set('Authorization', `Bearer ${await idToken()}`)
      .expect(200, { sub: 'ada' });
  });

  it('verify-only from a JWK Set (keys: jwks) refuses the ID token and takes the access token', async () => {
    const verifier = managerWith({ keys: issuer.jwks(), accessTokenType: 'at+jwt' });
    const open = appWith(verifier as LoginManager<unknown>, { controllers: [AtController] });
    const get = (token: string) => request(open).get('/at/me').set('Authorization', `Bearer ${token}`);
    await get(issuer.createAccessToken({ data: { sub: 'ada' } })).expect(200);
    await get(await idToken()).expect(401);
  });

  it('refuses a value other than at+jwt at construction, and at+jwt beside issuers', () => {
    expect(() => managerWith({ secret: HS256_SECRET, accessTokenType: 'jwt' as never })).to.throw(
      LoginConfigurationError,
      /`accessTokenType` "jwt" is not one this library knows: give 'at\+jwt'/,
    );
    expect(() =>
      managerWith({
        issuer: undefined,
        audience: undefined,
        accessTokenType: 'at+jwt',
        issuers: [{ issuer: ISSUER, keys: issuer.jwks() }],
      }),
    ).to.throw(LoginConfigurationError, /move accessTokenType into its entry/);
    expect(() =>
      managerWith({
        issuer: undefined,
        audience: undefined,
        issuers: [{ issuer: ISSUER, keys: issuer.jwks(), accessTokenType: 'AT+JWT' as never }],
      }),
    ).to.throw(LoginConfigurationError, /issuers\[0\]: `accessTokenType` "AT\+JWT"/);
  });

  describe('remote keys', () => {
    let server: KeyServer;
    const closers: Array<() => Promise<void>> = [];
    beforeEach(async () => {
      server = await startKeyServer(issuer.jwks());
      closers.push(() => server.close());
    });
    afterEach(async () => {
      for (const close of closers.splice(0)) await close();
    });

    it('jwksUri: refuses the ID token, takes the access token', async () => {
      const app = await verifierApp({
        jwksUri: server.jwksUri,
        algorithms: ['ES256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        accessTokenType: 'at+jwt',
      });
      closers.push(app.close);
      await app.get(issuer.createAccessToken({ data: { sub: 'ada' } })).expect(200, { sub: 'ada' });
      await app.get(await idToken()).expect(401);
      expect(app.codes).to.deep.equal(['token_type_invalid']);
    });

    it('issuers: each entry has its own accessTokenType', async () => {
      const other = keyPair('p384');
      const legacy = new LoginManager({
        keys: [{ kid: 'l1', algorithm: 'ES384', privateKey: other.privatePem }],
        issuer: 'https://legacy.example.com',
        audience: AUDIENCE,
        tokenUrl: '/t',
      });
      const app = await verifierApp({
        issuers: [
          {
            issuer: ISSUER,
            jwksUri: server.jwksUri,
            algorithms: ['ES256'],
            audience: AUDIENCE,
            accessTokenType: 'at+jwt',
          },
          { issuer: 'https://legacy.example.com', keys: legacy.jwks(), audience: AUDIENCE },
        ],
      });
      closers.push(app.close);
      await app.get(issuer.createAccessToken({ data: { sub: 'ada' } })).expect(200);
      await app.get(await idToken()).expect(401);
      // The legacy issuer writes typ JWT and is not held to the profile.
      await app.get(legacy.createAccessToken({ data: { sub: 'bob' } })).expect(200, { sub: 'bob' });
      expect(app.codes).to.deep.equal(['token_type_invalid']);
    });
  });
});
