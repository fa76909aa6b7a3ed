import type { LoginRoute } from './routes';
import type { OpenApiSecurityRequirement } from './types';

/** The parts of an OpenAPI operation this library reads and writes. */
export interface Operation {
  operationId?: unknown;
  security?: OpenApiSecurityRequirement[];
  responses?: Record<string, unknown>;
}

interface Located {
  path: string;
  method: string;
  operation: Operation;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** Every operation of `paths` (path item keys that hold an object, `parameters` and `$ref` aside). */
export function operationsOf(paths: Record<string, unknown>): Located[] {
  const found: Located[] = [];
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const [method, operation] of Object.entries(item)) {
      if (isObject(operation) && !Array.isArray(operation) && method !== 'servers') {
        found.push({ path, method, operation: operation as Operation });
      }
    }
  }
  return found;
}

/**
 * The operation routing-controllers-openapi made for `route`: by its default `operationId`
 * (`Controller.method`), else, if `@OpenAPI` renamed it, by method and a path ending in the
 * route's own (the routePrefix is not known here). `undefined` when none, or several, match.
 */
export function findOperation(operations: readonly Located[], route: LoginRoute): Operation | undefined {
  const byId = operations.filter((o) => o.operation.operationId === route.operationId);
  const byPath = operations.filter(
    (o) => o.method === route.httpMethod && route.path !== undefined && o.path.endsWith(route.path),
  );
  // Two controllers of the same class name share an operationId: their paths tell them apart.
  const both = byId.filter((o) => byPath.includes(o));
  const candidates = byId.length === 1 ? byId : both.length > 0 ? both : byPath;
  return candidates.length === 1 ? candidates[0]?.operation : undefined;
}
