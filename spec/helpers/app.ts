import express, { type ErrorRequestHandler, type Express } from 'express';
import { type RoutingControllersOptions, useContainer, useExpressServer } from 'routing-controllers';
import { type LoginManager, loginConfig } from 'routing-controllers-login';
import { Container } from 'typedi';

useContainer(Container);

/**
 * routing-controllers' default error handler answers and then still calls next(err);
 * this last handler stops there, so express does not answer (and log) a second time.
 */
export const stopWhenAnswered: ErrorRequestHandler = (error, _request, response, next) => {
  if (!response.headersSent) next(error);
};

/** A real express + routing-controllers app guarded by `manager`. */
export function appWith(
  manager: LoginManager<unknown>,
  options: RoutingControllersOptions,
  before?: (app: Express) => void,
): Express {
  const app = express();
  before?.(app);
  useExpressServer(app, loginConfig(options, manager));
  app.use(stopWhenAnswered);
  return app;
}
