import type { IncomingMessage, ServerResponse } from 'node:http';
import { getMetadataArgsStorage } from 'routing-controllers';
import { LoginConfigurationError } from '../shared/errors';

// biome-ignore lint/complexity/noBannedTypes: routing-controllers keys metadata by class.
type Controller = Function;

const explained = new WeakSet<Controller>();

/**
 * Makes a route that needs a login explain itself when its app was set up without
 * `loginConfig()`. routing-controllers then throws its own "Cannot use @Authorized
 * decorator..." before any code of ours runs, a sentence about a decorator the user
 * never wrote. A middleware on the controller swaps that error for ours, where each
 * server lets one see it: after the action for express (an error middleware), before it
 * for Koa (the error comes back through `await next()`).
 */
export function explainForgottenLoginConfig(controller: Controller): void {
  if (explained.has(controller)) return;
  explained.add(controller);
  const middleware = forgottenFor(controller);
  const uses = getMetadataArgsStorage().uses;
  uses.push({ target: controller, middleware, afterAction: false });
  uses.push({ target: controller, middleware, afterAction: true });
}

type Next = (error?: unknown) => unknown;

function forgottenFor(controller: Controller) {
  const swap = (error: unknown) => (isMissingChecker(error) ? missingLoginConfig(controller) : error);
  // Four parameters make it an error middleware to express, which skips it while there is no error:
  // a configured express app pays nothing per request.
  return function forgottenLoginConfig(
    error: unknown,
    request: IncomingMessage | Next,
    _res: ServerResponse,
    next: Next,
  ) {
    // Koa calls every route middleware as (ctx, next).
    if (typeof request === 'function') {
      return Promise.resolve(request()).catch((thrown: unknown) => Promise.reject(swap(thrown)));
    }
    next(swap(error));
  };
}

const isMissingChecker = (error: unknown): boolean =>
  error instanceof Error && error.name === 'AuthorizationCheckerNotDefinedError';

function missingLoginConfig(controller: Controller): LoginConfigurationError {
  return new LoginConfigurationError(
    `${controller.name} uses @LoggedIn() or @User(), but its app was set up without loginConfig(). ` +
      'Pass your routing-controllers options through it: useExpressServer(app, loginConfig({ controllers })) ' +
      '(or useKoaServer, createExpressServer, createKoaServer), with a LoginManager registered by ' +
      'Container.set(LoginManager, manager) or given as loginConfig(options, manager).',
  );
}
