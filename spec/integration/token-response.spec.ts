import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { expect } from 'chai';
import { JsonController, Post, Res } from 'routing-controllers';
import {
  type HttpExchange,
  InvalidCredentialsError,
  LoginManager,
  type TokenResponse,
} from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { frozenClock } from '../helpers/clock';
import { onEveryServer } from '../helpers/drivers';
import { forge, HS256_SECRET, hmac } from '../helpers/keys';
import { accountLoader } from '../helpers/users';

const clock = frozenClock();
const users = accountLoader();
const manager = new LoginManager({ secret: HS256_SECRET, tokenUrl: '/t', userLoader: users.load, clock: clock.now });
const data = { sub: 'john@example.com' };
/** What the `/given` route answers with. */
let given = '';

/** A token bound to a key (RFC 9449): `cnf.jkt`, the SHA-256 thumbprint of the client's key. */
function dpopBound(): string {
  const iat = Math.floor(clock.ms / 1000);
  const payload = { ...data, iat, exp: iat + 600, jti: 'bound-1', type: 'access', cnf: { jkt: 'A'.repeat(43) } };
  return forge({ alg: 'HS256', typ: 'JWT' }, payload, hmac(HS256_SECRET));
}

/** Token routes answering as a real token endpoint would, each with what it issued. */
@Service()
@JsonController('/token-response')
class TokenRoutes {
  @Post('/pair')
  pair(@Res() res: HttpExchange) {
    return manager.tokenResponse(manager.createTokens({ data, scopes: ['items:read', 'items:write'] }), res);
  }

  @Post('/access')
  access(@Res() res: HttpExchange) {
    return manager.tokenResponse(manager.createAccessToken({ data }), res);
  }

  @Post('/awaited')
  async awaited(@Res() res: HttpExchange) {
    // The pair itself, as a route that awaited createTokens has it: the helper takes the value as it takes the promise.
    const tokens = await manager.createTokens({ data, scopes: ['a'] });
    return manager.tokenResponse(tokens, res);
  }

  @Post('/given')
  given(@Res() res: HttpExchange) {
    return manager.tokenResponse(given, res);
  }

  @Post('/bound')
  bound(@Res() res: HttpExchange) {
    return manager.tokenResponse(dpopBound(), res);
  }

  @Post('/refused-refresh')
  refusedRefresh(@Res() res: HttpExchange) {
    return manager.tokenResponse(manager.refreshTokens('not.a.token'), res);
  }

  @Post('/wrong-password')
  wrong(): never {
    throw new InvalidCredentialsError();
  }
}

/** RFC 6749 §5.1: no-store and no-cache. */
function expectUncacheable(response: request.Response): void {
  expect(response.headers['cache-control']).to.equal('no-store');
  expect(response.headers.pragma).to.equal('no-cache');
  expect(response.headers['content-type']).to.match(/^application\/json/);
}

