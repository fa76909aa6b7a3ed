import { Body, Get, JsonController, Post, Req, Res } from 'routing-controllers';
import {
  type HttpExchange,
  InvalidCredentialsError,
  LoggedIn,
  LoginManager,
  type LoginOptions,
  LoginThrottle,
  type LoginThrottleOptions,
  type ThrottleClient,
  User,
} from 'routing-controllers-login';
import { Service } from 'typedi';
import { frozenClock } from './clock';
import { HS256_SECRET } from './keys';
import { type Account, accountLoader } from './users';
import { recordingLogger } from './verifier';

const users = accountLoader();
export const SUB = 'john@example.com';
export const PASSWORD = 'correct horse battery staple';

/** The app under test: its manager and throttle, set by each test. */
let current: { manager: LoginManager<Account>; throttle: LoginThrottle };

/**
 * The app the security-event specs provoke events through: a token route (throttled), a
 * refresh route, a protected route, logout, "log out everywhere" and a cookie login.
 */
@Service()
@JsonController('/events')
class EventsController {
  @Post('/token')
  async token(@Body() form: { username: string; password: string }, @Req() req: ThrottleClient) {
    const { manager, throttle } = current;
    const account = await throttle.attempt(form.username, req, () =>
      form.password === PASSWORD ? users.load(SUB) : undefined,
    );
    if (!account) throw new InvalidCredentialsError();
    const { accessToken, refreshToken } = await manager.createTokens({ data: { sub: account.email }, acr: 'mfa' });
    return { access_token: accessToken, refresh_token: refreshToken };
  }

  @LoggedIn({ refresh: true })
  @Post('/refresh')
  async refresh(@Req() req: HttpExchange) {
    const { accessToken, refreshToken } = await current.manager.refreshTokens(req);
    return { access_token: accessToken, refresh_token: refreshToken };
  }

  @LoggedIn()
  @Get('/me')
  me(@User() user: Account) {
    return { email: user.email };
  }

  @LoggedIn()
  @Post('/logout')
  async logout(@Req() req: HttpExchange, @Res() res: HttpExchange) {
    await current.manager.logout(req, res);
    return { ok: true };
  }

  @LoggedIn()
  @Post('/logout-everywhere')
  async logoutEverywhere(@User() user: Account) {
    await current.manager.revokeAllFor(user.email);
    return { ok: true };
  }

  @Post('/cookie-login')
  cookieLogin(@Res() res: HttpExchange) {
    current.manager.setCookie(res, current.manager.createAccessToken({ data: { sub: SUB } }), { persistent: true });
    return { ok: true };
  }
}

/** A manager (frozen clock, silent logger) and a throttle (one free failure per account) for the app. */
export function setUp(options: Partial<LoginOptions<Account>> = {}, throttleOptions: LoginThrottleOptions = {}) {
  const clock = frozenClock();
  const manager = new LoginManager<Account>({
    secret: HS256_SECRET,
    tokenUrl: '/events/token',
    userLoader: users.load,
    clock: clock.now,
    logger: recordingLogger(),
    ...options,
  });
  const throttle = new LoginThrottle({
    perAccount: { attempts: 1 },
    perAddress: false,
    clock: clock.now,
    logger: recordingLogger(),
    ...throttleOptions,
  });
  current = { manager, throttle };
  return { manager, clock };
}

/** Puts a manager of the test's own (a verify-only one) behind the app. */
export function useManager(manager: LoginManager<Account>): void {
  current = { manager, throttle: new LoginThrottle({ logger: recordingLogger() }) };
}

export const EVENTS_CONTROLLERS = [EventsController];
