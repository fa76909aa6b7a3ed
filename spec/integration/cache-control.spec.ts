import { expect } from 'chai';
import type { Express, Response } from 'express';
import { Get, Header, JsonController, Res } from 'routing-controllers';
import { LoggedIn, LoginManager, type LoginOptions, User } from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { appWith } from '../helpers/app';
import { HS256_SECRET } from '../helpers/keys';
import { koaAppWith } from '../helpers/koa';
import { type Account, accountLoader } from '../helpers/users';

const users = accountLoader();

@Service()
@JsonController('/cached')
class CachedController {
  @LoggedIn()
  @Get('/private')
  private(@User() user: Account) {
    return { email: user.email };
  }

  @LoggedIn()
  @Get('/declared')
  @Header('Cache-Control', 'private, max-age=60')
  declared() {
    return { declared: true };
  }

  @Get('/public')
  open() {
    return { open: true };
  }

  @Get('/optional')
  optional(@User({ required: false }) user: Account | undefined) {
    return { email: user?.email ?? null };
  }
}

@Service()
@JsonController('/cached-express')
class ExpressOnlyController {
  @LoggedIn()
  @Get('/own')
  own(@Res() response: Response) {
    response.set('Cache-Control', 'max-age=30');
    return { own: true };
  }
}

const managerWith = (options: Partial<LoginOptions<Account>> = {}) =>
  new LoginManager<Account>({ secret: HS256_SECRET, tokenUrl: '/t', userLoader: users.load, ...options });

/** The same checks on express and on Koa: the header comes from the core, not the framework. */
const servers = {
  express: (manager: LoginManager<Account>, before?: (app: Express) => void) =>
    appWith(manager, { controllers: [CachedController, ExpressOnlyController] }, before),
  koa: (manager: LoginManager<Account>) => koaAppWith(manager, { controllers: [CachedController] }).callback(),
};

describe('Cache-Control: no-store on authenticated responses', () => {
  for (const [name, serve] of Object.entries(servers)) {
    describe(`on ${name}`, () => {
      const manager = managerWith();
      const server = serve(manager);
      const bearer = { Authorization: `Bearer ${manager.createAccessToken({ data: { sub: 'john@example.com' } })}` };

      it('marks an authenticated response no-store, varying on Authorization', async () => {
        const response = await request(server).get('/cached/private').set(bearer).expect(200);
        expect(response.headers['cache-control']).to.equal('no-store');
        expect(response.headers.vary).to.match(/\bAuthorization\b/);
        expect(response.headers.vary).not.to.match(/\bCookie\b/);
      });

      it('leaves the Cache-Control a route declares', async () => {
        const response = await request(server).get('/cached/declared').set(bearer).expect(200);
        expect(response.headers['cache-control']).to.equal('private, max-age=60');
      });

      it('adds nothing to a response the library did not authenticate', async () => {
        const open = await request(server).get('/cached/public').set(bearer).expect(200);
        expect(open.headers['cache-control']).to.equal(undefined);
        const anonymous = await request(server).get('/cached/optional').expect(200, { email: null });
        expect(anonymous.headers['cache-control']).to.equal(undefined);
      });

      it('covers an optional login that succeeded', async () => {
        const response = await request(server).get('/cached/optional').set(bearer).expect(200);
        expect(response.headers['cache-control']).to.equal('no-store');
      });

      it('is off with noStore: false', async () => {
        const off = managerWith({ noStore: false });
        const token = off.createAccessToken({ data: { sub: 'john@example.com' } });
        const response = await request(serve(off))
          .get('/cached/private')
          .set('Authorization', `Bearer ${token}`)
          .expect(200);
        expect(response.headers['cache-control']).to.equal(undefined);
        expect(response.headers.vary ?? '').not.to.match(/Authorization/);
      });
    });
  }

  describe('on express, with headers of the app', () => {
    it('lets a handler replace it, and keeps the Cache-Control an app middleware set first', async () => {
      const manager = managerWith();
      const token = manager.createAccessToken({ data: { sub: 'john@example.com' } });
      const own = await request(servers.express(manager))
        .get('/cached-express/own')
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      expect(own.headers['cache-control']).to.equal('max-age=30');
      const withMiddleware = servers.express(manager, (express) =>
        express.use((_req, res, next) => {
          res.setHeader('Cache-Control', 'no-cache');
          next();
        }),
      );
      const response = await request(withMiddleware)
        .get('/cached/private')
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      expect(response.headers['cache-control']).to.equal('no-cache');
    });

    it('varies on Cookie too when tokens come from cookies', async () => {
      const manager = managerWith({ useCookie: true });
      const token = manager.createAccessToken({ data: { sub: 'john@example.com' } });
      const response = await request(servers.express(manager))
        .get('/cached/private')
        .set('Cookie', `access-token=${token}`)
        .expect(200);
      expect(response.headers['cache-control']).to.equal('no-store');
      expect(response.headers.vary).to.equal('Authorization, Cookie');
    });

    it('appends to a Vary set before it', async () => {
      const manager = managerWith();
      const token = manager.createAccessToken({ data: { sub: 'john@example.com' } });
      const app = servers.express(manager, (express) =>
        express.use((_req, res, next) => {
          res.setHeader('Vary', 'Accept-Encoding');
          next();
        }),
      );
      const response = await request(app).get('/cached/private').set('Authorization', `Bearer ${token}`).expect(200);
      expect(response.headers.vary).to.equal('Accept-Encoding, Authorization');
      expect(response.headers['cache-control']).to.equal('no-store');
    });
  });
});
