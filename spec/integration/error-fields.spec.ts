import { expect } from 'chai';
import express from 'express';
import Koa from 'koa';
import { Controller, Get, JsonController } from 'routing-controllers';
import { InsufficientScopeError, InvalidCredentialsError, LoggedIn, LoginManager } from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { appWith } from '../helpers/app';
import { HS256_SECRET } from '../helpers/keys';
import { koaAppWith } from '../helpers/koa';

class NotLoggedIn extends Error {}

@Service()
@Controller('/text')
class TextController {
  @LoggedIn({ scopes: ['admin'] })
  @Get('/')
  page() {
    return 'ok';
  }
}

@Service()
@JsonController('/custom')
class CustomController {
  @LoggedIn()
  @Get('/')
  page() {
    return { ok: true };
  }
}

describe('errors answer with their status under every error handler', () => {
  const manager = new LoginManager({ secret: HS256_SECRET, tokenUrl: '/t', userLoader: (sub) => ({ sub }) });

  it("express's final handler: next(new InvalidCredentialsError()) after middleware() is a 401, not a 500", async () => {
    const app = express();
    app.set('env', 'test'); // express logs errors reaching its final handler unless env is 'test'
    app.use(manager.middleware());
    app.get('/', (_req, _res, next) => next(new InvalidCredentialsError()));
    const response = await request(app).get('/').expect(401);
    expect(response.text).to.include('InvalidCredentialsError: Invalid credentials');
    expect(response.text).not.to.match(/\bat .*\.js:\d+/);
  });

  it('a refusal the app builds itself carries its RFC 6750 challenge on express and Koa', async () => {
    const app = express();
    app.set('env', 'test');
    app.get('/401', (_req, _res, next) => next(new InvalidCredentialsError()));
    app.get('/invalid', (_req, _res, next) => next(new InvalidCredentialsError('token_expired')));
    app.get('/403', (_req, _res, next) => next(new InsufficientScopeError()));
    expect((await request(app).get('/401').expect(401)).headers['www-authenticate']).to.equal('Bearer');
    const invalid = await request(app).get('/invalid').expect(401);
    expect(invalid.headers['www-authenticate']).to.equal('Bearer error="invalid_token"');
    const scope = await request(app).get('/403').expect(403);
    expect(scope.headers['www-authenticate']).to.equal('Bearer error="insufficient_scope"');
    const koa = new Koa();
    koa.silent = true;
    koa.use(() => {
      throw new InvalidCredentialsError();
    });
    expect((await request(koa.callback()).get('/').expect(401)).headers['www-authenticate']).to.equal('Bearer');
  });

  it("Koa's own error handling: a thrown refusal is a 401 carrying its challenge", async () => {
    const app = new Koa();
    app.silent = true;
    app.use(() => {
      const error = new InvalidCredentialsError();
      error.headers = { 'WWW-Authenticate': 'Bearer' };
      throw error;
    });
    const response = await request(app.callback()).get('/').expect(401);
    expect(response.headers['www-authenticate']).to.equal('Bearer');
    expect(response.text).to.equal('Invalid credentials');
  });

  it('puts the challenge in error.headers, and no stack trace in a text body in development mode', async () => {
    const app = appWith(manager, { controllers: [TextController], development: true });
    const token = manager.createAccessToken({ data: { sub: 'u' } });
    const denied = await request(app).get('/text').set('Authorization', `Bearer ${token}`).expect(403);
    expect(denied.text).to.equal('InsufficientScopeError: Insufficient scope');
    const error = await manager.getCurrentUser('x.y.z').catch((e: unknown) => e);
    expect(error).to.deep.include({ headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } });
  });

  it("gives an app's error class the status fields, out of its JSON body", async () => {
    const custom = new LoginManager({
      secret: HS256_SECRET,
      tokenUrl: '/t',
      userLoader: (sub) => ({ sub }),
      notAuthenticatedError: NotLoggedIn,
    });
    const error = await custom.getCurrentUser('x.y.z').catch((e: unknown) => e);
    expect(error).to.be.instanceOf(NotLoggedIn).and.include({ httpCode: 401, status: 401, statusCode: 401 });
    expect(error).to.deep.include({ expose: true, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } });
    const koa = koaAppWith(custom, { controllers: [CustomController], defaultErrorHandler: false });
    const response = await request(koa.callback()).get('/custom').expect(401);
    expect(response.headers['www-authenticate']).to.equal('Bearer');
  });
});
