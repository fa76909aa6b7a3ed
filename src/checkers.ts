import type { IncomingMessage } from 'node:http';
import type { Action } from 'routing-controllers';
import { type Authenticator, challenge } from './authenticator';
import { routeRequirement } from './decorators/route-marks';
import { LoginConfigurationError } from './errors';
import { grantsScopes } from './token/claims';

/** Which manager guards a request's route: set by the app's authorization checker, read by `@User()`. */
const guards = new WeakMap<IncomingMessage, Authenticator<unknown>>();

/**
 * routing-controllers' `authorizationChecker`: runs for every route with `@LoggedIn`,
 * `@User` or `@Authorized`. It throws the manager's own errors (with their RFC 6750
 * challenge) rather than returning false, so failures never turn into routing-controllers'.
 */
export function authorizationCheckerFor<TUser>(auth: Authenticator<TUser>) {
  return async (action: Action, roles: unknown[]): Promise<boolean> => {
    const requirement = routeRequirement(roles);
    guards.set(action.request, auth as Authenticator<unknown>);
    const login = await auth.loginFor(action.request);
    if (!login.ok) {
      if (!requirement.loginRequired) return true;
      throw auth.notAuthenticated(login.code, action.response);
    }
    if (!grantsScopes(login.payload, requirement.scopes)) throw auth.outOfScope(requirement.scopes, action.response);
    return true;
  };
}

/**
 * routing-controllers' `currentUserChecker`, for `@CurrentUser()`: the user, or
 * `undefined` (routing-controllers enforces `required` itself). Without a login the
 * response carries a challenge, as RFC 7235 §4.1 allows on any response, because
 * whether this parameter was required is not known here.
 */
export function currentUserCheckerFor<TUser>(auth: Authenticator<TUser>) {
  return async (action: Action): Promise<TUser | undefined> => {
    const login = await auth.loginFor(action.request);
    if (!login.ok) challenge(action.response, login.code);
    return login.user;
  };
}

/** The value of a `@User()` parameter: the login the route's check already established. */
export async function injectUser(action: Action, required: boolean): Promise<unknown> {
  const auth = guards.get(action.request);
  if (!auth) {
    throw new LoginConfigurationError(
      '@User() found no LoginManager for this request: set the app up with useExpressServer(app, loginConfig({ ... })).',
    );
  }
  const login = await auth.loginFor(action.request);
  if (!login.ok && required) throw auth.notAuthenticated(login.code, action.response);
  return login.user;
}
