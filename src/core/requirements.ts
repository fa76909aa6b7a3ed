import { getMetadataArgsStorage } from 'routing-controllers';
import type { Duration } from '../shared/duration';
import { LoginConfigurationError } from '../shared/errors';
import { isScopeToken } from '../token/claims';
import { checkStepUp, combineStepUp, type StepUp } from './step-up';

/** What `@LoggedIn()` requires besides a valid login. */
export interface LoggedInOptions {
  /** Every one of these must be in the token's `scopes` (403 otherwise). */
  scopes?: string[];
  /** A refresh route: it takes refresh tokens only (an access token is a 401 here, and a refresh token everywhere else). */
  refresh?: boolean;
  /** Only a token from a password login made just now (`createAccessToken({ fresh: true })`); else 401 `fresh_login_required`. */
  fresh?: boolean;
  /**
   * Step-up (RFC 9470): only a login (its `auth_time`) at most this old, e.g. `'5m'`; else 401
   * `insufficient_user_authentication` with `WWW-Authenticate: Bearer error="insufficient_user_authentication", max_age=300`.
   * A token without `auth_time` is refused. Refreshes and renewals keep the login's time: only a new login passes.
   */
  maxAge?: Duration;
  /**
   * Step-up (RFC 9470): only a login made one of these ways (the token's `acr`, from
   * `createTokens({ ..., acr: 'mfa' })`), e.g. `['mfa']`; else 401 `insufficient_user_authentication` with `acr_values`.
   */
  acr?: string[];
}

/** `LoggedInOptions` checked, with defaults: what `@LoggedIn()` and `requireLogin()` require. */
export interface LoginRequirementOptions extends StepUp {
  /** Every one must be in the token's `scopes`. */
  scopes: readonly string[];
  /** Refresh tokens only. */
  refresh: boolean;
  /** A token from a password login made just now. */
  fresh: boolean;
}

const KNOWN = new Set(['scopes', 'refresh', 'fresh', 'maxAge', 'acr']);

/** Checks `@LoggedIn()`/`requireLogin()` options: a typo or a wrong type throws instead of guarding less. */
export function checkLoggedInOptions(options: LoggedInOptions, caller: string): LoginRequirementOptions {
  if (typeof options !== 'object' || options === null)
    throw new TypeError(`${caller} takes { scopes?, refresh?, fresh?, maxAge?, acr? }.`);
  const unknown = Object.keys(options).filter((key) => !KNOWN.has(key));
  if (unknown.length) {
    throw new TypeError(
      `${caller}: unknown option ${unknown.join(', ')}; it takes scopes, refresh, fresh, maxAge and acr.`,
    );
  }
  const scopes = checkScopes(options.scopes, caller);
  const { refresh = false, fresh = false } = options;
  if (typeof refresh !== 'boolean' || typeof fresh !== 'boolean') {
    throw new TypeError(`${caller}: \`refresh\` and \`fresh\` are booleans.`);
  }
  if (refresh && fresh) {
    throw new TypeError(`${caller}: a refresh token is never fresh; \`refresh\` and \`fresh\` exclude each other.`);
  }
  return { scopes, refresh, fresh, ...checkStepUp(options.maxAge, options.acr, caller) };
}

/** What a decorator marks a route with; `by-default`: no decorator, in an app of a `loggedInByDefault` manager. */
export type MarkKind = 'logged-in' | 'user' | 'optional-user' | 'csrf' | 'by-default';

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
    readonly flags: { refresh?: boolean; fresh?: boolean } & StepUp = {},
  ) {}
}

/** What a route needs, all its decorators added up. */
export interface RouteRequirement extends StepUp {
  /** False only when every mark is an optional `@User`: then a missing login is no error. */
  loginRequired: boolean;
  scopes: readonly string[];
  /** The route takes refresh tokens, and only them. */
  refresh: boolean;
  /** The token must come from a password login made just now. */
  fresh: boolean;
  /** Writes must carry the CSRF value even without a login (`@RequireCsrf()`). */
  csrf?: boolean;
  /** Not `@Public()`: a login is required by a manager with `loggedInByDefault`. */
  byDefault?: boolean;
}

type ResponseHandlerMetadataArgs = ReturnType<typeof getMetadataArgsStorage>['responseHandlers'][number];

export const isMark = (value: unknown): value is LoginMark => value instanceof LoginMark;
export const asArray = (value: unknown): unknown[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** routing-controllers' `@Authorized` metadata entries, where the marks ride. */
export function authorizedHandlers(): ResponseHandlerMetadataArgs[] {
  return getMetadataArgsStorage().responseHandlers.filter((handler) => handler.type === 'authorized');
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
  let byDefault = false;
  let stepUp: StepUp = {};
  for (const entry of entries) {
    if (isMark(entry)) {
      for (const scope of entry.scopes) scopes.add(scope);
      stepUp = combineStepUp(stepUp, entry.flags);
      loginRequired ||= entry.kind === 'logged-in' || entry.kind === 'user';
      csrf ||= entry.kind === 'csrf';
      byDefault ||= entry.kind === 'by-default';
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
  return { loginRequired, scopes: [...scopes], refresh, fresh, csrf, ...(byDefault ? { byDefault } : {}), ...stepUp };
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

/** Checks a `scopes` option: scope names without spaces or quotes, de-duplicated. */
export function checkScopes(scopes: unknown, decorator: string): readonly string[] {
  if (scopes === undefined) return [];
  if (!Array.isArray(scopes) || !scopes.every(isScopeToken)) {
    throw new TypeError(`${decorator}: \`scopes\` is an array of scope names without spaces or quotes.`);
  }
  return [...new Set(scopes)];
}
