import type { ErrorClass, ErrorFactory, ResolvedOptions } from '../core/settings';
import { isClassSyntax, isLoaderClass, type UserLoaderOption } from '../core/user-loader';
import { fail } from '../shared/checks';
import { isScopeToken } from '../token/claims';

/** The checks of the manager's own options (each part checks its options in its folder). */

/** Where tokens come from, and where clients get them. */
export function essentials(options: { tokenUrl?: unknown; useHeader?: unknown; useCookie?: unknown }): {
  tokenUrl: string;
  useHeader: boolean;
  useCookie: boolean;
} {
  const { tokenUrl, useHeader = true, useCookie = false } = options;
  if (typeof tokenUrl !== 'string' || tokenUrl === '') fail("`tokenUrl` is required, e.g. '/auth/token'.");
  if (typeof useHeader !== 'boolean' || typeof useCookie !== 'boolean') {
    fail('`useHeader` and `useCookie` are booleans.');
  }
  if (!useHeader && !useCookie) fail('`useHeader` and `useCookie` are both false: set one of them to true.');
  return { tokenUrl: tokenUrl as string, useHeader: useHeader as boolean, useCookie: useCookie as boolean };
}

/** Turns a class or a factory into a factory, trying it once so a bad one fails now, not per request. */
export function errorFactory(option: unknown, name: string): ErrorFactory | undefined {
  if (option === undefined) return undefined;
  if (typeof option !== 'function') fail(`\`${name}\` is an Error subclass or a function returning an Error.`);
  const isClass = option === Error || (option as () => unknown).prototype instanceof Error || isClassSyntax(option);
  const factory: ErrorFactory = isClass ? () => new (option as ErrorClass)() : (option as ErrorFactory);
  if (!(factory() instanceof Error)) {
    fail(`\`${name}\` must give an Error: extend Error (class X extends Error {}) or return new X().`);
  }
  return factory;
}

export function userLoader<TUser>(option: UserLoaderOption<TUser> | undefined): UserLoaderOption<TUser> | undefined {
  if (option === undefined) return undefined;
  if (typeof option !== 'function') {
    fail('`userLoader` is a function (sub, payload) => user, or a class with a @UserLoader() method.');
  }
  if (isClassSyntax(option) && !isLoaderClass(option)) {
    fail(
      `\`userLoader\`: class ${(option as { name: string }).name} has no @UserLoader() method; decorate the method that loads users.`,
    );
  }
  return option;
}

export function scopeDescriptions(scopes: unknown = {}): Record<string, string> {
  if (typeof scopes !== 'object' || scopes === null || Array.isArray(scopes)) {
    fail("`scopes` maps scope names to descriptions, e.g. { 'items:read': 'Read items' }.");
  }
  for (const [scope, description] of Object.entries(scopes as object)) {
    if (!isScopeToken(scope)) fail(`scope ${JSON.stringify(scope)} may not contain spaces, quotes or backslashes.`);
    if (typeof description !== 'string') fail(`the description of scope ${scope} is not a string.`);
  }
  return { ...(scopes as Record<string, string>) };
}

/**
 * Warns once, at construction, through `logger`, of a configuration that works but leaves a
 * hole the app may not mean: cookie-authenticated writes without the CSRF check.
 */
export function warnOfRisks(options: ResolvedOptions<unknown>): void {
  if (options.useCookie && !options.csrf) {
    options.logger.warn(
      'routing-controllers-login: `useCookie` with `csrf: false`: cookie-authenticated writes (POST, PUT, PATCH, ' +
        'DELETE) are not checked for CSRF, so only SameSite stands between them and a page on another site (and ' +
        "it does not cover sibling subdomains, nor sameSite: 'none'). Keep `csrf` on (the default), or take tokens " +
        'from the Authorization header alone (useCookie: false).',
    );
  }
}
