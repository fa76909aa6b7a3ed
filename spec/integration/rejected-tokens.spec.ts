import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { Get, JsonController } from 'routing-controllers';
import { InvalidCredentialsError, LoggedIn, type LoginErrorCode, LoginManager } from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { appWith } from '../helpers/app';
import { forge, HS256_SECRET, hmac, keyPair, nowSeconds } from '../helpers/keys';
import { accountLoader } from '../helpers/users';

@Service()
@JsonController('/guarded')
class GuardedController {
  @LoggedIn()
  @Get('/')
  guarded() {
    return { ok: true };
  }
}

const HS256 = { alg: 'HS256', typ: 'JWT' };
const valid = () => ({ sub: 'john@example.com', iat: nowSeconds(), exp: nowSeconds() + 600 });
const signed = (payload: unknown, header: unknown = HS256) => forge(header, payload, hmac(HS256_SECRET));

/** Each input a client could send, and the reason it must be refused for. */
const REJECTED: Array<[string, () => string, LoginErrorCode]> = [
  ['alg: none', () => forge({ alg: 'none', typ: 'JWT' }, valid()), 'algorithm_not_allowed'],
  ['alg: None', () => forge({ alg: 'None' }, valid()), 'algorithm_not_allowed'],
  ['alg: NONE with a signature', () => forge({ alg: 'NONE' }, valid(), hmac(HS256_SECRET)), 'algorithm_not_allowed'],
  [
    'another algorithm (HS512) with the right secret',
    () => jwt.sign(valid(), HS256_SECRET, { algorithm: 'HS512' }),
    'algorithm_not_allowed',
  ],
  ['a signature by another secret', () => forge(HS256, valid(), hmac(`${HS256_SECRET}-other`)), 'signature_invalid'],
  [
    'a tampered payload',
    () => {
      const [header, , signature] = signed(valid()).split('.');
      const payload = Buffer.from(JSON.stringify({ ...valid(), sub: 'jane@example.com' })).toString('base64url');
      return `${header}.${payload}.${signature}`;
    },
    'signature_invalid',
  ],
  ['no exp', () => signed({ sub: 'john@example.com', iat: nowSeconds() }), 'claim_invalid'],
  ['a string exp', () => signed({ ...valid(), exp: String(nowSeconds() + 600) }), 'claim_invalid'],
  ['a null exp', () => signed({ ...valid(), exp: null }), 'claim_invalid'],
  ['an expired token', () => signed({ ...valid(), exp: nowSeconds() - 1 }), 'token_expired'],
  ['a token expiring this very second', () => signed({ ...valid(), exp: nowSeconds() }), 'token_expired'],
  ['nbf in the future', () => signed({ ...valid(), nbf: nowSeconds() + 60 }), 'token_not_yet_valid'],
  ['a string nbf', () => signed({ ...valid(), nbf: 'soon' }), 'claim_invalid'],
  ['a string iat', () => signed({ ...valid(), iat: 'now' }), 'claim_invalid'],
  ['no sub', () => signed({ exp: nowSeconds() + 600 }), 'claim_invalid'],
  ['an empty sub', () => signed({ ...valid(), sub: '' }), 'claim_invalid'],
  ['a numeric sub', () => signed({ ...valid(), sub: 42 }), 'claim_invalid'],
  ['a string scopes claim', () => signed({ ...valid(), scopes: 'admin' }), 'claim_invalid'],
  ['a string payload', () => signed('hello'), 'token_malformed'],
  ['an array payload', () => signed([valid()]), 'token_malformed'],
  ['a null payload', () => signed(null), 'token_malformed'],
  ['a numeric payload', () => signed(42), 'token_malformed'],
  [
    'a header that is not JSON',
    () => `${Buffer.from('{alg').toString('base64url')}.${signed(valid()).split('.')[1]}.abc`,
    'token_malformed',
  ],
  ['an array header', () => signed(valid(), ['HS256']), 'token_malformed'],
  ['a truncated token', () => signed(valid()).slice(0, 30), 'token_malformed'],
  ['a token missing its signature part', () => signed(valid()).split('.').slice(0, 2).join('.'), 'token_malformed'],
  [
    'a token with an empty signature',
    () => `${signed(valid()).split('.').slice(0, 2).join('.')}.`,
    'signature_invalid',
  ],
  ['garbage', () => 'garbage', 'token_malformed'],
  ['four parts', () => `${signed(valid())}.x`, 'token_malformed'],
  ['a user the loader cannot find', () => signed({ ...valid(), sub: 'ghost@example.com' }), 'user_not_found'],
];

describe('tokens that must be refused', () => {
  const users = accountLoader();
  const manager = new LoginManager({ secret: HS256_SECRET, tokenUrl: '/t', userLoader: users.load });
  const app = appWith(manager, { controllers: [GuardedController] });

  it('accepts the well-formed token the table mutates (so each refusal below is about its mutation)', async () => {
    await request(app)
      .get('/guarded')
      .set('Authorization', `Bearer ${signed(valid())}`)
      .expect(200);
    expect(await manager.getCurrentUser(signed(valid()))).to.deep.include({ email: 'john@example.com' });
  });

  for (const [name, make, code] of REJECTED) {
    it(`refuses ${name}: 401 invalid_token through an app, ${code} from getCurrentUser`, async () => {
      const token = make();
      const response = await request(app).get('/guarded').set('Authorization', `Bearer ${token}`).expect(401);
      expect(response.headers['www-authenticate']).to.equal('Bearer error="invalid_token"');
      expect(response.text).not.to.include(token);
      const error = await manager.getCurrentUser(token).then(
        () => expect.fail('accepted'),
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(InvalidCredentialsError);
      expect(error).to.include({ code, httpCode: 401, message: 'Invalid credentials' });
    });
  }

  describe('with RS256', () => {
    const { privatePem, publicPem } = keyPair('rsa');
    const rsManager = new LoginManager({
      secret: privatePem,
      tokenUrl: '/t',
      algorithm: 'RS256',
      userLoader: users.load,
    });
    const rsApp = appWith(rsManager, { controllers: [GuardedController] });

    it('accepts its own tokens', async () => {
      const token = rsManager.createAccessToken({ data: { sub: 'john@example.com' } });
      await request(rsApp).get('/guarded').set('Authorization', `Bearer ${token}`).expect(200);
    });

    it('refuses an HS256 token signed with the public PEM (key confusion)', async () => {
      for (const pem of [publicPem, `  ${publicPem}`, `\ufeff${publicPem}`]) {
        const token = forge(HS256, valid(), hmac(pem));
        await request(rsApp).get('/guarded').set('Authorization', `Bearer ${token}`).expect(401);
        await rsManager.getCurrentUser(token).then(
          () => expect.fail('accepted'),
          (e: { code: string }) => expect(e.code).to.equal('algorithm_not_allowed'),
        );
      }
    });

    it('refuses an RS256 token signed by another key', async () => {
      const other = jwt.sign(valid(), keyPair('rsa2').privateKey, { algorithm: 'RS256' });
      await request(rsApp).get('/guarded').set('Authorization', `Bearer ${other}`).expect(401);
      await rsManager.getCurrentUser(other).then(
        () => expect.fail('accepted'),
        (e: { code: string }) => expect(e.code).to.equal('signature_invalid'),
      );
    });
  });

  it('refuses an empty or non-string token in getCurrentUser', async () => {
    for (const token of ['', undefined, 42]) {
      await manager.getCurrentUser(token as string).then(
        () => expect.fail('accepted'),
        (e: { code: string }) => expect(e.code).to.equal('token_missing'),
      );
    }
  });
});
