import { isDeepStrictEqual } from 'node:util';
import type { MetadataArgsStorage } from 'routing-controllers';
import type { RouteRequirement } from '../core/requirements';
import type { LoginManager } from '../login-manager';
import { bearerChallenge, LoginConfigurationError } from '../shared/errors';
import { findOperation, type Operation, operationsOf } from './operations';
import { addPasswordFormSchema } from './password-form-schema';
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
 * responses. Routes without those decorators are left as they are, and so is a `security`
 * an operation already has (set with `@OpenAPI`). A `PasswordForm` body the document refers to
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
  const secured = loginRoutes(options.storage).filter((route) => route.requirement !== undefined);
  if (secured.some((route) => route.requirement?.refresh) && schemes.bearer) {
    schemes[SCHEME_NAMES.refresh] = REFRESH_SCHEME;
  }
  const csrf = manager.auth.options.csrf;
  const operations = operationsOf(document.paths ?? {});
  for (const route of secured) {
    const operation = findOperation(operations, route);
    if (!operation) throw missingOperation(route);
    const requirement = route.requirement as RouteRequirement;
    addScopes(schemes, requirement.scopes);
    operation.security ??= securityOf(requirement, schemes);
    addResponses(operation, requirement, csrf && schemes.cookie !== undefined && WRITES.has(route.httpMethod));
  }
  addSchemes(document, schemes);
  addPasswordFormSchema(document);
  return document;
}

/** The alternatives that open a route: `oauth2` with its scopes, or the bearer header, or the cookie. */
function securityOf(requirement: RouteRequirement, schemes: Schemes): OpenApiSecurityRequirement[] {
  const names = requirement.refresh
    ? [SCHEME_NAMES.refresh, SCHEME_NAMES.cookie]
    : [SCHEME_NAMES.oauth2, SCHEME_NAMES.bearer, SCHEME_NAMES.cookie];
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

const challenge = (example: string) => ({
  'WWW-Authenticate': {
    description: `The RFC 6750 challenge, e.g. \`${example}\`.`,
    schema: { type: 'string' },
  },
});

/** 401 where a login is required; 403 where scopes are, or a cookie login must send the CSRF header. */
function addResponses(operation: Operation, requirement: RouteRequirement, csrf: boolean): void {
  if (!requirement.loginRequired) return; // an optional login never fails the request
  operation.responses ??= {};
  const { responses } = operation;
  const token = requirement.refresh ? 'refresh token' : 'token';
  const fresh = requirement.fresh ? ', or one not from a password login made just now' : '';
  responses['401'] ??= {
    description: `Not logged in: no ${token}, or one that is invalid, expired or revoked${fresh}${stepUpReason(requirement)}.`,
    headers: challenge(stepUpChallenge(requirement) ?? 'Bearer error="invalid_token"'),
  };
  const { scopes } = requirement;
  if (scopes.length === 0 && !csrf) return;
  const reasons = [
    ...(scopes.length ? [`the token lacks a required scope (${scopes.join(', ')})`] : []),
    ...(csrf ? ['a cookie login sent no valid `X-CSRF-Token` header'] : []),
  ];
  responses['403'] ??= {
    description: `Forbidden: ${reasons.join(', or ')}.`,
    ...(scopes.length ? { headers: challenge(`Bearer error="insufficient_scope", scope="${scopes.join(' ')}"`) } : {}),
  };
}

/** Why a login falls short of a step-up route (RFC 9470), for the 401's description. */
function stepUpReason({ maxAge, acr }: RouteRequirement): string {
  const reasons = [
    ...(maxAge === undefined ? [] : [`older than ${maxAge} seconds`]),
    ...(acr === undefined ? [] : [`not made one of these ways (acr): ${acr.join(', ')}`]),
  ];
  return reasons.length ? `, or a login ${reasons.join(', or ')} (log in again)` : '';
}

/** The RFC 9470 challenge a step-up route answers with, or `undefined` for a route without one. */
function stepUpChallenge({ maxAge, acr }: RouteRequirement): string | undefined {
  if (maxAge === undefined && acr === undefined) return undefined;
  return bearerChallenge({ error: 'insufficient_user_authentication', acrValues: acr, maxAge });
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
          'rename yours, this library writes its schemes as oauth2, bearer, cookie and refreshToken.',
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
