import { createParamDecorator } from 'routing-controllers';
import { injectUser } from '../core/checkers';
import { LoginMark } from '../core/requirements';
import { markRoute } from './mark';

/** How `@User()` treats a request without a valid login. */
export interface UserOptions {
  /**
   * `true` (default): the route needs a login (401 without one), even without `@LoggedIn`.
   * `false`: the parameter is `undefined` for a missing, invalid or expired token or an
   * unknown user; an exception thrown by the loader still fails the request (`UserLoaderError`).
   */
  required?: boolean;
}

/** Injects the logged-in user into a controller method parameter. */
export function User(options: UserOptions = {}): ParameterDecorator {
  const { required = true } = options;
  if (typeof required !== 'boolean') throw new TypeError('@User(): `required` is a boolean.');
  return (prototype, method, index) => {
    if (typeof prototype === 'function' || typeof method !== 'string') {
      throw new TypeError('@User() goes on a parameter of a controller method, not a constructor.');
    }
    markRoute(new LoginMark(prototype.constructor, method, required ? 'user' : 'optional-user'));
    createParamDecorator({ required: false, value: (action) => injectUser(action, required) })(
      prototype,
      method,
      index,
    );
  };
}
