import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import type { Express } from 'express';
import { Get, JsonController } from 'routing-controllers';
import { LoggedIn, type LoginErrorCode, LoginManager, type LoginOptions } from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { appWith } from '../helpers/app';
import { forge, HS256_SECRET, hmac, keyPair, nowSeconds, rs256 } from '../helpers/keys';

@Service()
@JsonController('/vault')
class VaultController {
  @LoggedIn()
  @Get('/')
  open() {
    return { opened: true };
  }
}

const ISSUER = 'https://auth.example.com';
const AUDIENCE = 'vault-api';

/** A real app whose manager reports every refusal's code. */
function target(options: Partial<LoginOptions> = {}) {
  const codes: LoginErrorCode[] = [];
  const manager = new LoginManager({
    secret: HS256_SECRET,
    tokenUrl: '/t',
    issuer: ISSUER,
    audience: AUDIENCE,
    userLoader: (sub) => ({ sub }),
    onAuthFailure: (code) => void codes.push(code),
    ...options,
  } as LoginOptions);
  return { manager, app: appWith(manager, { controllers: [VaultController] }), codes };
}

const claims = (extra: Record<string, unknown> = {}) => ({
  sub: 'mallory',
  iss: ISSUER,
  aud: AUDIENCE,
  iat: nowSeconds(),
  exp: nowSeconds() + 300,
  ...extra,
});
const ours = (payload: unknown = claims(), header: Record<string, unknown> = {}) =>
  forge({ alg: 'HS256', typ: 'JWT', ...header }, payload, hmac(HS256_SECRET));
const rawPayload = (json: string) => {
  const header = Buffer.from(JSON.stringify({ alg: 'HS256' })).toString('base64url');
  const input = `${header}.${Buffer.from(json).toString('base64url')}`;
  return `${input}.${hmac(HS256_SECRET)(input)}`;
};

/** Sends one request and checks it was refused with `status` and `code`, without a 500 or an echo. */
async function expectRefused(app: Express, codes: LoginErrorCode[], token: string, code: LoginErrorCode, status = 401) {
  codes.length = 0;
  const response = await request(app).get('/vault').set('Authorization', `Bearer ${token}`);
  expect(response.status, `${code}: ${response.text}`).to.equal(status);
  expect(codes).to.deep.equal([code]);
  if (token.length > 16) expect(response.text).not.to.include(token.slice(-16));
}

