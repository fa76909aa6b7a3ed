import type { IncomingMessage, ServerResponse } from 'node:http';
import { getMetadataArgsStorage } from 'routing-controllers';
import { LoginConfigurationError } from '../errors';

// biome-ignore lint/complexity/noBannedTypes: routing-controllers keys metadata by class.
type Controller = Function;

const explained = new WeakSet<Controller>();

/**
 * Makes a route that needs a login explain itself when its app was set up without
 * `loginConfig()`. routing-controllers then throws its own "Cannot use @Authorized
 * decorator..." before any code of ours runs, a sentence about a decorator the user
 * never wrote. An after-action error middleware on the controller swaps that error for
 * ours. Express skips error middlewares (four parameters) while there is no error, so a
 * configured app pays nothing per request.
 */
export function explainForgottenLoginConfig(controller: Controller): void {
  if (explained.has(controller)) return;
  explained.add(controller);
  getMetadataArgsStorage().uses.push({ target: controller, middleware: forgottenFor(controller), afterAction: true });
}

type Next = (error?: unknown) => unknown;

function forgottenFor(controller: Controller) {
  // Four parameters: express calls it only with an error.
  return function forgottenLoginConfig(
    error: unknown,
    request: IncomingMessage | Next,
    _res: ServerResponse,
    next: Next,
  ) {
    // Koa runs after-action middlewares as (ctx, next) once the action succeeded: carry on.
    if (typeof request === 'function') return request();
    next(isMissingChecker(error) ? missingLoginConfig(controller) : error);
  };
}

const isMissingChecker = (error: unknown): boolean =>
  error instanceof Error && error.name === 'AuthorizationCheckerNotDefinedError';

function missingLoginConfig(controller: Controller): LoginConfigurationError {
  return new LoginConfigurationError(
    `${controller.name} uses @LoggedIn() or @User(), but its app was set up without loginConfig(). ` +
      'Pass your routing-controllers options through it: useExpressServer(app, loginConfig({ controllers })) ' +
      '(or createExpressServer(loginConfig({ ... }))), with a LoginManager registered by ' +
      'Container.set(LoginManager, manager) or given as loginConfig(options, manager).',
  );
}
