import { checkScopes, LoginMark, markRoute } from './route-marks';

/** What `@LoggedIn()` requires besides a valid login. */
export interface LoggedInOptions {
  /** Every one of these must be in the token's `scopes` (403 otherwise). */
  scopes?: string[];
}

/** A decorator for a controller class (all its routes) or one route method. */
export type ClassOrMethodDecorator = (
  target: object,
  method?: string | symbol,
  descriptor?: PropertyDescriptor,
) => void;

/**
 * Protects a controller or a route: 401 without a valid login, 403 without every listed
 * scope. On a class it applies to every route; class and method requirements add up.
 */
export function LoggedIn(options: LoggedInOptions = {}): ClassOrMethodDecorator {
  const scopes = checkScopes(options.scopes, '@LoggedIn()');
  return (target, method) => {
    if (typeof method === 'symbol') throw new TypeError('@LoggedIn() goes on a class or a string-named method.');
    const controller = typeof target === 'function' ? target : target.constructor;
    markRoute(new LoginMark(controller, method, 'logged-in', scopes));
  };
}
