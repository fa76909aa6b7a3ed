import type { KeyObject } from 'node:crypto';
import { hmacKey, type Secret } from '../keys/material';
import { fail } from '../shared/checks';
import { CSRF_COOKIE } from './csrf';
import { CsrfValues, csrfKeyMaterial } from './csrf-token';
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

/** `csrfCookieName`: the readable CSRF cookie, default `'csrf-token'`, a name of its own. */
export function csrfCookieName(value: unknown, tokenCookie: string): string {
  const name = cookieName(value ?? CSRF_COOKIE, 'csrfCookieName');
  if (name === tokenCookie) fail('`csrfCookieName` must differ from `cookieName`.');
  return name;
}

/**
 * The CSRF values of a manager: keyed by `csrfSecret` when given (checked as an HS256 secret),
 * else by its signing keys. A manager that holds neither (verify-only) and uses cookies with CSRF
 * on fails here, with the fix.
 */
export function csrfValues(
  cookie: string,
  secret: unknown,
  signKeys: readonly (KeyObject | undefined)[],
  needed: boolean,
) {
  const material =
    secret === undefined ? csrfKeyMaterial(signKeys) : [hmacKey(secret as Secret, 'HS256', '`csrfSecret`').export()];
  if (needed && material.length === 0) {
    fail(
      '`useCookie` with CSRF protection needs a key for its CSRF values, and this manager holds no secret or ' +
        'private key (it verifies only): give `csrfSecret`, a random secret of 32 bytes or more, the same on the ' +
        'service that logs users in and on every one that reads its cookies. Make one with: ' +
        `node -e "console.log(require('crypto').randomBytes(32).toString('base64url'))"`,
    );
  }
  return new CsrfValues(cookie, material);
}
