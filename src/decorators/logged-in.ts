import { checkLoggedInOptions, type LoggedInOptions } from '../core/requirements';
import { type ClassOrMethodDecorator, markDecorator } from './mark';

/**
 * Protects a controller or a route: 401 without a valid login, 403 without every listed
 * scope, 401 `insufficient_user_authentication` for a login older than `maxAge` or not of
 * an `acr` listed. On a class it applies to every route; class and method requirements add up
 * (the shorter `maxAge`, the `acr` values both accept).
 */
export function LoggedIn(options: LoggedInOptions = {}): ClassOrMethodDecorator {
  const { scopes, ...flags } = checkLoggedInOptions(options, '@LoggedIn()');
  return markDecorator('@LoggedIn()', 'logged-in', scopes, flags);
}
