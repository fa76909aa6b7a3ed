import { fail } from '../shared/checks';
import { COOKIE_NAME } from './extraction/cookie';
import { sameOriginPath } from './login-page';
import { checkCookieOptions, type SessionCookieOptions } from './session-cookies';

/** A cookie name (RFC 6265 token); `option` names the option in the message. */
export function cookieName(name: unknown = 'access-token', option = 'cookieName'): string {
  if (typeof name !== 'string' || !COOKIE_NAME.test(name)) {
    fail(`\`${option}\` ${JSON.stringify(name)} is not a valid cookie name (letters, digits and !#$%&'*+-.^_\`|~).`);
  }
  return name as string;
}

/**
 * `cookieOptions`: the attributes `setCookie` would accept for each of the cookies `names`
 * (a `__Host-` name takes no `domain`), checked now so a bad one fails at construction.
 */
export function cookieOptions(value: unknown = {}, names: readonly string[] = []): SessionCookieOptions {
  if (typeof value !== 'object' || value === null) fail('`cookieOptions` is an object like { secure: true }.');
  try {
    checkCookieOptions(value as SessionCookieOptions, names);
  } catch (error) {
    fail(`\`cookieOptions\`: ${(error as Error).message.replace(/^setCookie: /, '')}`);
  }
  return { ...(value as SessionCookieOptions) };
}

/** `loginPage`: a path of this site for browsers without a login; it needs cookies, which is how a browser is logged in. */
export function loginPage(value: unknown, useCookie: boolean): string | undefined {
  if (value === undefined) return undefined;
  if (sameOriginPath(value) === undefined) {
    fail(
      "`loginPage` is a path of this site, such as '/login': one leading /, no scheme, host, backslash, space, " +
        'control character or dot segment.',
    );
  }
  if (!useCookie) {
    fail(
      '`loginPage` sends browsers to a login page, and a browser stays logged in by a cookie (a page request ' +
        'carries no Authorization header): set `useCookie: true` too.',
    );
  }
  return value as string;
}
