import { isDeepStrictEqual } from 'node:util';
import type { MetadataArgsStorage } from 'routing-controllers';
import type { RouteRequirement } from '../core/requirements';
import type { DpopSetup } from '../dpop/options';
import type { LoginManager } from '../login-manager';
import { LoginConfigurationError } from '../shared/errors';
import { findOperation, operationsOf } from './operations';
import { addPasswordFormSchema } from './password-form-schema';
import { addResponses } from './responses';
import { type LoginRoute, loginRoutes } from './routes';
import { type LoginSecurityOptions, loginSecuritySchemes, REFRESH_SCHEME, SCHEME_NAMES } from './schemes';
import type { OpenApiDocument, OpenApiSecurityRequirement, OpenApiSecurityScheme } from './types';

/** What `withLoginSecurity` takes besides the document and the manager. */
export interface WithLoginSecurityOptions extends LoginSecurityOptions {
  /** The routing-controllers metadata the document was made from. Default `getMetadataArgsStorage()`. */
  storage?: MetadataArgsStorage;
}

type Schemes = Record<string, OpenApiSecurityScheme>;
const WRITES = new Set(['post', 'put', 'patch', 'delete']);

/**
 * A copy of `spec` (e.g. from routing-controllers-openapi's `routingControllersToSpec`) that
 * documents the login: the manager's `components.securitySchemes`, and on every route the
 * `security` its `@LoggedIn`, `@User`, `@Authorized` and `@CurrentUser` decorators imply
 * (class and method added up; an optional login lists `{}` first) with its 401 and 403
 * responses; with `loggedInByDefault`, every route without `@Public()` needs a login. Routes
 * without those decorators are left as they are (`@Public()` ones, under `loggedInByDefault`),
 * and so is a `security` an operation already has (set with `@OpenAPI`). A `PasswordForm` body the document refers to
 * but does not define (no class-validator-jsonschema) gets its schema.
 */
export function withLoginSecurity<T extends OpenApiDocument>(
  spec: T,
  manager: LoginManager<unknown>,
  options: WithLoginSecurityOptions = {},
): T {
  if (typeof spec !== 'object' || spec === null || typeof spec.openapi !== 'string' || !spec.openapi.startsWith('3.')) {
    throw new TypeError('withLoginSecurity(spec, manager): `spec` is an OpenAPI 3 document ({ openapi: "3.x", ... }).');
  }
  const document = structuredClone(spec) as T & { paths?: Record<string, unknown> };
  const schemes = loginSecuritySchemes(manager, options);
  const byDefault = manager.auth.options.loggedInByDefault;
  const secured = loginRoutes(options.storage, byDefault).filter((route) => route.requirement !== undefined);
  if (secured.some((route) => route.requirement?.refresh) && schemes.bearer) {
    schemes[SCHEME_NAMES.refresh] = REFRESH_SCHEME;
  }
  const { csrf, dpop } = manager.auth.options;
  const operations = operationsOf(document.paths ?? {});
  for (const route of secured) {
    const operation = findOperation(operations, route);
    if (!operation) throw missingOperation(route);
    const requirement = route.requirement as RouteRequirement;
    addScopes(schemes, requirement.scopes);
    operation.security ??= securityOf(requirement, schemes, dpop);
    const cookieWrite = csrf && schemes.cookie !== undefined && WRITES.has(route.httpMethod);
    addResponses(operation, requirement, { csrf: cookieWrite, dpop });
  }
  addSchemes(document, schemes);
  addPasswordFormSchema(document);
  return document;
}

/**
 * The alternatives that open a route: `oauth2` with its scopes, or the bearer header, or DPoP, or
 * the cookie; with DPoP required, DPoP alone (a bearer token, the password flow's too, is refused).
 */
function securityOf(
  requirement: RouteRequirement,
  schemes: Schemes,
  dpop: DpopSetup | undefined,
): OpenApiSecurityRequirement[] {
  const names = dpop?.required
    ? [SCHEME_NAMES.dpop]
    : requirement.refresh
      ? [SCHEME_NAMES.refresh, SCHEME_NAMES.dpop, SCHEME_NAMES.cookie]
      : [SCHEME_NAMES.oauth2, SCHEME_NAMES.bearer, SCHEME_NAMES.dpop, SCHEME_NAMES.cookie];
  const ways = names
    .filter((name) => schemes[name] !== undefined)
    .map((name) => ({ [name]: name === SCHEME_NAMES.oauth2 ? [...requirement.scopes] : [] }));
  return requirement.loginRequired ? ways : [{}, ...ways];
}

/** A scope a route requires is declared in the password flow, with the manager's description if it has one. */
function addScopes(schemes: Schemes, scopes: readonly string[]): void {
  const oauth2 = schemes[SCHEME_NAMES.oauth2];
  if (oauth2?.type !== 'oauth2') return;
  for (const scope of scopes) oauth2.flows.password.scopes[scope] ??= '';
}

/** Adds the schemes; one already there under the same name must be the same scheme. */
function addSchemes(document: OpenApiDocument, schemes: Schemes): void {
  document.components ??= {};
  const components = document.components as { securitySchemes?: Record<string, unknown> };
  components.securitySchemes ??= {};
  const existing = components.securitySchemes;
  for (const [name, scheme] of Object.entries(schemes)) {
    if (existing[name] !== undefined && !isDeepStrictEqual(existing[name], scheme)) {
      throw new LoginConfigurationError(
        `withLoginSecurity(): the document already has a different security scheme named "${name}"; ` +
          'rename yours, this library writes its schemes as oauth2, bearer, dpop, cookie and refreshToken.',
      );
    }
    existing[name] = scheme;
  }
}

function missingOperation(route: LoginRoute): LoginConfigurationError {
  return new LoginConfigurationError(
    `withLoginSecurity(): the document has no operation for ${route.operationId} (${route.httpMethod.toUpperCase()} ` +
      `${route.path ?? 'a RegExp route'}), which needs a login. Pass the document routingControllersToSpec made from ` +
      'the same metadata (options.storage if not the global one), with its operationId left as generated or its path intact.',
  );
}
