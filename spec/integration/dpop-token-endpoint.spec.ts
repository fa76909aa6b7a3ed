import { expect } from 'chai';
import { calculateThumbprint } from 'dpop';
import jwt from 'jsonwebtoken';
import { Get, JsonController, Post, Req, Res } from 'routing-controllers';
import {
  HmacNonces,
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
import { alteredProof, type DpopClient, dpopClient, listening } from '../helpers/dpop';
import { onEveryServer, type Server } from '../helpers/drivers';
import { forge, HS256_SECRET, hmac } from '../helpers/keys';

type Who = { sub: string };
const codes: LoginErrorCode[] = [];
const managerWith = (options: Partial<LoginOptions<Who>> = {}) =>
  new LoginManager<Who>({
    secret: HS256_SECRET,
    tokenUrl: '/tk/token',
    dpop: 'allowed',
    userLoader: (sub) => ({ sub }),
    onAuthFailure: (code) => void codes.push(code),
    ...options,
  } as LoginOptions<Who>);

/** The manager the controller below issues with: set per app, as each test table builds its own. */
let current = managerWith();

@Service()
@JsonController('/tk')
class TokenController {
  /** The README's token endpoint: a password would be checked here; the tokens bind to the proof's key, if any. */
  @Post('/token')
  token(@Req() req: HttpExchange, @Res() res: HttpExchange) {
    return current.tokenResponse(current.createTokens({ data: { sub: 'ada' }, dpop: req }), res);
  }

  @LoggedIn({ refresh: true })
  @Post('/refresh')
  refresh(@Req() req: HttpExchange, @Res() res: HttpExchange) {
    return current.tokenResponse(current.refreshTokens(req), res);
  }

  @LoggedIn()
  @Get('/me')
  me(@User() user: Who) {
    return user;
  }
}

const cnfOf = (token: string) => (jwt.decode(token) as { cnf?: { jkt: string } }).cnf;

onEveryServer('DPoP at the token endpoint and on refresh (RFC 9449 §5, §6)', (server: Server) => {
  let client: DpopClient;
  let thief: DpopClient;
  let jkt: string;
  let origin: string;
  let close: () => Promise<void>;
  before(async () => {
    client = await dpopClient('ES256');
    thief = await dpopClient('Ed25519');
    jkt = await calculateThumbprint(client.keys.publicKey);
    current = managerWith();
    ({ origin, close } = await listening(
      server.app(current as LoginManager<unknown>, { controllers: [TokenController] }),
    ));
  });
  after(() => close());
  beforeEach(() => codes.splice(0));

  const login = async (by: DpopClient | null = client) => {
    const call = request(origin).post('/tk/token');
    return by ? call.set('DPoP', await by.proof(`${origin}/tk/token`, 'POST')) : call;
  };
  /** A request with `Authorization: DPoP <token>` and a proof of `by` for it. */
  const withProof = async (method: 'GET' | 'POST', path: string, token: string, by: DpopClient = client) =>
    (method === 'GET' ? request(origin).get(path) : request(origin).post(path))
      .set('Authorization', `DPoP ${token}`)
      .set('DPoP', await by.proof(`${origin}${path}`, method, { accessToken: token }));

  it('binds both tokens to the key of the proof (cnf.jkt) and answers token_type DPoP', async () => {
    const response = await login();
    expect(response.status, JSON.stringify(response.body)).to.equal(200);
    expect(response.body.token_type).to.equal('DPoP');
    expect(cnfOf(response.body.access_token)).to.deep.equal({ jkt });
    expect(cnfOf(response.body.refresh_token)).to.deep.equal({ jkt });
    expect((await withProof('GET', '/tk/me', response.body.access_token)).body).to.deep.equal({ sub: 'ada' });
    const asBearer = await request(origin).get('/tk/me').set('Authorization', `Bearer ${response.body.access_token}`);
    expect([asBearer.status, codes.at(-1)]).to.deep.equal([401, 'dpop_required']);
  });

  it('issues bearer tokens to a client without a proof', async () => {
    const response = await login(null);
    expect(response.body.token_type).to.equal('Bearer');
    expect(cnfOf(response.body.access_token)).to.equal(undefined);
    const me = await request(origin).get('/tk/me').set('Authorization', `Bearer ${response.body.access_token}`);
    expect(me.status).to.equal(200);
  });

  it('refuses a proof for another URL, another method or from long ago: 401 with the DPoP challenge', async () => {
    const url = `${origin}/tk/token`;
    const proofs = {
      htu: await client.proof(`${origin}/tk/other`, 'POST'),
      htm: await client.proof(url, 'PUT'),
      iat: alteredProof(client, await client.proof(url, 'POST'), ({ claims }) => {
        claims.iat = (claims.iat as number) - 3600;
      }),
    };
    for (const [wrong, proof] of Object.entries(proofs)) {
      const refused = await request(origin).post('/tk/token').set('DPoP', proof);
      expect([refused.status, refused.body.code], wrong).to.deep.equal([401, 'dpop_proof_invalid']);
      expect(refused.headers['www-authenticate'], wrong).to.match(/^Bearer, DPoP error="invalid_dpop_proof", algs="/);
      expect(refused.body.access_token, wrong).to.equal(undefined);
    }
  });

  it('refuses a proof used before: the first use gets tokens, a replay 401', async () => {
    const proof = await client.proof(`${origin}/tk/token`, 'POST');
    expect((await request(origin).post('/tk/token').set('DPoP', proof)).status).to.equal(200);
    const replayed = await request(origin).post('/tk/token').set('DPoP', proof);
    expect([replayed.status, replayed.body.code]).to.deep.equal([401, 'dpop_proof_invalid']);
  });

  it('refreshes a bound refresh token with a proof of its key: the new tokens stay bound to it', async () => {
    const { refresh_token } = (await login()).body;
    const refreshed = await withProof('POST', '/tk/refresh', refresh_token);
    expect(refreshed.status, JSON.stringify(refreshed.body)).to.equal(200);
    expect(refreshed.body.token_type).to.equal('DPoP');
    expect(cnfOf(refreshed.body.access_token)).to.deep.equal({ jkt });
    expect(cnfOf(refreshed.body.refresh_token)).to.deep.equal({ jkt });
    expect((await withProof('GET', '/tk/me', refreshed.body.access_token)).status).to.equal(200);
    expect((await withProof('POST', '/tk/refresh', refreshed.body.refresh_token)).status).to.equal(200);
  });

  it('refuses a refresh with a proof of another key, without a proof, or as a bearer token', async () => {
    const { refresh_token } = (await login()).body;
    const stolen = await withProof('POST', '/tk/refresh', refresh_token, thief);
    expect([stolen.status, stolen.body.code]).to.deep.equal([401, 'dpop_proof_invalid']);
    const unproved = await request(origin).post('/tk/refresh').set('Authorization', `DPoP ${refresh_token}`);
    expect([unproved.status, unproved.body.code]).to.deep.equal([401, 'dpop_proof_invalid']);
    const asBearer = await request(origin).post('/tk/refresh').set('Authorization', `Bearer ${refresh_token}`);
    expect([asBearer.status, asBearer.body.code]).to.deep.equal([401, 'dpop_required']);
    // None of the refusals used it up: its owner still refreshes.
    expect((await withProof('POST', '/tk/refresh', refresh_token)).status).to.equal(200);
  });

  it('refuses a bound refresh token handed over as a string (no request, so no proof)', async () => {
    const { refresh_token } = (await login()).body;
    const refused = await current.refreshTokens(refresh_token).then(
      () => 'refreshed',
      (error: { code: string }) => error.code,
    );
    expect(refused).to.equal('dpop_required');
  });
});

onEveryServer('DPoP at the token endpoint: nonces, required, off', (server: Server) => {
  let client: DpopClient;
  const closing: Array<() => Promise<void>> = [];
  before(async () => {
    client = await dpopClient('ES256');
  });
  after(() => Promise.all(closing.map((close) => close())));
  const serve = async (manager: LoginManager<Who>) => {
    current = manager;
    const served = await listening(server.app(manager as LoginManager<unknown>, { controllers: [TokenController] }));
    closing.push(served.close);
    return served.origin;
  };

  it('with nonces: 401 use_dpop_nonce and DPoP-Nonce first, tokens with the nonce', async () => {
    const origin = await serve(
      managerWith({ dpop: { nonces: new HmacNonces({ secret: 'k'.repeat(20) + 'm'.repeat(20) }) } }),
    );
    const first = await request(origin)
      .post('/tk/token')
      .set('DPoP', await client.proof(`${origin}/tk/token`, 'POST'));
    expect([first.status, first.body.code]).to.deep.equal([401, 'dpop_nonce_required']);
    expect(first.headers['www-authenticate']).to.match(/^Bearer, DPoP error="use_dpop_nonce", algs="/);
    const nonce = first.headers['dpop-nonce'] as string;
    const again = await request(origin)
      .post('/tk/token')
      .set('DPoP', await client.proof(`${origin}/tk/token`, 'POST', { nonce }));
    expect([again.status, again.body.token_type]).to.deep.equal([200, 'DPoP']);
  });

  it("dpop: 'required' refuses a token request without a proof, and createTokens without the request", async () => {
    const manager = managerWith({ dpop: 'required' });
    const origin = await serve(manager);
    const response = await request(origin).post('/tk/token');
    expect([response.status, response.body.code]).to.deep.equal([401, 'dpop_proof_invalid']);
    expect(response.headers['www-authenticate']).to.match(/^DPoP error="invalid_dpop_proof", algs="/);
    const proved = await request(origin)
      .post('/tk/token')
      .set('DPoP', await client.proof(`${origin}/tk/token`, 'POST'));
    expect([proved.status, proved.body.token_type]).to.deep.equal([200, 'DPoP']);
    await manager.createTokens({ data: { sub: 'ada' } }).then(
      () => expect.fail('createTokens() issued bearer tokens that no route of this manager takes'),
      (error: Error) => {
        expect(error).to.be.instanceOf(TypeError);
        expect(error.message).to.include("with dpop 'required'");
        expect(error.message).to.include('createTokens({ data, dpop: req })');
      },
    );
  });

  it('DPoP off: createTokens({ dpop: req }) is a configuration error, not a silent bearer token', async () => {
    const origin = await serve(managerWith({ dpop: undefined }));
    server.expectServerErrors();
    const response = await request(origin)
      .post('/tk/token')
      .set('DPoP', await client.proof(`${origin}/tk/token`, 'POST'));
    expect(response.status).to.equal(500);
    expect(response.body.access_token).to.equal(undefined);
    const req = { headers: {}, rawHeaders: [] };
    await current.createTokens({ data: { sub: 'ada' }, dpop: req as never }).then(
      () => expect.fail('createTokens() resolved'),
      (error: Error) => {
        expect(error).to.be.instanceOf(LoginConfigurationError);
        expect(error.message).to.match(/DPoP is off for this manager: set `dpop: 'allowed'`/);
      },
    );
  });
});

describe('DPoP binding when issuing', () => {
  const manager = managerWith();
  const jkt = 'A'.repeat(43);

  it('binds only through createTokens: createAccessToken and createRefreshToken refuse `dpop`, naming it', () => {
    const access = () => manager.createAccessToken({ data: { sub: 'ada' }, dpop: jkt } as never);
    const refresh = () => manager.createRefreshToken({ data: { sub: 'ada' }, dpop: jkt } as never);
    for (const create of [access, refresh]) {
      expect(create).to.throw(TypeError, /`dpop` binds a login's tokens .*createTokens\(\{ data, dpop: req \}\)/);
    }
  });

  it('refuses cnf in data, and a dpop that is not a request (a thumbprint binds nothing nobody proved)', async () => {
    await manager.createTokens({ data: { sub: 'ada', cnf: { jkt } } }).then(
      () => expect.fail('createTokens() took data.cnf'),
      (error: Error) => expect(error.message).to.match(/`data.cnf` is set from createTokens' dpop option/),
    );
    for (const dpop of [jkt, 42, { jkt }]) {
      await manager.createTokens({ data: { sub: 'ada' }, dpop: dpop as never }).then(
        () => expect.fail(`createTokens() took dpop: ${JSON.stringify(dpop)}`),
        (error: Error) => {
          expect(error, String(dpop)).to.be.instanceOf(TypeError);
          expect(error.message).to.match(/^createTokens\(\{ dpop \}\): expected express's req/);
        },
      );
    }
  });

  it('refuses to put a bound token in a cookie', () => {
    const cookies = managerWith({ useCookie: true });
    const iat = Math.floor(Date.now() / 1000);
    const claims = { sub: 'ada', iat, exp: iat + 600, jti: 'bound-1', type: 'access', cnf: { jkt } };
    const token = forge({ alg: 'HS256', typ: 'JWT' }, claims, hmac(HS256_SECRET));
    const res = { setHeader() {}, getHeader() {}, req: { headers: {} } };
    expect(() => cookies.setCookie(res as never, token)).to.throw(TypeError, /a DPoP-bound token needs a proof/);
  });
});
