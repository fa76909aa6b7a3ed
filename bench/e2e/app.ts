import 'reflect-metadata';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import {
  Authorized,
  CurrentUser,
  createParamDecorator,
  Get,
  JsonController,
  type RoutingControllersOptions,
  UseBefore,
  useExpressServer,
} from 'routing-controllers';
import { LoggedIn, type LoginManager, loginConfig, User } from 'routing-controllers-login';
import { USER } from './keys';
import type { App } from './variants';

const users = new Map([[USER.email, USER]]);

/** The baseline: the same route, the user from the same Map, no login. */
@JsonController('/me')
class OpenController {
  @Get('/')
  me() {
    return users.get(USER.email);
  }
}

/** The user parameter of the floors: routing-controllers' own custom-parameter hook, doing nothing else. */
const MapUser = () => createParamDecorator({ value: () => users.get(USER.email) });

/**
 * A floor: the same route behind routing-controllers' two hooks (`@Authorized` with a
 * checker that always allows, a custom parameter), no library: what those hooks cost.
 */
@Authorized()
@JsonController('/me')
class FloorController {
  @Get('/')
  me(@MapUser() user: typeof USER) {
    return user;
  }
}

const pass: RequestHandler = (_request, _response, next) => next();

/** A floor: a route middleware that passes (where an express-jwt style guard sits) and the custom parameter. */
@UseBefore(pass)
@JsonController('/me')
class UseBeforeController {
  @Get('/')
  me(@MapUser() user: typeof USER) {
    return user;
  }
}

/** A floor: routing-controllers' `@CurrentUser()` with a `currentUserChecker` that returns the user. */
@JsonController('/me')
class CurrentUserController {
  @Get('/')
  me(@CurrentUser() user: typeof USER) {
    return user;
  }
}

/** The library's route: `@LoggedIn()` + `@User()`. */
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

/** routing-controllers' options of each app without the library; `development: false` as `loginConfig` sets it. */
const BARE: Record<Exclude<App, 'library'>, RoutingControllersOptions> = {
  open: { controllers: [OpenController] },
  floor: { controllers: [FloorController], authorizationChecker: () => true },
  'use-before': { controllers: [UseBeforeController] },
  'current-user': { controllers: [CurrentUserController], currentUserChecker: () => users.get(USER.email) },
};

/** The express app of one row: `manager` for the library's row, none for the others. */
export function benchApp(app: App, manager?: LoginManager<unknown>): Express {
  const server = express();
  if (app === 'library') {
    if (!manager) throw new Error('the library app needs a manager');
    useExpressServer(server, loginConfig({ controllers: [GuardedController] }, manager));
  } else {
    useExpressServer(server, { development: false, ...BARE[app] });
  }
  server.use(stopWhenAnswered);
  return server;
}