describe('adversarial: classic JWT attacks through a real app', () => {
  const { app, codes, manager } = target();

  it('writes issuer and audience into the tokens it issues', () => {
    const payload = JSON.parse(
      Buffer.from(manager.createAccessToken({ data: { sub: 'x' } }).split('.')[1] as string, 'base64url').toString(),
    );
    expect(payload).to.include({ iss: ISSUER, aud: AUDIENCE });
  });

  it('accepts the well-formed token every attack starts from', async () => {
    await request(app).get('/vault').set('Authorization', `Bearer ${ours()}`).expect(200, { opened: true });
    await request(app)
      .get('/vault')
      .set('Authorization', `Bearer ${manager.createAccessToken({ data: { sub: 'x' } })}`)
      .expect(200);
  });

  const attacks: Array<[string, () => string, LoginErrorCode]> = [
    ['alg none', () => forge({ alg: 'none' }, claims()), 'algorithm_not_allowed'],
    ['alg None', () => forge({ alg: 'None' }, claims()), 'algorithm_not_allowed'],
    ['alg NONE with a signature', () => forge({ alg: 'NONE' }, claims(), hmac(HS256_SECRET)), 'algorithm_not_allowed'],
    ['alg missing', () => forge({ typ: 'JWT' }, claims(), hmac(HS256_SECRET)), 'algorithm_not_allowed'],
    [
      'HS512 with the right secret',
      () => forge({ alg: 'HS512' }, claims(), hmac(HS256_SECRET, 'sha512')),
      'algorithm_not_allowed',
    ],
    [
      'RS256 signed by an attacker key',
      () => forge({ alg: 'RS256' }, claims(), rs256(keyPair('rsa').privateKey)),
      'algorithm_not_allowed',
    ],
    ['kid of 10 KB', () => ours(claims(), { kid: 'k'.repeat(10_240) }), 'token_too_long'],
    ['an unknown crit extension', () => ours(claims(), { crit: ['exp'], exp: 1 }), 'token_malformed'],
    ['typ JOSE+JSON', () => ours(claims(), { typ: 'JOSE+JSON' }), 'token_malformed'],
    ['typ as a number', () => ours(claims(), { typ: 1 }), 'token_malformed'],
    ['no exp', () => ours(claims({ exp: undefined })), 'claim_invalid'],
    ['an expired exp', () => ours(claims({ exp: nowSeconds() - 1 })), 'token_expired'],
    ['a negative exp', () => ours(claims({ exp: -1 })), 'token_expired'],
    ['a string exp', () => ours(claims({ exp: String(nowSeconds() + 300) })), 'claim_invalid'],
    ['exp 1e20', () => ours(claims({ exp: 1e20 })), 'claim_invalid'],
    ['exp NaN (not JSON at all)', () => rawPayload(`{"sub":"m","exp":NaN}`), 'token_malformed'],
    ['a future nbf', () => ours(claims({ nbf: nowSeconds() + 60 })), 'token_not_yet_valid'],
    ['a string nbf', () => ours(claims({ nbf: 'now' })), 'claim_invalid'],
    ['a future iat', () => ours(claims({ iat: nowSeconds() + 60 })), 'token_not_yet_valid'],
    ['a negative iat', () => ours(claims({ iat: -1 })), 'claim_invalid'],
    ['iat 1e20', () => ours(claims({ iat: 1e20 })), 'token_not_yet_valid'],
    ['a wrong iss', () => ours(claims({ iss: 'https://evil.example.com' })), 'issuer_invalid'],
    ['no iss', () => ours(claims({ iss: undefined })), 'issuer_invalid'],
    ['a wrong aud', () => ours(claims({ aud: 'other-api' })), 'audience_invalid'],
    ['no aud', () => ours(claims({ aud: undefined })), 'audience_invalid'],
    ['a string payload', () => ours('mallory'), 'token_malformed'],
    ['an array payload', () => ours([claims()]), 'token_malformed'],
    ['no sub', () => ours(claims({ sub: undefined })), 'claim_invalid'],
    ['a numeric sub', () => ours(claims({ sub: 1 })), 'claim_invalid'],
    [
      'a signature from another secret',
      () => forge({ alg: 'HS256' }, claims(), hmac(`${HS256_SECRET}!`)),
      'signature_invalid',
    ],
    ['an empty signature', () => `${ours().split('.').slice(0, 2).join('.')}.`, 'signature_invalid'],
    ['garbage', () => 'not-a-token', 'token_malformed'],
  ];

  for (const [name, make, code] of attacks) {
    it(`refuses ${name}: 401 ${code}`, () => expectRefused(app, codes, make(), code));
  }

  // With keys named by kid, a token's kid is only ever an opaque id (a single key without kid ignores it).
  const named = { secret: undefined, keys: [{ kid: 'k1', algorithm: 'HS256' as const, secret: HS256_SECRET }] };
  const kidAttacks: Array<[string, string]> = [
    ['a path', '../../etc/passwd'],
    ['SQL', "' OR '1'='1' --"],
    ['a prototype name', '__proto__'],
  ];
  for (const [name, kid] of kidAttacks) {
    it(`refuses kid as ${name} when keys are named: 401 signature_invalid`, async () => {
      const withKids = target(named);
      await request(withKids.app)
        .get('/vault')
        .set('Authorization', `Bearer ${ours(claims(), { kid: 'k1' })}`)
        .expect(200);
      await expectRefused(withKids.app, withKids.codes, ours(claims(), { kid }), 'signature_invalid');
    });
  }

  it('treats a 10 KB kid as just an unknown id when the length limit allows it', async () => {
    const roomy = target({ ...named, maxTokenLength: 20_000 });
    await expectRefused(roomy.app, roomy.codes, ours(claims(), { kid: 'k'.repeat(10_240) }), 'signature_invalid');
  });

  it('accepts negative nbf (long valid) and JWT typ spellings', async () => {
    await request(app)
      .get('/vault')
      .set('Authorization', `Bearer ${ours(claims({ nbf: -1 }))}`)
      .expect(200);
    for (const typ of ['jwt', 'at+jwt', 'application/at+jwt']) {
      await request(app)
        .get('/vault')
        .set('Authorization', `Bearer ${ours(claims(), { typ })}`)
        .expect(200);
    }
  });

  it('refuses a token one byte over maxTokenLength and accepts it at exactly the limit', async () => {
    const token = ours(claims({ padding: 'p'.repeat(500) }));
    const exact = target({ maxTokenLength: token.length });
    await request(exact.app).get('/vault').set('Authorization', `Bearer ${token}`).expect(200);
    const tight = target({ maxTokenLength: token.length - 1 });
    await expectRefused(tight.app, tight.codes, token, 'token_too_long');
    const huge = ours(claims({ padding: 'p'.repeat(8192) }));
    expect(huge.length).to.be.greaterThan(8192);
    await expectRefused(app, codes, huge, 'token_too_long');
  });

  describe('with RS256: HMAC key confusion and embedded or remote keys', () => {
    let fetches = 0;
    let keyServer: Server;
    let keyUrl = '';
    const rs = target({ secret: keyPair('rsa').privatePem, algorithm: 'RS256' });
    const attacker = keyPair('rsa2');

    before(async () => {
      keyServer = createServer((_req, res) => {
        fetches += 1;
        res.end(JSON.stringify({ keys: [attacker.publicKey.export({ format: 'jwk' })] }));
      });
      await new Promise<void>((resolve) => keyServer.listen(0, '127.0.0.1', resolve));
      keyUrl = `http://127.0.0.1:${(keyServer.address() as AddressInfo).port}/jwks.json`;
    });
    after(() => new Promise((resolve) => keyServer.close(resolve)));

    it('refuses HS256 signed with the public PEM, also with leading whitespace or a BOM', async () => {
      const { publicPem } = keyPair('rsa');
      for (const pem of [publicPem, `\n  ${publicPem}`, `\ufeff${publicPem}`]) {
        await expectRefused(rs.app, rs.codes, forge({ alg: 'HS256' }, claims(), hmac(pem)), 'algorithm_not_allowed');
      }
    });

    it('never trusts or fetches jku, x5u, jwk or x5c: an attacker-signed token stays refused', async () => {
      const jwk = attacker.publicKey.export({ format: 'jwk' });
      const x5c = [attacker.publicPem.replace(/-----[^-]+-----|\s/g, '')];
      for (const header of [{ jku: keyUrl }, { x5u: keyUrl }, { jwk }, { x5c }]) {
        const token = forge({ alg: 'RS256', ...header }, claims(), rs256(attacker.privateKey));
        await expectRefused(rs.app, rs.codes, token, 'signature_invalid');
      }
      expect(fetches).to.equal(0);
    });
  });

  describe('malformed Authorization headers', () => {
    let server: Server;
    let port = 0;
    before(async () => {
      server = createServer(app);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    after(() => new Promise((resolve) => server.close(resolve)));

    /** A raw request, so a header can be sent several times. */
    const send = (authorization: string | string[]) =>
      new Promise<{ status: number; challenge: string | undefined }>((resolve, reject) => {
        const req = httpRequest({ port, host: '127.0.0.1', path: '/vault' }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, challenge: res.headers['www-authenticate'] }));
        });
        req.setHeader('Authorization', authorization);
        req.on('error', reject);
        req.end();
      });

    for (const [name, value] of [
      ['another scheme', `Basic ${Buffer.from('a:b').toString('base64')}`],
      ['Bearer alone', 'Bearer'],
      ['two tokens', `Bearer ${ours()} ${ours()}`],
      ['a comma list', `Bearer ${ours()}, Bearer ${ours()}`],
      ['several headers', [`Bearer ${ours()}`, `Bearer ${ours()}`]],
      ['a quoted token', `Bearer "${ours()}"`],
    ] as const) {
      it(`treats ${name} as no token: 401 token_missing`, async () => {
        codes.length = 0;
        const response = await send(value as string | string[]);
        expect(response.status).to.equal(401);
        expect(response.challenge).to.equal('Bearer');
        expect(codes).to.deep.equal(['token_missing']);
      });
    }
  });

  it('refuses empty and short secrets at construction', () => {
    for (const secret of ['', 'short', 'x'.repeat(31)]) {
      expect(() => new LoginManager({ secret, tokenUrl: '/t' })).to.throw(/secret/);
    }
  });
});
