import { Get, JsonController, Post, Req } from 'routing-controllers';
import { LoggedIn, LoginManager, type LoginOptions, User } from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { appWith } from './app';
import { HS256_SECRET } from './keys';
import { type Account, accountLoader } from './users';

const users = accountLoader();
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** The manager of the app answering the current request (the controller is shared by every app). */
const managers = new WeakMap<object, LoginManager<Account>>();

@Service()
@JsonController('/rotating')
class RotatingController {
  @LoggedIn({ refresh: true })
  @Post('/refresh')
  async refresh(@Req() req: { app: object }) {
    const { accessToken, refreshToken } = await (managers.get(req.app) as LoginManager<Account>).refreshTokens(
      req as never,
    );
    return { access_token: accessToken, refresh_token: refreshToken };
  }

  @LoggedIn()
  @Get('/me')
  me(@User() user: Account) {
    return { email: user.email };
  }
}

/**
 * An express app instance with its own manager, a refresh endpoint (`POST /rotating/refresh`,
 * the refresh token as bearer) and `GET /rotating/me`; instances given one store share logins.
 * `warnings` collects what the manager logged.
 */
export function rotatingInstance(options: Partial<LoginOptions<Account>> = {}) {
  const warnings: string[] = [];
  const manager = new LoginManager<Account>({
    secret: HS256_SECRET,
    tokenUrl: '/t',
    userLoader: users.load,
    logger: { error: () => {}, warn: (message: string) => void warnings.push(message) },
    ...options,
  });
  const app = appWith(manager, { controllers: [RotatingController] });
  managers.set(app, manager);
  const refresh = (token: string) => request(app).post('/rotating/refresh').set(bearer(token));
  const me = (token: string) => request(app).get('/rotating/me').set(bearer(token));
  return { manager, app, refresh, me, warnings };
}

/** What `rotatingInstance` gives. */
export type RotatingInstance = ReturnType<typeof rotatingInstance>;
