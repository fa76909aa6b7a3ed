import { expect } from 'chai';
import express from 'express';
import {
  Controller,
  CurrentUser,
  ForbiddenError,
  Get,
  JsonController,
  type RoutingControllersOptions,
  useExpressServer,
} from 'routing-controllers';
import {
  LoggedIn,
  type LoginLogger,
  LoginManager,
  loginConfig,
  User,
  UserLoaderError,
} from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { onEveryServer } from '../helpers/drivers';
import { HS256_SECRET } from '../helpers/keys';
import { ACCOUNTS, type Account } from '../helpers/users';

/** What issue 16 saw in 500 bodies: a path, a password, a connection string. */
const SECRETS = ['db unreachable', '/srv/secret', 'S3cr3t', 'ECONNREFUSED', 'postgres', 'users.db', 'password='];
const fileError = () => new Error('db unreachable at /srv/secret/users.db password=S3cr3t');
const connectionError = () => new Error('connect ECONNREFUSED postgres://app:S3cr3t@db:5432');

/** Nothing of the loader's error in the body or in any header. */
function expectNothingLeaked(response: request.Response): void {
  const seen = `${response.text}\n${JSON.stringify(response.headers)}`;
  for (const secret of SECRETS) expect(seen, `"${secret}" in the response`).not.to.include(secret);
}

@Service()
@JsonController('/loader')
class LoaderJsonController {
  @LoggedIn()
  @Get('/me')
  me(@User() user: Account) {
    return user;
  }

  @Get('/optional')
  optional(@User({ required: false }) user: Account | undefined) {
    return { email: user?.email ?? null };
  }

  @Get('/current')
  current(@CurrentUser() user: Account | undefined) {
    return { email: user?.email ?? null };
  }
}

@Service()
@Controller('/loader-text')
class LoaderTextController {
  @LoggedIn()
  @Get('/')
  page(@User() user: Account) {
    return `Hello ${user.name}`;
  }
}

/** A loader to break on demand, and a logger that keeps what it is told. */
function fixture() {
  const state = { fail: undefined as (() => unknown) | undefined, sync: false };
  const logged: { level: 'error' | 'warn'; message: string; error?: unknown }[] = [];
  const logger: LoginLogger = {
    error: (message, error) => void logged.push({ level: 'error', message, error }),
    warn: (message) => void logged.push({ level: 'warn', message }),
  };
  const userLoader = (sub: string): Account | undefined | Promise<Account | undefined> => {
    if (state.fail && state.sync) throw state.fail();
    if (state.fail) return Promise.reject(state.fail());
    return ACCOUNTS[sub];
  };
  const manager = new LoginManager<Account>({ secret: HS256_SECRET, tokenUrl: '/t', userLoader, logger });
  const token = manager.createAccessToken({ data: { sub: 'john@example.com' } });
  return { state, logged, manager, bearer: { Authorization: `Bearer ${token}` } };
}

const GENERIC = { name: 'UserLoaderError', message: 'The user could not be loaded' };

onEveryServer('a user loader that throws: a generic 500, the original kept for the log', (server) => {
  const { state, logged, manager, bearer } = fixture();
  const options: RoutingControllersOptions = { controllers: [LoaderJsonController, LoaderTextController] };
  const app = server.app(manager as LoginManager<unknown>, options);
  const development = server.app(manager as LoginManager<unknown>, { ...options, development: true });

  beforeEach(() => {
    server.expectServerErrors();
    state.fail = fileError;
    state.sync = false;
    logged.length = 0;
  });
  afterEach(() => {
    state.fail = undefined;
  });

  for (const sync of [false, true]) {
    it(`answers 500 user_loader_failed with a fixed message, not the loader's (${sync ? 'throws' : 'rejects'})`, async () => {
      state.sync = sync;
      for (const fail of [fileError, connectionError]) {
        state.fail = fail;
        const response = await request(app).get('/loader/me').set(bearer).expect(500);
        expect(response.body).to.deep.equal(GENERIC);
        expectNothingLeaked(response);
      }
    });
  }

  it('says nothing either on an optional @User(), a @CurrentUser() or a text route, in development mode too', async () => {
    for (const target of [app, development]) {
      for (const path of ['/loader/optional', '/loader/current', '/loader-text']) {
        const response = await request(target).get(path).set(bearer);
        expect(response.status, path).to.equal(500);
        expectNothingLeaked(response);
      }
    }
  });

  it('hands the original to logger once while the loader keeps failing, and says when it works again', async () => {
    state.fail = undefined;
    await request(app).get('/loader/me').set(bearer).expect(200); // ends the outage the cases above began
    logged.length = 0;
    state.fail = fileError;
    for (let i = 0; i < 3; i++) await request(app).get('/loader/me').set(bearer).expect(500);
    expect(logged).to.have.length(1);
    expect(logged[0]).to.include({ level: 'error' });
    expect((logged[0]?.error as Error | undefined)?.message).to.equal(fileError().message);
    expect(logged[0]?.message).not.to.include('S3cr3t');

    state.fail = undefined;
    await request(app).get('/loader/me').set(bearer).expect(200);
    await request(app).get('/loader/me').set(bearer).expect(200);
    expect(logged.map((entry) => entry.level)).to.deep.equal(['error', 'warn']);

    state.fail = connectionError;
    await request(app).get('/loader/me').set(bearer).expect(500);
    expect(logged.map((entry) => entry.level)).to.deep.equal(['error', 'warn', 'error']);
    expect((logged[2]?.error as Error | undefined)?.message).to.equal(connectionError().message);
  });

  it("passes on a 4xx HttpError the loader threw as the answer (ForbiddenError('Account locked'))", async () => {
    state.fail = () => new ForbiddenError('Account locked');
    const response = await request(app).get('/loader/me').set(bearer).expect(403);
    expect(response.body).to.include({ message: 'Account locked' });
    expect(logged).to.deep.equal([]);
  });
});

describe('UserLoaderError: the original as a cause no error handler serialises', () => {
  const { state, manager, bearer } = fixture();
  let seen: unknown;
  const app = express();
  useExpressServer(app, loginConfig({ controllers: [LoaderJsonController], defaultErrorHandler: false }, manager));
  app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    seen = error;
    res.status(500).json(error);
  });
  afterEach(() => {
    state.fail = undefined;
  });

  it('keeps what the loader threw as a non-enumerable cause', async () => {
    const thrown = fileError();
    state.fail = () => thrown;
    const response = await request(app).get('/loader/me').set(bearer).expect(500);
    expectNothingLeaked(response);
    expect(seen).to.be.instanceOf(UserLoaderError).and.include({ code: 'user_loader_failed', httpCode: 500 });
    expect((seen as UserLoaderError).cause).to.equal(thrown);
    expect(Object.keys(seen as object)).not.to.include('cause');
    expect(JSON.stringify(seen)).not.to.include('S3cr3t');
  });

  it('rejects getCurrentUser() with it too', async () => {
    state.fail = connectionError;
    const failed = await manager.getCurrentUser(bearer.Authorization.slice(7)).catch((error: unknown) => error);
    expect(failed).to.be.instanceOf(UserLoaderError);
    expect((failed as Error).message).to.equal('The user could not be loaded');
  });
});
