import { getMetadataArgsStorage, type MetadataArgsStorage } from 'routing-controllers';
import { publicMark } from '../core/by-default';
import { asArray, isMark, type RouteRequirement, routeRequirement } from '../core/requirements';

/** A routing-controllers action and what its login decorators ask of a request. */
export interface LoginRoute {
  /** routing-controllers-openapi's default `operationId`: `Controller.method`. */
  operationId: string;
  /** The lower-case HTTP method (`get`, `post`, ...). */
  httpMethod: string;
  /** The controller and action route in OpenAPI form (`/items/{id}`), without any routePrefix. */
  path: string | undefined;
  /** `undefined`: nothing asks for a login here. */
  requirement: RouteRequirement | undefined;
}

type HandlerArgs = MetadataArgsStorage['responseHandlers'][number];
type ActionArgs = MetadataArgsStorage['actions'][number];

/**
 * Every action in `storage`, with the requirement the checkers will enforce on it; with
 * `loggedInByDefault`, a login on every route without `@Public()`.
 */
export function loginRoutes(storage: MetadataArgsStorage = getMetadataArgsStorage(), loggedInByDefault = false) {
  return storage.actions.map(
    (action): LoginRoute => ({
      operationId: `${action.target.name}.${action.method}`,
      httpMethod: action.type.toLowerCase(),
      path: openApiPath(storage, action),
      requirement: loggedInByDefault ? byDefault(storage, action) : requirementOf(storage, action),
    }),
  );
}

/** Under `loggedInByDefault`: what the decorators ask, and a login unless the route is `@Public()`. */
function byDefault(storage: MetadataArgsStorage, action: ActionArgs): RouteRequirement | undefined {
  const requirement = requirementOf(storage, action);
  if (publicMark(action.target, action.method)) return requirement;
  return { scopes: [], refresh: false, fresh: false, ...requirement, loginRequired: true };
}

/** The `by-default` marks an app of a `loggedInByDefault` manager added: the document says what the manager does. */
const isDefaultMark = (role: unknown): boolean => isMark(role) && role.kind === 'by-default';
const declared = (handler: HandlerArgs | undefined): HandlerArgs | undefined => {
  const values = asArray(handler?.value);
  return values.length > 0 && values.every(isDefaultMark) ? undefined : handler;
};

/**
 * The roles routing-controllers hands the authorization checker for this action (its
 * ControllerMetadata and ActionMetadata read the first `authorized` entry of the class
 * and of the method, and concatenate their values), added up by the checkers' own code.
 */
function requirementOf(storage: MetadataArgsStorage, action: ActionArgs): RouteRequirement | undefined {
  const authorized = storage.responseHandlers.filter((h) => h.type === 'authorized' && h.target === action.target);
  const onClass = declared(authorized.find((h) => !h.method));
  const onMethod = declared(authorized.find((h) => h.method === action.method));
  const users = storage.params.filter(
    (p) => p.type === 'current-user' && p.object.constructor === action.target && p.method === action.method,
  );
  if (!onClass && !onMethod) {
    // @CurrentUser() without @Authorized: the route reads a login if there is one.
    if (users.length === 0) return undefined;
    return { loginRequired: users.some((p) => p.required === true), scopes: [], refresh: false, fresh: false };
  }
  const roles: unknown[] = ([] as unknown[]).concat(rolesOf(onClass), rolesOf(onMethod));
  const requirement = routeRequirement(roles);
  const currentUserRequired = users.some((p) => p.required === true);
  return currentUserRequired ? { ...requirement, loginRequired: true } : requirement;
}

const rolesOf = (handler: HandlerArgs | undefined): unknown => handler?.value || [];

/** `/items/:id(\\d+)?` → `/items/{id}`, as routing-controllers-openapi writes paths; `undefined` for RegExp routes. */
function openApiPath(storage: MetadataArgsStorage, action: ActionArgs): string | undefined {
  const controllerRoute = storage.controllers.find((c) => c.target === action.target)?.route ?? '';
  const route = action.route ?? '';
  if (typeof controllerRoute !== 'string' || typeof route !== 'string') return undefined;
  return `${controllerRoute}${route}`.replace(/:(\w+)(\([^)]*\))?[?*+]?/g, '{$1}');
}
