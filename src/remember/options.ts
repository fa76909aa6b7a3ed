import * as http from '../http/options';
import { fail } from '../shared/checks';

/** `refreshCookieName`: a cookie name of its own, default `'refresh-token'`. */
export function refreshCookieName(value: unknown, cookieName: string, csrfCookieName: string): string {
  const name = http.cookieName(value ?? 'refresh-token', 'refreshCookieName');
  if (name === cookieName || name === csrfCookieName) {
    fail(`\`refreshCookieName\` must differ from \`cookieName\` and \`csrfCookieName\` ('${csrfCookieName}').`);
  }
  return name;
}
