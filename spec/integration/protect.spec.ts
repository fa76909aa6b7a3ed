import { expect } from 'chai';
import { Authorized, CurrentUser, Get, JsonController } from 'routing-controllers';
import { InvalidCredentialsError, LoggedIn, LoginManager, User } from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { onEveryServer } from '../helpers/drivers';
import { HS256_SECRET } from '../helpers/keys';
import { type Account, accountLoader, quietLogger } from '../helpers/users';

@LoggedIn()
@Service()
@JsonController('/me')
class MeController {
  @Get('/')
  me(@User() user: Account) {
    return user;
  }

  @LoggedIn({ scopes: ['admin'] })
  @Get('/admin')
  admin(@User() user: Account) {
    return { admin: user.email };
  }
}

@LoggedIn({ scopes: ['items:read'] })
@Service()
@JsonController('/items')
class ItemsController {
  @Get('/')
  list() {
    return ['a', 'b'];
  }

  @LoggedIn({ scopes: ['items:write'] })
  @Get('/write')
  write() {
    return { written: true };
  }
}

@Service()
@JsonController('/open')
class OpenController {
  @Get('/user-only')
  userOnly(@User() user: Account) {
    return { email: user.email };
  }

  @Get('/optional')
  optional(@User({ required: false }) user: Account | undefined) {
    return { email: user?.email ?? null };
  }

  @Get('/current')
  current(@CurrentUser() user: Account | undefined) {
    return { email: user?.email ?? null };
  }

  @Get('/current-required')
  currentRequired(@CurrentUser({ required: true }) user: Account) {
    return { email: user.email };
  }

  @Get('/public')
  everyone() {
    return { public: true };
  }
}

@Service()
@JsonController('/rc')
class AuthorizedController {
  @Authorized()
  @Get('/any')
  any() {
    return { ok: true };
  }

  @Authorized('read')
  @Get('/read')
  read() {
    return { ok: true };
  }

  @Authorized(['a', 'b'])
  @Get('/both')
  both() {
    return { ok: true };
  }
}

