import { checkLoggedInOptions, type LoggedInOptions } from '../core/requirements';
import { type ClassOrMethodDecorator, markDecorator } from './mark';

/**
 * Protects a controller or a route: 401 without a valid login, 403 without every listed
 * scope. On a class it applies to every route; class and method requirements add up.
 */
export function LoggedIn(options: LoggedInOptions = {}): ClassOrMethodDecorator {
  const { scopes, refresh, fresh } = checkLoggedInOptions(options, '@LoggedIn()');
  return markDecorator('@LoggedIn()', 'logged-in', scopes, { refresh, fresh });
}
