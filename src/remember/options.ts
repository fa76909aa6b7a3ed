import { CSRF_COOKIE } from '../http/csrf';
import * as http from '../http/options';
import { fail } from '../shared/checks';

/** `refreshCookieName`: a cookie name of its own, default `'refresh-token'`. */
export function refreshCookieName(value: unknown, cookieName: string): string {
  const name = http.cookieName(value ?? 'refresh-token', 'refreshCookieName');
  if (name === cookieName || name === CSRF_COOKIE) {
    fail(`\`refreshCookieName\` must differ from \`cookieName\` and '${CSRF_COOKIE}'.`);
  }
  return name;
}
