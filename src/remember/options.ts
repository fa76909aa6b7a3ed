import { LoginConfigurationError } from '../errors';
import { COOKIE_NAME } from '../extraction/cookie';

/** `refreshCookieName`: a cookie name of its own, default `'refresh-token'`. */
export function refreshCookieName(value: unknown, cookieName: string): string {
  const name = value ?? 'refresh-token';
  if (typeof name !== 'string' || !COOKIE_NAME.test(name)) {
    throw new LoginConfigurationError(
      `\`refreshCookieName\` ${JSON.stringify(name)} is not a valid cookie name (letters, digits and !#$%&'*+-.^_\`|~).`,
    );
  }
  if (name === cookieName || name === 'csrf-token') {
    throw new LoginConfigurationError(`\`refreshCookieName\` must differ from \`cookieName\` and 'csrf-token'.`);
  }
  return name;
}
