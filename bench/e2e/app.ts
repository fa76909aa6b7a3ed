import 'reflect-metadata';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { Get, JsonController, useExpressServer } from 'routing-controllers';
import { LoggedIn, type LoginManager, loginConfig, User } from 'routing-controllers-login';
import { USER } from './keys';

const users = new Map([[USER.email, USER]]);

/** The baseline: the same route, the user from the same Map, no login. */
@JsonController('/me')
class OpenController {
  @Get('/')
  me() {
    return users.get(USER.email);
  }
}

/** The issue 8 route: `@LoggedIn()` + `@User()`. */
@LoggedIn()
@JsonController('/me')
class GuardedController {
  @Get('/')
  me(@User() user: typeof USER) {
    return user;
  }
}

/** routing-controllers answers errors, then still calls next(err): stop there. */
const stopWhenAnswered: ErrorRequestHandler = (error, _request, response, next) => {
  if (!response.headersSent) next(error);
};

/** The app of one variant: without a manager, routing-controllers alone. */
export function benchApp(manager: LoginManager<unknown> | undefined): Express {
  const app = express();
  if (manager) useExpressServer(app, loginConfig({ controllers: [GuardedController] }, manager));
  else useExpressServer(app, { controllers: [OpenController] });
  app.use(stopWhenAnswered);
  return app;
}
