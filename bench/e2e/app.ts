import 'reflect-metadata';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { Authorized, createParamDecorator, Get, JsonController, useExpressServer } from 'routing-controllers';
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

/** The user parameter of the floor: routing-controllers' own custom-parameter hook, doing nothing else. */
const MapUser = () => createParamDecorator({ value: () => users.get(USER.email) });

/**
 * The floor: the same route behind routing-controllers' two hooks (`@Authorized` with a
 * checker that always allows, a custom parameter), no library. What routing-controllers
 * charges any login library before it has read a token.
 */
@Authorized()
@JsonController('/me')
class FloorController {
  @Get('/')
  me(@MapUser() user: typeof USER) {
    return user;
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

/** The app of one variant: without a manager, routing-controllers alone (open, or the floor's no-op hooks). */
export function benchApp(manager: LoginManager<unknown> | undefined, floor = false): Express {
  const app = express();
  if (manager) useExpressServer(app, loginConfig({ controllers: [GuardedController] }, manager));
  else if (floor) useExpressServer(app, { controllers: [FloorController], authorizationChecker: () => true });
  else useExpressServer(app, { controllers: [OpenController] });
  app.use(stopWhenAnswered);
  return app;
}
