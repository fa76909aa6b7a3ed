import { expect } from 'chai';
import { Authorized, Get, JsonController } from 'routing-controllers';
import { LoggedIn, LoginManager, RequireCsrf, User } from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { appWith } from '../helpers/app';
import { HS256_SECRET } from '../helpers/keys';
import { accountLoader } from '../helpers/users';

// routing-controllers reads only the first @Authorized entry of a class or method; these
// pin that no requirement is lost when @LoggedIn/@User and @Authorized are stacked.
@Authorized('class-role')
@LoggedIn({ scopes: ['class-scope'] })
@Service()
@JsonController('/stacked')
class StackedController {
  @LoggedIn({ scopes: ['method-scope'] })
  @Authorized('method-role')
  @Get('/logged-in-above-authorized')
  loggedInAbove() {
    return { ok: true };
  }

  @Authorized('method-role')
  @LoggedIn({ scopes: ['method-scope'] })
  @Get('/authorized-above-logged-in')
  authorizedAbove() {
    return { ok: true };
  }
}

@Service()
@JsonController('/optional-stacked')
class OptionalStackedController {
  @Authorized()
  @Get('/')
  authorizedWithOptionalUser(@User({ required: false }) user: unknown) {
    return { user: user ?? null };
  }
}

@Authorized()
@Service()
@JsonController('/class-authorized')
class ClassAuthorizedController {
  @Get('/')
  optionalUserUnderClassAuthorized(@User({ required: false }) user: unknown) {
    return { user: user ?? null };
  }
}

describe('decorators/route-marks: stacked requirements', () => {
  const users = accountLoader();
  const manager = new LoginManager({ secret: HS256_SECRET, tokenUrl: '/t', userLoader: users.load });
  const app = appWith(manager, {
    controllers: [StackedController, OptionalStackedController, ClassAuthorizedController],
  });
  const bearer = (scopes: string[]) => ({
    Authorization: `Bearer ${manager.createAccessToken({ data: { sub: 'john@example.com' }, scopes })}`,
  });
  const all = ['class-role', 'class-scope', 'method-role', 'method-scope'];

  for (const route of ['logged-in-above-authorized', 'authorized-above-logged-in']) {
    it(`${route}: needs every scope from every decorator`, async () => {
      await request(app).get(`/stacked/${route}`).set(bearer(all)).expect(200);
      for (const missing of all) {
        await request(app)
          .get(`/stacked/${route}`)
          .set(bearer(all.filter((scope) => scope !== missing)))
          .expect(403);
      }
    });
  }

  it('@Authorized() keeps requiring a login next to @User({ required: false })', async () => {
    await request(app).get('/optional-stacked').expect(401);
    await request(app).get('/optional-stacked').set(bearer([])).expect(200);
  });

  it('a class-level @Authorized() keeps requiring a login for an optional @User route', async () => {
    await request(app).get('/class-authorized').expect(401);
    await request(app).get('/class-authorized').set(bearer([])).expect(200);
  });
});

describe('decorators/route-marks: where a mark may go', () => {
  it('refuses @LoggedIn() and @RequireCsrf() on a symbol-named method, naming the decorator', () => {
    const method = Symbol('route');
    class Target {}
    expect(() => LoggedIn()(Target.prototype, method)).to.throw(
      TypeError,
      /^@LoggedIn\(\) goes on a class or a string-named method\.$/,
    );
    expect(() => RequireCsrf()(Target.prototype, method)).to.throw(
      TypeError,
      /^@RequireCsrf\(\) goes on a class or a string-named method\.$/,
    );
  });
});
