/**
 * Types for plain express routes, in their own entry point (`routing-controllers-login/express`)
 * because they need `@types/express`: the package's main types never reference express.
 * @module routing-controllers-login/express
 */
import type { Request } from 'express';

/**
 * An express request after `manager.requireLogin()`: `req.user` is the user.
 * `R` is your own request type when the route has typed params or body.
 *
 * @example
 * app.get('/me', manager.requireLogin(), (req, res) => {
 *   res.json((req as LoggedInRequest<Account>).user);
 * });
 */
export type LoggedInRequest<TUser, R extends Request = Request> = R & {
  /** The logged-in user, as the user loader returned it. */
  user: TUser;
};

/** An express request after `manager.middleware()`: `req.user` is the user, or `null` without a login. */
export type MaybeLoggedInRequest<TUser, R extends Request = Request> = R & {
  /** The logged-in user, or `null` for a request without a valid login. */
  user: TUser | null;
};
