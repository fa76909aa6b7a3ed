import Koa from 'koa';
import { type RoutingControllersOptions, useContainer, useKoaServer } from 'routing-controllers';
import { type LoginManager, loginConfig } from 'routing-controllers-login';
import { Container } from 'typedi';

useContainer(Container);

/**
 * A real Koa + routing-controllers app guarded by `manager`. Koa logs every error that
 * reaches it (`app.on('error')`); the specs collect them in `errors` instead of printing.
 */
export function koaAppWith(
  manager: LoginManager<unknown>,
  options: RoutingControllersOptions,
  before?: (app: Koa) => void,
): Koa & { errors: unknown[] } {
  const app = Object.assign(new Koa(), { errors: [] as unknown[] });
  app.silent = true;
  app.on('error', (error: unknown) => void app.errors.push(error));
  before?.(app);
  useKoaServer(app, loginConfig(options, manager));
  return app;
}
