import { join } from 'node:path';
import { expect } from 'chai';
import express from 'express';
import { Get, JsonController, Post, UseBefore, useExpressServer } from 'routing-controllers';
import { LoggedIn, LoginConfigurationError, LoginManager, loginConfig, Public, User } from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { onEveryServer } from '../helpers/drivers';
import { HS256_SECRET } from '../helpers/keys';
import { type Account, accountLoader } from '../helpers/users';

type Next = () => unknown;
type Headers = { set(name: string, value: string): void };

/** A route middleware for express `(req, res, next)` and Koa `(ctx, next)` alike: marks the response. */
function markBefore(first: unknown, second: Headers | Next, third?: Next) {
  if (typeof second === 'function') {
    (first as Headers).set('x-before', 'ran');
    return second();
  }
  second.set('x-before', 'ran');
  return third?.();
}

/** No login decorator anywhere: under loggedInByDefault every route needs a login. */
@Service()
@JsonController('/plain')
class PlainController {
  @Get('/')
  list() {
    return { plain: true };
  }

  @Get('/optional')
  optional(@User({ required: false }) user?: Account) {
    return { email: user?.email ?? null };
  }

  @UseBefore(markBefore)
  @Get('/used-before')
  usedBefore() {
    return { usedBefore: true };
  }
}

/** `@Public()` on the class; a method's own `@LoggedIn()` still protects it (the method wins). */
@Public()
@Service()
@JsonController('/open')
class OpenController {
  @Get('/')
  hello(@User({ required: false }) user?: Account) {
    return { hello: user?.name ?? 'guest' };
  }

  @LoggedIn({ scopes: ['admin'] })
  @Get('/admin')
  admin(@User() user: Account) {
    return { admin: user.email };
  }
}

/** `@Public()` on one method (the token route); `@LoggedIn({ scopes })` adds its scopes on another. */
@Service()
@JsonController('/auth')
class AuthController {
  @Public()
  @Post('/token')
  token() {
    return { issued: true };
  }

  @LoggedIn({ scopes: ['items:write'] })
  @Post('/items')
  write() {
    return { written: true };
  }
}

const CONTROLLERS = [PlainController, OpenController, AuthController];

onEveryServer('loggedInByDefault: true', (server) => {
  const manager = new LoginManager<Account>({
    secret: HS256_SECRET,
    tokenUrl: '/auth/token',
    userLoader: accountLoader().load,
    loggedInByDefault: true,
  });
  const app = server.app(manager, { controllers: CONTROLLERS });
  const bearer = (scopes: string[] = []) => ({
    Authorization: `Bearer ${manager.createAccessToken({ data: { sub: 'john@example.com' }, scopes })}`,
  });

  it('answers 401 with the Bearer challenge on a route of an undecorated controller without a token, 200 with one', async () => {
    const refused = await request(app).get('/plain').expect(401);
    expect(refused.headers['www-authenticate']).to.equal('Bearer');
    await request(app).get('/plain').set(bearer()).expect(200, { plain: true });
  });

  it('requires the login on a @User({ required: false }) route that is not @Public()', async () => {
    await request(app).get('/plain/optional').expect(401);
    await request(app).get('/plain/optional').set(bearer()).expect(200, { email: 'john@example.com' });
  });

  it('runs a @UseBefore middleware before the login check, as routing-controllers does for @LoggedIn()', async () => {
    const refused = await request(app).get('/plain/used-before').expect(401);
    expect(refused.headers['x-before']).to.equal('ran');
    await request(app).get('/plain/used-before').set(bearer()).expect(200, { usedBefore: true });
  });

  it('opens @Public() routes to everyone, on the class and on a method', async () => {
    await request(app).get('/open').expect(200, { hello: 'guest' });
    await request(app).get('/open').set(bearer()).expect(200, { hello: 'John' });
    await request(app).post('/auth/token').expect(200, { issued: true });
  });

  it("keeps a method's @LoggedIn({ scopes }) on a @Public() class: 401 without a token, 403 without the scope", async () => {
    await request(app).get('/open/admin').expect(401);
    const forbidden = await request(app).get('/open/admin').set(bearer()).expect(403);
    expect(forbidden.headers['www-authenticate']).to.equal('Bearer error="insufficient_scope", scope="admin"');
    await request(app)
      .get('/open/admin')
      .set(bearer(['admin']))
      .expect(200, { admin: 'john@example.com' });
  });

  it('still adds @LoggedIn({ scopes }) to the default: 403 without the scope, 200 with it', async () => {
    await request(app).post('/auth/items').expect(401);
    await request(app).post('/auth/items').set(bearer()).expect(403);
    await request(app)
      .post('/auth/items')
      .set(bearer(['items:write']))
      .expect(200, { written: true });
  });
});

onEveryServer('loggedInByDefault off, on the same controllers', (server) => {
  const manager = new LoginManager<Account>({ secret: HS256_SECRET, tokenUrl: '/t', userLoader: accountLoader().load });
  // The protected-by-default app first: its marks are in the shared metadata when this one is built.
  server.app(new LoginManager({ secret: HS256_SECRET, tokenUrl: '/t', loggedInByDefault: true }), {
    controllers: CONTROLLERS,
  });
  const app = server.app(manager, { controllers: CONTROLLERS });

  it('leaves undecorated routes open, and decorated ones as they were', async () => {
    await request(app).get('/plain').expect(200, { plain: true });
    await request(app).get('/plain/optional').expect(200, { email: null });
    await request(app).get('/open/admin').expect(401);
  });
});

describe('loggedInByDefault: when routes get their login', () => {
  const manager = new LoginManager({ secret: HS256_SECRET, tokenUrl: '/t', loggedInByDefault: true });

  it('protects a controller defined after loginConfig() ran, by reading the app when routing-controllers builds it', async () => {
    // biome-ignore lint/complexity/noBannedTypes: routing-controllers lists controllers as classes.
    const controllers: Function[] = [];
    const config = loginConfig({ controllers }, manager);
    @Service()
    @JsonController('/later')
    class LaterController {
      @Get('/')
      later() {
        return { later: true };
      }
    }
    controllers.push(LaterController);
    const app = express();
    useExpressServer(app, config);
    await request(app).get('/later').expect(401);
  });

  it('protects the controllers of a directory, even with loginConfig() spread before routing-controllers imports them', async () => {
    const app = express();
    const directory = join(__dirname, 'by-default', '*.js');
    useExpressServer(app, { ...loginConfig({ controllers: [directory] }, manager) });
    await request(app).get('/from-directory').expect(401);
  });

  it('refuses @Public() on a method that also asks for a login, naming it and the fix', () => {
    @LoggedIn()
    @Service()
    @JsonController('/contradiction')
    class ContradictionController {
      @Public()
      @Get('/')
      both() {
        return {};
      }
    }
    expect(() =>
      useExpressServer(express(), loginConfig({ controllers: [ContradictionController] }, manager)),
    ).to.throw(LoginConfigurationError, 'ContradictionController.both is @Public() and also asks for a login');
  });

  it('refuses a loggedInByDefault that is not a boolean', () => {
    expect(
      () => new LoginManager({ secret: HS256_SECRET, tokenUrl: '/t', loggedInByDefault: 'yes' as unknown as boolean }),
    ).to.throw(LoginConfigurationError, 'loggedInByDefault');
  });
});
