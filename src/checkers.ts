import type { IncomingMessage } from 'node:http';
import type { Action } from 'routing-controllers';
import type { Authenticator } from './authenticator';
import { routeRequirement } from './decorators/route-marks';
import { LoginConfigurationError } from './errors';
import { grantsScopes, type TokenType } from './token/claims';

interface Guard {
  auth: Authenticator<unknown>;
  type: TokenType;
}

/** Which manager guards a request's route, and with which token type: set by the authorization checker. */
const guards = new WeakMap<IncomingMessage, Guard>();

/** The token type the request's route asked for; access unless a refresh route said otherwise. */
export const routeTokenType = (request: IncomingMessage): TokenType => guards.get(request)?.type ?? 'access';

/**
 * routing-controllers' `authorizationChecker`: runs for every route with `@LoggedIn`,
 * `@User` or `@Authorized`. It throws the manager's own errors (with their RFC 6750
 * challenge) rather than returning false, so failures never turn into routing-controllers'.
 */
export function authorizationCheckerFor<TUser>(auth: Authenticator<TUser>) {
  return async ({ request, response }: Action, roles: unknown[]): Promise<boolean> => {
    const requirement = routeRequirement(roles);
    const type = requirement.refresh ? 'refresh' : 'access';
    guards.set(request, { auth: auth as Authenticator<unknown>, type });
    const login = await auth.loginFor(request, response, type);
    if (!login.ok) {
      if (!requirement.loginRequired) return true;
      throw auth.failures.login(login, response, request);
    }
    if (requirement.fresh && login.payload.fresh !== true) {
      throw auth.failures.login({ code: 'fresh_login_required' }, response, request);
    }
    if (!grantsScopes(login.payload, requirement.scopes)) {
      throw auth.failures.scope(requirement.scopes, response, request);
    }
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
  return async ({ request, response }: Action): Promise<TUser | undefined> => {
    const login = await auth.loginFor(request, response, routeTokenType(request));
    if (!login.ok) auth.failures.challenge(response, login);
    return login.user;
  };
}

/** The value of a `@User()` parameter: the login the route's check already established. */
export async function injectUser({ request, response }: Action, required: boolean): Promise<unknown> {
  const guard = guards.get(request);
  if (!guard) {
    throw new LoginConfigurationError(
      '@User() found no LoginManager for this request: set the app up with useExpressServer(app, loginConfig({ ... })).',
    );
  }
  const login = await guard.auth.loginFor(request, response, guard.type);
  if (!login.ok && required) throw guard.auth.failures.login(login, response, request);
  return login.user;
}
