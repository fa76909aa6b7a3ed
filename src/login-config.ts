import type { RoutingControllersOptions } from 'routing-controllers';
import { Container } from 'typedi';
import { LoginConfigurationError } from './errors';
import { LoginManager } from './login-manager';

type Checkers = Required<Pick<RoutingControllersOptions, 'authorizationChecker' | 'currentUserChecker'>>;

/**
 * routing-controllers options with the manager's `authorizationChecker` and
 * `currentUserChecker` added; nothing else changes (an absent `middlewares` list stays
 * absent, which routing-controllers reads as "all global middlewares").
 */
export function loginConfig<T extends RoutingControllersOptions>(
  options: T = {} as T,
  manager: LoginManager<unknown> = defaultManager(),
): T & Checkers {
  if (!(manager instanceof LoginManager)) {
    throw new LoginConfigurationError('loginConfig(options, manager): `manager` is not a LoginManager.');
  }
  for (const key of ['authorizationChecker', 'currentUserChecker'] as const) {
    if (options[key] !== undefined) {
      throw new LoginConfigurationError(
        `loginConfig(): options.${key} is already set, and loginConfig sets it from the LoginManager. ` +
          'Remove yours: @LoggedIn(), @User(), @Authorized() and @CurrentUser() all go through the manager.',
      );
    }
  }
  return {
    ...options,
    authorizationChecker: manager.authorizationChecker,
    currentUserChecker: manager.currentUserChecker,
  };
}

function defaultManager(): LoginManager<unknown> {
  if (!Container.has(LoginManager)) {
    throw new LoginConfigurationError(
      'loginConfig(): no LoginManager in the typedi Container. Register one first, ' +
        'Container.set(LoginManager, new LoginManager({ ... })), or pass it: loginConfig(options, manager).',
    );
  }
  return Container.get(LoginManager);
}
