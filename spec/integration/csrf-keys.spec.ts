import { expect } from 'chai';
import { Get, JsonController, Post, Res } from 'routing-controllers';
import { type HttpExchange, LoggedIn, LoginManager, type LoginOptions, RequireCsrf } from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { appWith } from '../helpers/app';
import { CSRF_VALUE, csrfFor } from '../helpers/csrf';
import { HS256_SECRET, keyPair } from '../helpers/keys';
import { accountLoader } from '../helpers/users';

const users = accountLoader();
let current: LoginManager;

@Service()
@JsonController('/csrf-keys')
class CsrfKeysController {
  @Get('/login')
  page(@Res() response: HttpExchange) {
    return { csrf: current.csrfValue(response) };
  }

  @RequireCsrf()
  @Post('/login')
  login() {
    return { ok: true };
  }

  @LoggedIn()
  @Post('/notes')
  note() {
    return { ok: true };
  }
}

const OTHER_SECRET = 'another-secret-of-32-bytes-or-more-for-hs256!';
const cookieOptions = { secure: false };
const app = (manager: LoginManager) => {
  current = manager;
  return appWith(manager, { controllers: [CsrfKeysController] });
};
const make = (options: Partial<LoginOptions>) =>
  new LoginManager({
    tokenUrl: '/t',
    useCookie: true,
    userLoader: users.load,
    cookieOptions,
    ...options,
  } as LoginOptions);

describe('the key of CSRF values', () => {
  it('refuses a verify-only manager with cookies and CSRF on, saying to give csrfSecret', () => {
    const { publicPem } = keyPair('rsa');
    const verifyOnly = { keys: [{ algorithm: 'RS256' as const, publicKey: publicPem }], audience: 'api' };
    expect(() => make(verifyOnly)).to.throw(
      /`useCookie` with CSRF protection needs a key for its CSRF values.*give `csrfSecret`.*randomBytes\(32\)/,
    );
    expect(() => make({ ...verifyOnly, csrfSecret: HS256_SECRET })).not.to.throw();
    expect(() => make({ ...verifyOnly, useCookie: false, useHeader: true })).not.to.throw();
  });

  it('checks csrfSecret as an HMAC secret: long enough, varied, not a key', () => {
    const { publicPem } = keyPair('rsa');
    expect(() => make({ secret: HS256_SECRET, csrfSecret: 'short' })).to.throw(/`csrfSecret` is 5 bytes; HS256 needs/);
    expect(() => make({ secret: HS256_SECRET, csrfSecret: 'a'.repeat(32) })).to.throw(
      /`csrfSecret` has 1 distinct byte/,
    );
    expect(() => make({ secret: HS256_SECRET, csrfSecret: publicPem })).to.throw(/`csrfSecret` holds a public key/);
  });

  it('derives the key from a private key: an RS256 manager needs no csrfSecret', async () => {
    const manager = make({ secret: keyPair('rsa').privatePem, algorithm: 'RS256' });
    const token = manager.createAccessToken({ data: { sub: 'john@example.com' } });
    const value = csrfFor(manager, token);
    expect(value).to.match(CSRF_VALUE);
    const cookie = `access-token=${token}`;
    await request(app(manager)).post('/csrf-keys/notes').set('Cookie', cookie).set('X-CSRF-Token', value).expect(200);
  });

  it('keys values by csrfSecret when given, not by the signing key, so two services can share them', async () => {
    const issuer = make({ secret: HS256_SECRET, csrfSecret: OTHER_SECRET });
    const { csrf } = (await request(app(issuer)).get('/csrf-keys/login').expect(200)).body as { csrf: string };
    const post = (manager: LoginManager) =>
      request(app(manager)).post('/csrf-keys/login').set('Cookie', `csrf-token=${csrf}`).set('X-CSRF-Token', csrf);
    await post(make({ secret: 'a-third-secret-nobody-else-has-at-all-32b', csrfSecret: OTHER_SECRET })).expect(200);
    await post(make({ secret: HS256_SECRET })).expect(403);
  });

  it('verifies values made with any key of the ring, so a key rotation leaves open pages working', async () => {
    const before = make({ keys: [{ kid: 'old', algorithm: 'HS256', secret: HS256_SECRET }] });
    const { csrf } = (await request(app(before)).get('/csrf-keys/login').expect(200)).body as { csrf: string };
    const rotated = make({
      keys: [
        { kid: 'new', algorithm: 'HS256', secret: OTHER_SECRET },
        { kid: 'old', algorithm: 'HS256', secret: HS256_SECRET },
      ],
    });
    const post = (manager: LoginManager) =>
      request(app(manager)).post('/csrf-keys/login').set('Cookie', `csrf-token=${csrf}`).set('X-CSRF-Token', csrf);
    await post(rotated).expect(200);
    await post(make({ keys: [{ kid: 'new', algorithm: 'HS256', secret: OTHER_SECRET }] })).expect(403);
  });
});
