import { expect } from 'chai';
import express from 'express';
import { Body, Get, JsonController, Post, useExpressServer } from 'routing-controllers';
import {
  InvalidCredentialsError,
  LoggedIn,
  LoginManager,
  loginConfig,
  PasswordForm,
  User,
} from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { errorHandler } from '../../demo/app';
import { HS256_SECRET } from '../helpers/keys';
import { type Account, accountLoader } from '../helpers/users';

@Service()
@JsonController('/handler')
class HandlerController {
  @LoggedIn()
  @Get('/me')
  me(@User() user: Account) {
    return user;
  }

  @LoggedIn({ scopes: ['admin'] })
  @Get('/admin')
  admin() {
    return { admin: true };
  }

  @Post('/token')
  token(): never {
    throw new InvalidCredentialsError();
  }

  @Post('/form')
  form(@Body({ validate: true }) form: PasswordForm) {
    return { username: form.username };
  }

  @Get('/broken')
  broken(): never {
    throw new Error('connect ECONNREFUSED postgres://app:S3cr3t@db:5432');
  }
}

/** The demo's error handler (`defaultErrorHandler: false`), with `loginPage` sending browsers to the login form. */
describe("the demo's error handler, with loginPage", () => {
  const users = accountLoader();
  const manager = new LoginManager<Account>({
    secret: HS256_SECRET,
    tokenUrl: '/t',
    userLoader: users.load,
    useCookie: true,
    loginPage: '/login',
  });
  const app = express();
  app.use(express.urlencoded({ extended: false }));
  useExpressServer(app, loginConfig({ controllers: [HandlerController], defaultErrorHandler: false }, manager));
  app.use(errorHandler);
  const token = manager.createAccessToken({ data: { sub: 'john@example.com' } });

  it("passes on loginPage's 303 as it is: a browser asking for a page goes to /login?next=<the page>", async () => {
    const response = await request(app).get('/handler/me?tab=2').set('Accept', 'text/html').expect(303);
    expect(response.headers.location).to.equal('/login?next=%2Fhandler%2Fme%3Ftab%3D2');
  });

  it('answers an API client 401 with the challenge, not a redirect', async () => {
    const response = await request(app).get('/handler/me').set('Accept', 'application/json').expect(401);
    expect(response.headers['www-authenticate']).to.equal('Bearer');
  });

  it('keeps the challenge of a login error the app threw itself (a failed password at the token endpoint)', async () => {
    const response = await request(app).post('/handler/token').set('Accept', 'application/json').expect(401);
    expect(response.headers['www-authenticate']).to.equal('Bearer');
    expect(response.body).to.deep.equal({ name: 'InvalidCredentialsError', message: 'Invalid credentials' });
  });

  it('keeps the 403 of a missing scope, with its challenge', async () => {
    const response = await request(app)
      .get('/handler/admin')
      .set('Accept', 'text/html')
      .set('Authorization', `Bearer ${token}`)
      .expect(403);
    expect(response.headers['www-authenticate']).to.equal('Bearer error="insufficient_scope", scope="admin"');
  });

  it('keeps the 400 of a validation error and of unparsable JSON, echoing neither body', async () => {
    const invalid = await request(app).post('/handler/form').type('form').send({ password: 'hunter2-secret' });
    expect(invalid.status).to.equal(400);
    expect(invalid.text).not.to.include('hunter2-secret');
    const broken = await request(app)
      .post('/handler/form')
      .set('Content-Type', 'application/json')
      .send('{"username": "a", "password": hunter2-secret}')
      .expect(400);
    expect(broken.text).not.to.include('hunter2-secret');
  });

  it('answers a real failure 500 without its message, and logs it', async () => {
    const logged: unknown[] = [];
    const { error } = console;
    console.error = (...args: unknown[]) => void logged.push(...args);
    users.failWith = new Error('db unreachable at /srv/secret/users.db password=S3cr3t');
    try {
      const loader = await request(app).get('/handler/me').set('Authorization', `Bearer ${token}`).expect(500);
      expect(loader.body).to.deep.equal({ name: 'UserLoaderError', message: 'The user could not be loaded' });
      const route = await request(app).get('/handler/broken').expect(500);
      expect(route.body).to.deep.equal({ message: 'Internal Server Error' });
      for (const response of [loader, route]) {
        expect(`${response.text}${JSON.stringify(response.headers)}`).not.to.match(/S3cr3t|srv|ECONNREFUSED|postgres/);
      }
      // The library logs the loader's error once; the handler logs every 5xx.
      expect(logged).to.include(users.failWith);
      expect(logged.filter((entry) => entry instanceof Error).map((entry) => (entry as Error).message)).to.include(
        'connect ECONNREFUSED postgres://app:S3cr3t@db:5432',
      );
    } finally {
      users.failWith = undefined;
      console.error = error;
    }
  });
});
