import { expect } from 'chai';
import express from 'express';
import {
  type ExpressMiddlewareInterface,
  Get,
  JsonController,
  Middleware,
  useExpressServer,
} from 'routing-controllers';
import { LoggedIn, LoginConfigurationError, LoginManager, loginConfig, User } from 'routing-controllers-login';
import request from 'supertest';
import { Container, Service } from 'typedi';
import { appWith, stopWhenAnswered } from '../helpers/app';
import { HS256_SECRET } from '../helpers/keys';

interface Tenant {
  tenant: string;
  sub: string;
}

@LoggedIn()
@Service()
@JsonController('/shared')
class SharedController {
  @Get('/')
  whoami(@User() user: Tenant) {
    return user;
  }
}

let globalMiddlewareRuns = 0;

@Middleware({ type: 'before' })
@Service()
class CountingMiddleware implements ExpressMiddlewareInterface {
  use(_request: unknown, _response: unknown, next: () => void) {
    globalMiddlewareRuns += 1;
    next();
  }
}

const managerFor = (tenant: string, secret: string) =>
  new LoginManager<Tenant>({ secret, tokenUrl: '/t', userLoader: (sub) => ({ tenant, sub }) });

describe('loginConfig and several apps', () => {
  const alpha = managerFor('alpha', HS256_SECRET);
  const beta = managerFor('beta', `${HS256_SECRET}-beta`);
  const alphaApp = appWith(alpha, { controllers: [SharedController] });
  const betaApp = appWith(beta, { controllers: [SharedController] });

  it('serves one controller from two apps, each with its own manager', async () => {
    const alphaToken = alpha.createAccessToken({ data: { sub: 'a' } });
    const betaToken = beta.createAccessToken({ data: { sub: 'b' } });
    await request(alphaApp)
      .get('/shared')
      .set('Authorization', `Bearer ${alphaToken}`)
      .expect(200, { tenant: 'alpha', sub: 'a' });
    await request(betaApp)
      .get('/shared')
      .set('Authorization', `Bearer ${betaToken}`)
      .expect(200, { tenant: 'beta', sub: 'b' });
    await request(alphaApp).get('/shared').set('Authorization', `Bearer ${betaToken}`).expect(401);
    await request(betaApp).get('/shared').set('Authorization', `Bearer ${alphaToken}`).expect(401);
  });

  it('adds both checkers and leaves the rest of the options as they were', () => {
    const options = { controllers: [SharedController], routePrefix: '/api' };
    const config = loginConfig(options, alpha);
    expect(config.authorizationChecker).to.equal(alpha.authorizationChecker);
    expect(config.currentUserChecker).to.equal(alpha.currentUserChecker);
    expect(config).to.include({ routePrefix: '/api' });
    expect(config).not.to.have.property('middlewares');
    expect(options).not.to.have.property('authorizationChecker');
  });

  it("keeps routing-controllers' global middlewares running when no list is given", async () => {
    const before = globalMiddlewareRuns;
    await request(alphaApp).get('/shared').expect(401);
    expect(globalMiddlewareRuns).to.be.greaterThan(before);
    expect(CountingMiddleware).to.be.a('function');
  });

  it('uses the LoginManager registered in the typedi Container by default', async () => {
    Container.set(LoginManager, alpha);
    try {
      const app = express();
      useExpressServer(app, loginConfig({ controllers: [SharedController] }));
      app.use(stopWhenAnswered);
      const token = alpha.createAccessToken({ data: { sub: 'c' } });
      await request(app)
        .get('/shared')
        .set('Authorization', `Bearer ${token}`)
        .expect(200, { tenant: 'alpha', sub: 'c' });
    } finally {
      Container.remove(LoginManager);
    }
  });

  it('says how to register a manager when the Container has none', () => {
    expect(() => loginConfig({})).to.throw(LoginConfigurationError, /Container\.set\(LoginManager/);
  });

  it("refuses to overwrite the app's own checkers", () => {
    expect(() => loginConfig({ authorizationChecker: () => true }, alpha)).to.throw(
      LoginConfigurationError,
      /authorizationChecker is already set/,
    );
  });
});
