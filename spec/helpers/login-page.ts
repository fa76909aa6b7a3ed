import { expect } from 'chai';
import { Body, Get, JsonController, Post, Req } from 'routing-controllers';
import { type HttpExchange, LoggedIn, LoginManager, User } from 'routing-controllers-login';
import type request from 'supertest';
import { Service } from 'typedi';
import { frozenClock } from './clock';
import { HS256_SECRET } from './keys';
import { type Account, accountLoader } from './users';

/** The login-page specs' world: a frozen clock, cookie logins, and a manager with `loginPage: '/login'`. */
export const clock = frozenClock();
const users = accountLoader();
export const options = {
  secret: HS256_SECRET,
  tokenUrl: '/t',
  useCookie: true,
  userLoader: users.load,
  clock: clock.now,
};
export const manager = new LoginManager<Account>({ ...options, loginPage: '/login' });

/** A browser's navigation (Chrome's headers): a typed URL, a link, a redirect followed. */
export const NAVIGATION = {
  accept:
    'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7',
  'sec-fetch-mode': 'navigate',
  'sec-fetch-dest': 'document',
};

/** Protected pages of every kind. */
@Service()
@JsonController('/pages')
export class PageRoutes {
  @LoggedIn()
  @Get('/items')
  items(@User() user: Account) {
    return { owner: user.email };
  }

  @LoggedIn()
  @Post('/items')
  save() {
    return { saved: true };
  }

  @LoggedIn({ scopes: ['admin'] })
  @Get('/admin')
  admin() {
    return { admin: true };
  }

  @LoggedIn({ fresh: true })
  @Get('/password')
  password() {
    return { fresh: true };
  }

  @Get('/profile')
  profile(@User() user: Account) {
    return { name: user.name };
  }

  @Get('/feed')
  feed(@User({ required: false }) user?: Account) {
    return { feed: user ? user.name : 'guest' };
  }
}

/** The login route: where the browser lands, and the form's POST (its next in a hidden field). */
@Service()
@JsonController('/login')
export class LoginRoutes {
  @Get('/')
  show(@Req() req: HttpExchange) {
    return { next: manager.nextPath(req) };
  }

  @Post('/')
  submit(@Req() req: HttpExchange, @Body() _form: object) {
    return { next: manager.nextPath(req, '/home') };
  }
}

export const cookie = (token: string) => `access-token=${token}`;
export const session = () => cookie(manager.createAccessToken({ data: { sub: 'john@example.com' } }));

/** A 303 to the login page, and nothing of the request but its path in it. */
export function expectSentToLogin(response: request.Response, next: string | undefined): void {
  expect(response.status).to.equal(303);
  expect(response.headers.location).to.equal(next === undefined ? '/login' : `/login?next=${encodeURIComponent(next)}`);
  expect(response.headers).not.to.have.property('www-authenticate');
  if (response.request.method !== 'HEAD') {
    expect(response.body).to.deep.equal({ name: 'LoginRedirect', message: 'Log in first' });
  }
}

/** The 401 API clients get: its challenge, no Location. */
export function expectRefused(response: request.Response, challenge = 'Bearer'): void {
  expect(response.status).to.equal(401);
  expect(response.headers['www-authenticate']).to.equal(challenge);
  expect(response.headers).not.to.have.property('location');
}
