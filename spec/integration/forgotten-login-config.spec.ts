import { expect } from 'chai';
import express, { type ErrorRequestHandler } from 'express';
import Koa from 'koa';
import { Get, JsonController, useExpressServer, useKoaServer } from 'routing-controllers';
import {
  InvalidCredentialsError,
  LoggedIn,
  LoginConfigurationError,
  LoginManager,
  User,
} from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { appWith } from '../helpers/app';
import { HS256_SECRET } from '../helpers/keys';

@LoggedIn()
@Service()
@JsonController('/guarded')
class GuardedController {
  @Get('/')
  list() {
    return { ok: true };
  }
}

@Service()
@JsonController('/profile')
class ProfileController {
  @Get('/')
  me(@User() user: unknown) {
    return user;
  }
}

/** An express app set up the way a user who forgot loginConfig() sets it up. */
function appWithoutLoginConfig(seen: unknown[]) {
  const app = express();
  useExpressServer(app, { controllers: [GuardedController, ProfileController] });
  const record: ErrorRequestHandler = (error, _request, response, _next) => {
    seen.push(error);
    response.status(500).json({ message: error.message });
  };
  app.use(record);
  return app;
}

describe('an app set up without loginConfig()', () => {
  for (const [route, controller] of [
    ['/guarded', 'GuardedController'],
    ['/profile', 'ProfileController'],
  ] as const) {
    it(`explains on ${route} that loginConfig() is missing, instead of routing-controllers' @Authorized message`, async () => {
      const seen: unknown[] = [];
      const response = await request(appWithoutLoginConfig(seen)).get(route).expect(500);
      expect(seen).to.have.length(1);
      expect(seen[0]).to.be.instanceOf(LoginConfigurationError);
      const { message } = seen[0] as Error;
      expect(message).to.match(/^routing-controllers-login: /);
      expect(message).to.include(controller).and.include('useExpressServer(app, loginConfig({ controllers }))');
      expect(message).not.to.include('@Authorized');
      expect(response.body.message).to.equal(message);
    });
  }

  it('explains it on Koa too, to the error Koa reports', async () => {
    const app = new Koa();
    const seen: unknown[] = [];
    app.silent = true;
    app.on('error', (error: unknown) => void seen.push(error));
    // An undecorated class as the only middleware: no global (express) middlewares of other specs.
    useKoaServer(app, { controllers: [GuardedController, ProfileController], middlewares: [class None {}] });
    await request(app.callback()).get('/profile').expect(500);
    expect(seen).to.have.length(1);
    expect(seen[0]).to.be.instanceOf(LoginConfigurationError);
    expect((seen[0] as Error).message)
      .to.include('ProfileController')
      .and.not.include('@Authorized');
  });

  it("shows our message through express's own final handler too", async () => {
    const app = express();
    app.set('env', 'test'); // the final handler shows the error without logging it
    useExpressServer(app, { controllers: [GuardedController] });
    const response = await request(app).get('/guarded').expect(500);
    expect(response.text).to.include('without loginConfig()').and.not.include('Cannot use @Authorized');
  });
});

describe('an app set up with loginConfig()', () => {
  it("hands the library's own errors on to the app's error handlers unchanged", async () => {
    const manager = new LoginManager({ secret: HS256_SECRET, tokenUrl: '/t', userLoader: (sub) => ({ sub }) });
    const seen: unknown[] = [];
    const app = appWith(manager, { controllers: [GuardedController], defaultErrorHandler: false }, () => {});
    app.use(((error, _request, response, _next) => {
      seen.push(error);
      response.status(error.httpCode).end();
    }) as ErrorRequestHandler);
    await request(app).get('/guarded').expect(401);
    expect(seen).to.have.length(1);
    expect(seen[0]).to.be.instanceOf(InvalidCredentialsError);
    const token = manager.createAccessToken({ data: { sub: 'ada' } });
    await request(app).get('/guarded').set('Authorization', `Bearer ${token}`).expect(200, { ok: true });
  });
});
