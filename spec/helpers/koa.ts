import Koa from 'koa';
import { type RoutingControllersOptions, useContainer, useKoaServer } from 'routing-controllers';
import { type LoginManager, loginConfig } from 'routing-controllers-login';
import { Container } from 'typedi';

useContainer(Container);

/**
 * routing-controllers registers every global `@Middleware` of the program when
 * `middlewares` is absent or empty (express ones from other specs included); a list
 * holding only this undecorated class registers none.
 */
class NoMiddlewares {}

/**
 * A real Koa + routing-controllers app guarded by `manager`, without global middlewares
 * unless `options.middlewares` lists some. Koa logs every error that
 * reaches it (`app.on('error')`); the specs collect them in `errors` instead of printing.
 * `KoaClass` is koa 3 unless given (the specs pass koa 2 too).
 */
export function koaAppWith(
  manager: LoginManager<unknown>,
  options: RoutingControllersOptions,
  before?: (app: Koa) => void,
  KoaClass: typeof Koa = Koa,
): Koa & { errors: unknown[] } {
  const app = Object.assign(new KoaClass(), { errors: [] as unknown[] });
  app.silent = true;
  app.on('error', (error: unknown) => void app.errors.push(error));
  before?.(app);
  useKoaServer(app, loginConfig({ middlewares: [NoMiddlewares], ...options }, manager));
  return app;
}
