import * as check from '../config/checks';
import { CSRF_COOKIE } from '../http/csrf';
import { LoginConfigurationError } from '../shared/errors';

/** `refreshCookieName`: a cookie name of its own, default `'refresh-token'`. */
export function refreshCookieName(value: unknown, cookieName: string): string {
  const name = check.cookieName(value ?? 'refresh-token', 'refreshCookieName');
  if (name === cookieName || name === CSRF_COOKIE) {
    throw new LoginConfigurationError(`\`refreshCookieName\` must differ from \`cookieName\` and '${CSRF_COOKIE}'.`);
  }
  return name;
}