onEveryServer('manager.tokenResponse(tokens, res): the token endpoint as RFC 6749 §5.1 says', (server) => {
  const app = server.app(manager as LoginManager<unknown>, { controllers: [TokenRoutes] });

  it('answers a pair with access_token, token_type Bearer, expires_in, refresh_token and scope', async () => {
    const response = await request(app).post('/token-response/pair').expect(200);
    const body = response.body as TokenResponse;
    expect(Object.keys(body)).to.have.members(['access_token', 'token_type', 'expires_in', 'refresh_token', 'scope']);
    expect(body).to.include({ token_type: 'Bearer', expires_in: 15 * 60, scope: 'items:read items:write' });
    expectUncacheable(response);
    const me = await manager.getCurrentUser(body.access_token);
    expect(me).to.deep.equal({ email: 'john@example.com', name: 'John' });
    expect((await manager.refreshTokens(body.refresh_token as string)).accessToken).to.be.a('string');
  });

  it('leaves out refresh_token and scope when the tokens have none', async () => {
    const response = await request(app).post('/token-response/access').expect(200);
    expect(Object.keys(response.body)).to.have.members(['access_token', 'token_type', 'expires_in']);
    expectUncacheable(response);
  });

  it('counts expires_in from now, on the manager clock', async () => {
    given = manager.createAccessToken({ data, expiresIn: '10m' });
    clock.advance(61_000);
    const response = await request(app).post('/token-response/given').expect(200);
    expect(response.body.expires_in).to.equal(600 - 61);
  });

  it('takes the pair itself as well as the promise createTokens returns', async () => {
    const response = await request(app).post('/token-response/awaited').expect(200);
    expect(response.body).to.include({ token_type: 'Bearer', scope: 'a' });
    expect(response.body.refresh_token).to.be.a('string');
    expectUncacheable(response);
  });

  it('says DPoP for an access token bound to a key (cnf.jkt), as RFC 9449 §5 says', async () => {
    const response = await request(app).post('/token-response/bound').expect(200);
    expect(response.body).to.include({ token_type: 'DPoP', expires_in: 600 });
    expectUncacheable(response);
  });

  it("enables nothing with express's ETag: the same POST with If-None-Match gets 200 and new tokens, never a 304", async () => {
    const first = await request(app).post('/token-response/pair').expect(200);
    const etag = first.headers.etag as string | undefined; // express adds one to JSON bodies; Koa does not
    const again = await request(app)
      .post('/token-response/pair')
      .set('If-None-Match', etag ?? '*')
      .expect(200);
    expect(again.body.access_token).to.be.a('string').and.not.equal(first.body.access_token);
    if (etag !== undefined) expect(again.headers.etag).not.to.equal(etag);
    expectUncacheable(again);
  });

  it('passes a refused refresh on as its 401, the promise rejected', async () => {
    const response = await request(app).post('/token-response/refused-refresh').expect(401);
    expect(response.body).to.deep.equal({ name: 'InvalidCredentialsError', message: 'Invalid credentials' });
    expect(response.headers).not.to.have.property('pragma');
  });

  it('keeps the 401 of a failed login', async () => {
    const response = await request(app).post('/token-response/wrong-password').expect(401);
    expect(response.body).to.deep.equal({ name: 'InvalidCredentialsError', message: 'Invalid credentials' });
  });
});

describe('manager.tokenResponse(): what it refuses', () => {
  const response = () => new ServerResponse(new IncomingMessage(new Socket()));

  it('throws a TypeError for anything but this manager tokens, swapped ones included', async () => {
    const { accessToken, refreshToken } = await manager.createTokens({ data });
    const other = new LoginManager({ secret: `${HS256_SECRET}-other`, tokenUrl: '/t' });
    const foreign = other.createAccessToken({ data });
    expect(() => manager.tokenResponse(refreshToken, response())).to.throw(TypeError, /valid access token/);
    expect(() => manager.tokenResponse({ accessToken: refreshToken, refreshToken: accessToken }, response())).to.throw(
      TypeError,
    );
    expect(() => manager.tokenResponse(foreign, response())).to.throw(TypeError, /signature_invalid/);
    expect(() => manager.tokenResponse({} as never, response())).to.throw(TypeError, /createTokens returns/);
    expect(() => manager.tokenResponse(accessToken, {} as never)).to.throw(TypeError);
  });

  it("sets the headers on a plain Node response, over the app's own Cache-Control", () => {
    const res = response();
    res.setHeader('Cache-Control', 'public, max-age=600');
    const body = manager.tokenResponse(manager.createAccessToken({ data }), res);
    expect(body.token_type).to.equal('Bearer');
    expect(res.getHeader('cache-control')).to.equal('no-store');
    expect(res.getHeader('pragma')).to.equal('no-cache');
  });

  it('sets no header when the tokens are refused', () => {
    const res = response();
    expect(() => manager.tokenResponse('not-a-token', res)).to.throw(TypeError, /token_malformed/);
    expect(res.getHeaderNames()).to.deep.equal([]);
  });
});
