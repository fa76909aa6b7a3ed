import { expect } from 'chai';
import { Get, JsonController } from 'routing-controllers';
import { LoggedIn, type LoginErrorCode, LoginManager, type LoginOptions } from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { onEveryServer, type Server } from '../helpers/drivers';
import { forge, HS256_SECRET, hmac, nowSeconds } from '../helpers/keys';

@Service()
@JsonController('/ledger')
class LedgerController {
  @LoggedIn()
  @Get('/')
  open() {
    return { opened: true };
  }
}

const A = 'https://a.example.com';
const B = 'https://b.example.com';
const SECRET_B = `${HS256_SECRET}-of-issuer-b`;
const claims = (extra: Record<string, unknown> = {}) => ({
  sub: 'mallory',
  iss: A,
  aud: 'ledger',
  iat: nowSeconds(),
  exp: nowSeconds() + 300,
  ...extra,
});
/** 8 KiB of nesting: what made a bad-signature token cost five times a flat one. */
const deep = JSON.parse(`${'['.repeat(3000)}${']'.repeat(3000)}`);
const badSignature = () => 'c2lnbmF0dXJlLW9mLW5vYm9keQ';

/** A real app whose manager (built from `options`) reports each refusal's code. */
function target(server: Server, options: Partial<LoginOptions>) {
  const codes: LoginErrorCode[] = [];
  const manager = new LoginManager({
    tokenUrl: '/t',
    userLoader: (sub) => ({ sub }),
    onAuthFailure: (code) => void codes.push(code),
    maxTokenLength: 16_384,
    ...options,
  } as LoginOptions);
  const app = server.app(manager, { controllers: [LedgerController] });
  const get = async (token: string) => {
    codes.length = 0;
    const response = await request(app).get('/ledger').set('Authorization', `Bearer ${token}`);
    return { status: response.status, codes: [...codes] };
  };
  return { get };
}

onEveryServer('signature before payload, through a real app', (server) => {
  it('one issuer: a bad signature is the reason, whatever the payload (not JSON, another iss, 8 KiB deep)', async () => {
    const { get } = target(server, { secret: HS256_SECRET, issuer: A, audience: 'ledger' });
    for (const payload of ['not json', claims({ iss: 'https://evil.example.com' }), claims({ d: deep })]) {
      expect(await get(forge({ alg: 'HS256', typ: 'JWT' }, payload, badSignature))).to.deep.equal({
        status: 401,
        codes: ['signature_invalid'],
      });
    }
    expect((await get(forge({ alg: 'HS256' }, claims(), hmac(HS256_SECRET)))).status).to.equal(200);
  });

  it('several issuers: a deeply nested bad-signature payload is refused before it is parsed', async () => {
    const { get } = target(server, {
      issuers: [
        { issuer: A, keys: [{ algorithm: 'HS256', secret: HS256_SECRET }], audience: 'ledger' },
        { issuer: B, keys: [{ algorithm: 'HS256', secret: SECRET_B }], audience: 'ledger' },
      ],
    });
    expect(await get(forge({ alg: 'HS256' }, claims({ d: deep }), badSignature))).to.deep.equal({
      status: 401,
      codes: ['token_malformed'],
    });
    expect((await get(forge({ alg: 'HS256' }, claims(), hmac(HS256_SECRET)))).status).to.equal(200);
    expect((await get(forge({ alg: 'HS256' }, claims({ iss: B }), hmac(SECRET_B)))).status).to.equal(200);
  });
});
