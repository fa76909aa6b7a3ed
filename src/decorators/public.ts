import { markPublic } from '../core/by-default';
import type { ClassOrMethodDecorator } from './mark';

/**
 * Opens a controller or a route to everyone when the manager has `loggedInByDefault: true`
 * (the token and login routes), where every other route needs a login. On a class it opens every
 * route of it but one with its own `@LoggedIn()` or `@User()`. Changes nothing without `loggedInByDefault`.
 */
export function Public(): ClassOrMethodDecorator {
  return (target, method) => {
    if (typeof method === 'symbol') throw new TypeError('@Public() goes on a class or a string-named method.');
    markPublic(typeof target === 'function' ? target : target.constructor, method);
  };
}