onEveryServer('protecting routes', (server) => {
  const users = accountLoader();
  const manager = new LoginManager<Account>({
    secret: HS256_SECRET,
    tokenUrl: '/auth/token',
    userLoader: users.load,
    logger: quietLogger,
  });
  const app = server.app(manager, {
    controllers: [MeController, ItemsController, OpenController, AuthorizedController],
  });
  const token = (scopes?: string[], sub = 'john@example.com') =>
    manager.createAccessToken({ data: { sub }, ...(scopes ? { scopes } : {}) });
  const bearer = (value: string) => ({ Authorization: `Bearer ${value}` });

  beforeEach(() => {
    users.failWith = undefined;
  });

  describe('@LoggedIn() on a controller', () => {
    it('lets a valid bearer token through and injects the user', async () => {
      const response = await request(app).get('/me').set(bearer(token())).expect(200);
      expect(response.body).to.deep.equal({ email: 'john@example.com', name: 'John' });
    });

    it('answers 401 with a bare Bearer challenge when no token is sent', async () => {
      const response = await request(app).get('/me').expect(401);
      expect(response.headers['www-authenticate']).to.equal('Bearer');
      expect(response.body).to.deep.equal({ name: 'InvalidCredentialsError', message: 'Invalid credentials' });
    });

    it('answers 401 invalid_token for a refused token, without echoing it', async () => {
      const bad = `${token()}x`;
      const response = await request(app).get('/me').set(bearer(bad)).expect(401);
      expect(response.headers['www-authenticate']).to.equal('Bearer error="invalid_token"');
      expect(response.text).not.to.include(bad.slice(0, 20));
      expect(JSON.stringify(response.headers)).not.to.include(bad.slice(0, 20));
    });

    it('answers 401 invalid_token when the loader finds no such user', async () => {
      const response = await request(app)
        .get('/me')
        .set(bearer(token([], 'ghost@example.com')))
        .expect(401);
      expect(response.headers['www-authenticate']).to.equal('Bearer error="invalid_token"');
    });

    it('lets a loader exception propagate as a server error (UserLoaderError), not a 401', async () => {
      server.expectServerErrors();
      users.failWith = new Error('database down');
      await request(app).get('/me').set(bearer(token())).expect(500);
    });
  });

  describe('scopes', () => {
    it('answers 403 insufficient_scope naming the scopes when one is missing', async () => {
      const response = await request(app).get('/me/admin').set(bearer(token())).expect(403);
      expect(response.headers['www-authenticate']).to.equal('Bearer error="insufficient_scope", scope="admin"');
      expect(response.body).to.deep.equal({
        name: 'InsufficientScopeError',
        message: 'Insufficient scope',
        code: 'insufficient_scope',
      });
    });

    it('accepts a token holding the scope, extra scopes included', async () => {
      const response = await request(app)
        .get('/me/admin')
        .set(bearer(token(['other', 'admin'])))
        .expect(200);
      expect(response.body).to.deep.equal({ admin: 'john@example.com' });
    });

    it('adds class and method scopes up', async () => {
      await request(app)
        .get('/items')
        .set(bearer(token(['items:read'])))
        .expect(200);
      await request(app)
        .get('/items/write')
        .set(bearer(token(['items:write'])))
        .expect(403);
      await request(app)
        .get('/items/write')
        .set(bearer(token(['items:read'])))
        .expect(403);
      const response = await request(app)
        .get('/items/write')
        .set(bearer(token(['items:read'])))
        .expect(403);
      expect(response.headers['www-authenticate']).to.equal(
        'Bearer error="insufficient_scope", scope="items:read items:write"',
      );
      await request(app)
        .get('/items/write')
        .set(bearer(token(['items:read', 'items:write'])))
        .expect(200);
    });

    it('checks the login before the scopes: no token is a 401, not a 403', async () => {
      await request(app).get('/me/admin').expect(401);
    });
  });

  describe('@User()', () => {
    it('protects a route on its own (required by default)', async () => {
      await request(app).get('/open/user-only').expect(401);
      await request(app).get('/open/user-only').set(bearer(token())).expect(200, { email: 'john@example.com' });
    });

    it('with required: false gives undefined for a missing, invalid, expired or unknown login', async () => {
      const expired = manager.createAccessToken({ data: { sub: 'john@example.com' }, expiresIn: 1 });
      const later = new LoginManager<Account>({
        secret: HS256_SECRET,
        tokenUrl: '/t',
        userLoader: users.load,
        clock: () => Date.now() + 5_000,
      });
      const laterApp = server.app(later, { controllers: [OpenController] });
      await request(laterApp).get('/open/optional').set(bearer(expired)).expect(200, { email: null });
      await request(app).get('/open/optional').expect(200, { email: null });
      await request(app).get('/open/optional').set(bearer('not.a.token')).expect(200, { email: null });
      await request(app)
        .get('/open/optional')
        .set(bearer(token([], 'ghost@example.com')))
        .expect(200, { email: null });
      await request(app).get('/open/optional').set(bearer(token())).expect(200, { email: 'john@example.com' });
    });

    it('with required: false still lets a loader exception propagate', async () => {
      server.expectServerErrors();
      users.failWith = new Error('database down');
      await request(app).get('/open/optional').set(bearer(token())).expect(500);
    });
  });

  describe("routing-controllers' own decorators", () => {
    it('@CurrentUser() gives the user or undefined, with a challenge when anonymous', async () => {
      await request(app).get('/open/current').set(bearer(token())).expect(200, { email: 'john@example.com' });
      const anonymous = await request(app).get('/open/current').expect(200, { email: null });
      expect(anonymous.headers['www-authenticate']).to.equal('Bearer');
    });

    it('@CurrentUser({ required: true }) answers 401 with a challenge', async () => {
      const response = await request(app).get('/open/current-required').set(bearer('garbage')).expect(401);
      expect(response.headers['www-authenticate']).to.equal('Bearer error="invalid_token"');
    });

    it('@Authorized() needs a login', async () => {
      await request(app).get('/rc/any').expect(401);
      await request(app).get('/rc/any').set(bearer(token())).expect(200);
    });

    it("@Authorized('read') means @LoggedIn({ scopes: ['read'] })", async () => {
      await request(app).get('/rc/read').expect(401);
      const denied = await request(app).get('/rc/read').set(bearer(token())).expect(403);
      expect(denied.headers['www-authenticate']).to.equal('Bearer error="insufficient_scope", scope="read"');
      await request(app)
        .get('/rc/read')
        .set(bearer(token(['read'])))
        .expect(200);
    });

    it("@Authorized(['a', 'b']) needs both scopes", async () => {
      await request(app)
        .get('/rc/both')
        .set(bearer(token(['a'])))
        .expect(403);
      await request(app)
        .get('/rc/both')
        .set(bearer(token(['b', 'a'])))
        .expect(200);
    });
  });

  it('leaves routes without a login decorator alone', async () => {
    await request(app).get('/open/public').expect(200, { public: true });
    await request(app).get('/open/public').set(bearer('garbage')).expect(200, { public: true });
  });

  it('throws InvalidCredentialsError instances that keep their class', () => {
    const error = new InvalidCredentialsError();
    expect(error).to.be.instanceOf(InvalidCredentialsError);
    expect(error.httpCode).to.equal(401);
  });

  it("an app's new InvalidCredentialsError() (a wrong password) says credentials_invalid, not token_missing, with a plain Bearer challenge", () => {
    const error = new InvalidCredentialsError();
    expect(error.code).to.equal('credentials_invalid');
    expect(error.headers).to.deep.equal({ 'WWW-Authenticate': 'Bearer' });
    expect(JSON.parse(JSON.stringify(error))).to.deep.equal({
      name: 'InvalidCredentialsError',
      message: 'Invalid credentials',
    });
  });
});
