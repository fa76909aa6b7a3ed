import { checkScopes, markDecorator } from './route-marks';

/** What `@LoggedIn()` requires besides a valid login. */
export interface LoggedInOptions {
  /** Every one of these must be in the token's `scopes` (403 otherwise). */
  scopes?: string[];
  /** A refresh route: it takes refresh tokens only (an access token is a 401 here, and a refresh token everywhere else). */
  refresh?: boolean;
  /** Only a token from a password login made just now (`createAccessToken({ fresh: true })`); else 401 `fresh_login_required`. */
  fresh?: boolean;
}

/** A decorator for a controller class (all its routes) or one route method. */
export type ClassOrMethodDecorator = (
  target: object,
  method?: string | symbol,
  descriptor?: PropertyDescriptor,
) => void;

/** `LoggedInOptions` checked, with defaults: what `@LoggedIn()` and `requireLogin()` require. */
export interface LoginRequirementOptions {
  /** Every one must be in the token's `scopes`. */
  scopes: readonly string[];
  /** Refresh tokens only. */
  refresh: boolean;
  /** A token from a password login made just now. */
  fresh: boolean;
}

const KNOWN = new Set(['scopes', 'refresh', 'fresh']);

/** Checks `@LoggedIn()`/`requireLogin()` options: a typo or a wrong type throws instead of guarding less. */
export function checkLoggedInOptions(options: LoggedInOptions, caller: string): LoginRequirementOptions {
  if (typeof options !== 'object' || options === null)
    throw new TypeError(`${caller} takes { scopes?, refresh?, fresh? }.`);
  const unknown = Object.keys(options).filter((key) => !KNOWN.has(key));
  if (unknown.length) {
    throw new TypeError(`${caller}: unknown option ${unknown.join(', ')}; it takes scopes, refresh and fresh.`);
  }
  const scopes = checkScopes(options.scopes, caller);
  const { refresh = false, fresh = false } = options;
  if (typeof refresh !== 'boolean' || typeof fresh !== 'boolean') {
    throw new TypeError(`${caller}: \`refresh\` and \`fresh\` are booleans.`);
  }
  if (refresh && fresh) {
    throw new TypeError(`${caller}: a refresh token is never fresh; \`refresh\` and \`fresh\` exclude each other.`);
  }
  return { scopes, refresh, fresh };
}

/**
 * Protects a controller or a route: 401 without a valid login, 403 without every listed
 * scope. On a class it applies to every route; class and method requirements add up.
 */
export function LoggedIn(options: LoggedInOptions = {}): ClassOrMethodDecorator {
  const { scopes, refresh, fresh } = checkLoggedInOptions(options, '@LoggedIn()');
  return markDecorator('@LoggedIn()', 'logged-in', scopes, { refresh, fresh });
}
