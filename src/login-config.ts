import type { AuthorizationChecker, RoutingControllersOptions } from 'routing-controllers';
import { Container } from 'typedi';
import { appControllers, protectByDefault } from './core/by-default';
import { LoginManager } from './login-manager';
import { LoginConfigurationError } from './shared/errors';

type Checkers = Required<Pick<RoutingControllersOptions, 'authorizationChecker' | 'currentUserChecker'>>;
type Validation = RoutingControllersOptions['validation'];

/**
 * class-validator puts the validated object (`target`) and the bad field's `value` in
 * every validation error, and routing-controllers sends them in the 400 body: a
 * `PasswordForm` with one bad field would echo the password. Off unless the app says otherwise.
 */
const NO_ECHO = { target: false, value: false } as const;

/**
 * routing-controllers options with the manager's `authorizationChecker` and
 * `currentUserChecker` added, validation errors that carry no `target` and no `value`
 * (so a 400 never echoes a password; `validation.validationError` set by the app wins), and
 * `development: false` unless the app sets it: routing-controllers otherwise puts every error's
 * stack trace in the response whenever `NODE_ENV` is not `production` (unset, in many deployments),
 * a 400 for a bad login form included.
 * Nothing else changes (an absent `middlewares` list stays absent, which routing-controllers
 * reads as "all global middlewares"; `validation: false` stays false).
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
  const config = {
    ...options,
    development: options.development ?? false,
    validation: withoutEcho(options.validation),
    authorizationChecker: manager.authorizationChecker,
    currentUserChecker: manager.currentUserChecker,
  } as T & Checkers;
  return manager.auth.options.loggedInByDefault ? protectingByDefault(config, manager.authorizationChecker) : config;
}

/**
 * `loggedInByDefault`: routing-controllers reads `authorizationChecker` once per app, after it has
 * imported the app's controllers (directories included) and before it builds their routes, so reading
 * it is when the routes without a login decorator get theirs. Controllers defined after `loginConfig()`
 * runs are covered too.
 */
function protectingByDefault<T extends RoutingControllersOptions>(config: T & Checkers, checker: AuthorizationChecker) {
  return Object.defineProperty(config, 'authorizationChecker', {
    enumerable: true,
    get() {
      protectByDefault(appControllers(config.controllers));
      return checker;
    },
  });
}

/**
 * routing-controllers enables validation when `validation` is absent or true, so an object
 * changes nothing but the error shape; `false` must stay false (it would turn validation on).
 */
function withoutEcho(validation: Validation): Validation {
  if (validation === false) return false;
  const own = typeof validation === 'object' && validation !== null ? validation : {};
  return { ...own, validationError: { ...NO_ECHO, ...own.validationError } };
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
