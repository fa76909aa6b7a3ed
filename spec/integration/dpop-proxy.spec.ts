import type { RequestListener } from 'node:http';
import { expect } from 'chai';
import { calculateThumbprint } from 'dpop';
import express from 'express';
import jwt from 'jsonwebtoken';
import { Get, JsonController } from 'routing-controllers';
import { LoggedIn, LoginManager, User } from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { appWith } from '../helpers/app';
import { type DpopClient, dpopClient, listening } from '../helpers/dpop';
import { HS256_SECRET } from '../helpers/keys';
import { koaAppWith } from '../helpers/koa';

type Who = { sub: string };
const manager = new LoginManager<Who>({
  secret: HS256_SECRET,
  tokenUrl: '/t',
  dpop: 'allowed',
  userLoader: (sub) => ({ sub }),
});
const PUBLIC = 'https://api.example.com';
/** What a TLS-terminating proxy in front of the app adds. */
const FORWARDED = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'api.example.com' };

@Service()
@JsonController('/px')
class ProxiedController {
  @LoggedIn()
  @Get('/me')
  me(@User() user: Who) {
    return user;
  }
}

/**
 * A token bound to the client's key: signed as an identity provider would, since this part of
 * the library only verifies (the token endpoint's binding has specs of its own).
 */
async function boundToken(client: DpopClient): Promise<string> {
  const jkt = await calculateThumbprint(client.keys.publicKey);
  return jwt.sign({ sub: 'ada', cnf: { jkt } }, HS256_SECRET, { expiresIn: '5m' });
}

describe('DPoP htu behind a proxy: X-Forwarded-Proto and X-Forwarded-Host only when the proxy is trusted', () => {
  let client: DpopClient;
  let token: string;
  const closing: Array<() => Promise<void>> = [];
  before(async () => {
    client = await dpopClient('ES256');
    token = await boundToken(client);
  });
  after(() => Promise.all(closing.map((close) => close())));

  const serve = async (listener: RequestListener) => {
    const served = await listening(listener);
    closing.push(served.close);
    return served.origin;
  };
  /** `path` on `origin` with the forwarded headers, and a proof made for `htu`. */
  const call = async (origin: string, path: string, htu: string) =>
    request(origin)
      .get(path)
      .set(FORWARDED)
      .set('Authorization', `DPoP ${token}`)
      .set('DPoP', await client.proof(htu, 'GET', { accessToken: token }));

  it("express with trust proxy: the proof names the public URL (the proxy's scheme and host)", async () => {
    const origin = await serve(
      appWith(manager as LoginManager<unknown>, { controllers: [ProxiedController] }, (app) => {
        app.set('trust proxy', 'loopback');
      }),
    );
    expect((await call(origin, '/px/me', `${PUBLIC}/px/me`)).status).to.equal(200);
    expect((await call(origin, '/px/me', `${origin}/px/me`)).status).to.equal(401);
  });

  it('express without trust proxy: the forwarded headers are anyone’s, so the URL is the one the app was sent', async () => {
    const origin = await serve(appWith(manager as LoginManager<unknown>, { controllers: [ProxiedController] }));
    expect((await call(origin, '/px/me', `${PUBLIC}/px/me`)).status).to.equal(401);
    expect((await call(origin, '/px/me', `${origin}/px/me`)).status).to.equal(200);
  });

  it('Koa with app.proxy, and without it', async () => {
    const trusting = await serve(
      koaAppWith(manager as LoginManager<unknown>, { controllers: [ProxiedController] }, (app) => {
        app.proxy = true;
      }).callback(),
    );
    expect((await call(trusting, '/px/me', `${PUBLIC}/px/me`)).status).to.equal(200);
    expect((await call(trusting, '/px/me', `${trusting}/px/me`)).status).to.equal(401);
    const direct = await serve(
      koaAppWith(manager as LoginManager<unknown>, { controllers: [ProxiedController] }).callback(),
    );
    expect((await call(direct, '/px/me', `${PUBLIC}/px/me`)).status).to.equal(401);
    expect((await call(direct, '/px/me', `${direct}/px/me`)).status).to.equal(200);
  });

  it('a router mounted under a path: htu is the full path the client sent (originalUrl)', async () => {
    const app = express();
    app.set('env', 'test');
    app.set('trust proxy', 'loopback');
    const api = express.Router();
    api.get('/me', manager.requireLogin(), (req, res) => {
      res.json((req as unknown as { user: Who }).user);
    });
    app.use('/api', api);
    const origin = await serve(app);
    expect((await call(origin, '/api/me', `${PUBLIC}/api/me`)).status).to.equal(200);
    expect((await call(origin, '/api/me', `${PUBLIC}/me`)).status).to.equal(401);
  });

  it('plain Node http: the Host header, TLS or not, and never the forwarded headers', async () => {
    const guard = manager.requireLogin();
    const origin = await serve((req, res) =>
      guard(req, res, (error?: unknown) => {
        res.statusCode = error ? ((error as { status: number }).status ?? 500) : 200;
        res.end();
      }),
    );
    expect((await call(origin, '/n/me', `${origin}/n/me`)).status).to.equal(200);
    expect((await call(origin, '/n/me', `${PUBLIC}/n/me`)).status).to.equal(401);
  });
});
