import { expect } from 'chai';
import express from 'express';
import { Get, JsonController, UnauthorizedError, useExpressServer } from 'routing-controllers';
import { LoggedIn, LoginManager, type LoginOptions, loginConfig } from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { appWith } from '../helpers/app';
import { HS256_SECRET } from '../helpers/keys';
import { accountLoader } from '../helpers/users';

class NotLoggedIn extends Error {}
class NeedsMoreRights extends Error {}

@Service()
@JsonController('/custom')
class CustomController {
  @LoggedIn()
  @Get('/')
  page() {
    return { ok: true };
  }

  @LoggedIn({ scopes: ['admin'] })
  @Get('/admin')
  admin() {
    return { ok: true };
  }
}

describe('custom errors', () => {
  const users = accountLoader();
  const managerWith = (errors: Pick<LoginOptions, 'notAuthenticatedError' | 'outOfScopeError'>) =>
    new LoginManager({ secret: HS256_SECRET, tokenUrl: '/t', userLoader: users.load, ...errors });

  it('throws notAuthenticatedError (a class), which an error handler can turn into a redirect', async () => {
    const manager = managerWith({ notAuthenticatedError: NotLoggedIn });
    const app = express();
    useExpressServer(app, loginConfig({ controllers: [CustomController], defaultErrorHandler: false }, manager));
    app.use((error: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
      if (error instanceof NotLoggedIn) res.redirect('/login');
      else next(error);
    });
    const response = await request(app).get('/custom').expect(302);
    expect(response.headers.location).to.equal('/login');
  });

  it('keeps 401, the challenge and a code on an app error class without an httpCode', async () => {
    const manager = managerWith({ notAuthenticatedError: NotLoggedIn });
    const response = await request(appWith(manager, { controllers: [CustomController] }))
      .get('/custom')
      .set('Authorization', 'Bearer x.y.z')
      .expect(401);
    expect(response.headers['www-authenticate']).to.equal('Bearer error="invalid_token"');
    expect(response.body.name).to.equal('NotLoggedIn');
    expect(response.body).not.to.have.property('code');
    expect(response.body).not.to.have.property('httpCode');
  });

  it('accepts a factory and keeps the status the error brings', async () => {
    const manager = managerWith({ notAuthenticatedError: () => new UnauthorizedError('Log in first') });
    const response = await request(appWith(manager, { controllers: [CustomController] }))
      .get('/custom')
      .expect(401);
    expect(response.body.message).to.equal('Log in first');
    expect(response.headers['www-authenticate']).to.equal('Bearer');
  });

  it('throws outOfScopeError for a missing scope, with a 403 and the scope challenge', async () => {
    const manager = managerWith({ outOfScopeError: NeedsMoreRights });
    const token = manager.createAccessToken({ data: { sub: 'john@example.com' } });
    const response = await request(appWith(manager, { controllers: [CustomController] }))
      .get('/custom/admin')
      .set('Authorization', `Bearer ${token}`)
      .expect(403);
    expect(response.body.name).to.equal('NeedsMoreRights');
    expect(response.headers['www-authenticate']).to.equal('Bearer error="insufficient_scope", scope="admin"');
  });

  it('rejects getCurrentUser with the custom error, carrying the reason as code', async () => {
    const manager = managerWith({ notAuthenticatedError: NotLoggedIn });
    const error = await manager.getCurrentUser('garbage').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(NotLoggedIn);
    expect((error as { code?: string }).code).to.equal('token_malformed');
  });
});
