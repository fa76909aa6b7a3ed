import { getMetadataArgsStorage } from 'routing-controllers';
import { LoginConfigurationError } from '../shared/errors';
import { isScopeToken } from '../token/claims';
import { explainForgottenLoginConfig } from './forgotten-config';
import type { ClassOrMethodDecorator } from './logged-in';

type MarkKind = 'logged-in' | 'user' | 'optional-user' | 'csrf';

/**
 * What one decorator asks of a route. Marks ride in routing-controllers' own
 * `@Authorized` metadata, so its `authorizationChecker` (set per app by loginConfig)
 * runs for every route that needs a login, with the app's own manager.
 */
export class LoginMark {
  constructor(
    // biome-ignore lint/complexity/noBannedTypes: routing-controllers keys metadata by class.
    readonly target: Function,
    readonly method: string | undefined,
    readonly kind: MarkKind,
    readonly scopes: readonly string[] = [],
    readonly flags: { refresh?: boolean; fresh?: boolean } = {},
  ) {}
}

/**
 * A decorator for a class (every route of it) or a string-named route method that adds
 * one mark: the body of `@LoggedIn()` and `@RequireCsrf()`. `name` is the decorator's, for the error.
 */
export function markDecorator(
  name: string,
  kind: MarkKind,
  scopes?: readonly string[],
  flags?: LoginMark['flags'],
): ClassOrMethodDecorator {
  return (target, method) => {
    if (typeof method === 'symbol') throw new TypeError(`${name} goes on a class or a string-named method.`);
    const controller = typeof target === 'function' ? target : target.constructor;
    markRoute(new LoginMark(controller, method, kind, scopes, flags));
  };
}

/** What a route needs, all its decorators added up. */
export interface RouteRequirement {
  /** False only when every mark is an optional `@User`: then a missing login is no error. */
  loginRequired: boolean;
  scopes: readonly string[];
  /** The route takes refresh tokens, and only them. */
  refresh: boolean;
  /** The token must come from a password login made just now. */
  fresh: boolean;
  /** Writes must carry the CSRF value even without a login (`@RequireCsrf()`). */
  csrf?: boolean;
}

type ResponseHandlerMetadataArgs = ReturnType<typeof getMetadataArgsStorage>['responseHandlers'][number];

const isMark = (value: unknown): value is LoginMark => value instanceof LoginMark;
const asArray = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

function authorizedHandlers(): ResponseHandlerMetadataArgs[] {
  return getMetadataArgsStorage().responseHandlers.filter((handler) => handler.type === 'authorized');
}

/**
 * Adds `mark` to the `@Authorized` metadata of a class or method. routing-controllers
 * reads only the first such entry per class or method, so a mark joins an existing
 * entry instead of queueing behind it (where it would be silently ignored).
 */
export function markRoute(mark: LoginMark): void {
  explainForgottenLoginConfig(mark.target);
  const existing = authorizedHandlers().find((h) => h.target === mark.target && h.method === mark.method);
  if (!existing) {
    getMetadataArgsStorage().responseHandlers.push({
      type: 'authorized',
      target: mark.target,
      method: mark.method as string,
      value: [mark],
    });
    return;
  }
  const values = asArray(existing.value);
  // A plain @Authorized entry means "login required"; keep saying so once marks join it.
  const keepRequired = values.some(isMark) ? [] : [new LoginMark(mark.target, mark.method, 'logged-in')];
  existing.value = [...values, ...keepRequired, mark];
}

const requirements = new WeakMap<readonly unknown[], RouteRequirement>();

/**
 * The requirement behind the roles routing-controllers hands the authorization checker
 * (the same array on every request, so it is worked out once per route).
 */
export function routeRequirement(roles: readonly unknown[]): RouteRequirement {
  let requirement = requirements.get(roles);
  if (!requirement) {
    requirement = addUp(roles);
    requirements.set(roles, requirement);
  }
  return requirement;
}

function addUp(roles: readonly unknown[]): RouteRequirement {
  const marks = roles.filter(isMark);
  // Also read entries routing-controllers skipped: a second @Authorized on the same class or method.
  const entries = [...roles, ...marks.flatMap(skippedEntries)];
  const scopes = new Set<string>();
  let loginRequired = marks.length === 0;
  let refresh = false;
  let fresh = false;
  let csrf = false;
  for (const entry of entries) {
    if (isMark(entry)) {
      for (const scope of entry.scopes) scopes.add(scope);
      loginRequired ||= entry.kind !== 'optional-user' && entry.kind !== 'csrf';
      csrf ||= entry.kind === 'csrf';
      refresh ||= entry.flags.refresh === true;
      fresh ||= entry.flags.fresh === true;
    } else {
      if (!isScopeToken(entry)) {
        throw new LoginConfigurationError(`@Authorized(${JSON.stringify(entry)}): a scope is one word without quotes.`);
      }
      scopes.add(entry);
      loginRequired = true;
    }
  }
  return { loginRequired, scopes: [...scopes], refresh, fresh, csrf };
}

function skippedEntries(mark: LoginMark): unknown[] {
  const sameLevel = authorizedHandlers().filter(
    (h) => h.target === mark.target && (h.method === mark.method || h.method === undefined),
  );
  return sameLevel.flatMap((handler) => {
    const values = asArray(handler.value);
    return values.some(isMark) ? values : [...values, new LoginMark(mark.target, mark.method, 'logged-in')];
  });
}

export function checkScopes(scopes: unknown, decorator: string): readonly string[] {
  if (scopes === undefined) return [];
  if (!Array.isArray(scopes) || !scopes.every(isScopeToken)) {
    throw new TypeError(`${decorator}: \`scopes\` is an array of scope names without spaces or quotes.`);
  }
  return [...new Set(scopes)];
}
