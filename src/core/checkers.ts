import type { IncomingMessage } from 'node:http';
import type { Action } from 'routing-controllers';
import { type Exchange, exchangeFor } from '../frameworks';
import { loginCsrfFailure, loginCsrfPasses } from '../http/csrf';
import { LoginConfigurationError } from '../shared/errors';
import type { MaybePromise } from '../shared/maybe-promise';
import { isThenable } from '../shared/maybe-promise';
import { grantsScopes, type TokenType } from '../token/claims';
import type { Authenticator } from './authenticator';
import { cookieSession } from './cookies';
import type { Login } from './login';
import { knownState, stateOf } from './request-state';
import { type RouteRequirement, routeRequirement } from './requirements';
import { needsStepUp } from './step-up';

/** What a route asks of a login; `loginRequired` defaults to true (guards outside routing-controllers). */
type Requirement = Omit<RouteRequirement, 'loginRequired'> & { loginRequired?: boolean };

/** The token type the request's route asked for; access unless a refresh route said otherwise. */
export const routeTokenType = (request: IncomingMessage): TokenType => knownState(request)?.guardType ?? 'access';

/**
 * Checks the request's login against what its route requires, and throws the 401/403
 * error (its challenge set on the response too) when it falls short. An anonymous login
 * passes only when the route does not require one. Synchronous while the login is.
 */
export function checkLogin<TUser>(
  auth: Authenticator<TUser>,
  exchange: Exchange,
  requirement: Requirement,
): MaybePromise<Login<TUser>> {
  const type = requirement.refresh ? 'refresh' : 'access';
  // Which manager guards the request, and with which token type (for `@User()` and `logout`).
  const state = stateOf(exchange.req);
  state.guard = auth;
  state.guardType = type;
  if (requirement.csrf && !loginCsrfPasses(exchange, auth.cookies.csrfValues, () => cookieSession(auth, exchange))) {
    throw auth.failures.login({ code: loginCsrfFailure(exchange) }, exchange);
  }
  const login = auth.loginFor(exchange, type);
  if (isThenable(login)) return Promise.resolve(login).then((settled) => meets(auth, exchange, requirement, settled));
  return meets(auth, exchange, requirement, login);
}

function meets<TUser>(
  auth: Authenticator<TUser>,
  exchange: Exchange,
  requirement: Requirement,
  login: Login<TUser>,
): Login<TUser> {
  if (!login.ok) {
    const required = requirement.loginRequired !== false || (requirement.byDefault && auth.options.loggedInByDefault);
    if (!required) return login;
    throw auth.failures.login(login, exchange);
  }
  if (requirement.fresh && login.payload.fresh !== true) {
    throw auth.failures.login({ code: 'fresh_login_required' }, exchange);
  }
  if ((requirement.maxAge !== undefined || requirement.acr !== undefined) && steppedDown(auth, login, requirement)) {
    throw auth.failures.stepUp(requirement, exchange);
  }
  if (!grantsScopes(login.payload, requirement.scopes)) throw auth.failures.scope(requirement.scopes, exchange);
  return login;
}

/** A login older than the route's `maxAge`, or not of one of its `acr` values (RFC 9470). */
function steppedDown<TUser>(auth: Authenticator<TUser>, login: Login<TUser>, requirement: Requirement): boolean {
  const { clock, clockTolerance } = auth.options;
  return login.ok && needsStepUp(login.payload, requirement, clock() / 1000, clockTolerance);
}

/**
 * routing-controllers' `authorizationChecker`: runs for every route with `@LoggedIn`,
 * `@User` or `@Authorized`, on express and Koa alike. It throws the manager's own errors
 * (with their RFC 6750 challenge) rather than returning false, so failures never turn
 * into routing-controllers'. It answers synchronously when it can: routing-controllers
 * then goes on without a promise.
 */
export function authorizationCheckerFor<TUser>(auth: Authenticator<TUser>) {
  return (action: Action, roles: unknown[]): boolean | Promise<boolean> => {
    const login = checkLogin(auth, exchangeFor(action), routeRequirement(roles));
    return isThenable(login) ? Promise.resolve(login).then(allowed) : true;
  };
}

/**
 * routing-controllers' `currentUserChecker`, for `@CurrentUser()`: the user, or
 * `undefined` (routing-controllers enforces `required` itself). Without a login the
 * response carries a challenge, as RFC 7235 §4.1 allows on any response, because
 * whether this parameter was required is not known here.
 */
export function currentUserCheckerFor<TUser>(auth: Authenticator<TUser>) {
  return (action: Action): MaybePromise<TUser | undefined> => {
    const exchange = exchangeFor(action);
    const login = auth.loginFor(exchange, routeTokenType(exchange.req));
    if (isThenable(login)) return Promise.resolve(login).then((settled) => currentUser(auth, exchange, settled));
    return currentUser(auth, exchange, login);
  };
}

/** The value of a `@User()` parameter: the login the route's check already established. */
export function injectUser(action: Action, required: boolean): MaybePromise<unknown> {
  const exchange = exchangeFor(action);
  const state = knownState(exchange.req);
  const guard = state?.guard as Authenticator<unknown> | undefined;
  if (!guard || !state) {
    throw new LoginConfigurationError(
      '@User() found no LoginManager for this request: set the app up with ' +
        'useExpressServer(app, loginConfig({ ... })) or useKoaServer(app, loginConfig({ ... })).',
    );
  }
  const login = guard.loginFor(exchange, state.guardType);
  if (isThenable(login))
    return Promise.resolve(login).then((settled) => parameterUser(guard, exchange, settled, required));
  return parameterUser(guard, exchange, login, required);
}

const allowed = (): true => true;

/** `@CurrentUser()`: the user, or `undefined` with the challenge on the response. */
function currentUser<TUser>(auth: Authenticator<TUser>, exchange: Exchange, login: Login<TUser>): TUser | undefined {
  if (!login.ok) auth.failures.challenge(exchange, login);
  return login.user;
}

/** `@User()`: the user; without one, the route's 401 when the parameter is required. */
function parameterUser(auth: Authenticator<unknown>, exchange: Exchange, login: Login<unknown>, required: boolean) {
  if (!login.ok && required) throw auth.failures.login(login, exchange);
  return login.user;
}
