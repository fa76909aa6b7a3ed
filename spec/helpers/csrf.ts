import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';

/** The shape of a CSRF value: 16 random bytes, a dot, their HMAC-SHA256 (base64url). */
export const CSRF_VALUE = /^[\w-]{22}\.[\w-]{43}$/;

/**
 * The CSRF value a page of the cookie login `token` would carry: `manager.csrfValue()` of a
 * request holding that cookie (`cookieName`, default `access-token`), as a rendered form gets it.
 */
export function csrfFor(
  manager: { csrfValue(request: IncomingMessage): string },
  token: string,
  cookieName = 'access-token',
): string {
  const request = new IncomingMessage(new Socket());
  request.headers = { cookie: `${cookieName}=${token}` };
  return manager.csrfValue(request);
}
