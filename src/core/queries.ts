import { grantsScopes, type TokenPayload } from '../token/claims';
import type { Authenticator } from './authenticator';

/** `manager.getCurrentUser(token)`: verified, not revoked, its user loaded; else the not-authenticated error. */
export async function currentUser<TUser>(
  auth: Authenticator<TUser>,
  token: string,
  options: { refresh?: boolean } = {},
): Promise<TUser> {
  if (typeof token !== 'string' || token === '') throw auth.failures.login({ code: 'token_missing' });
  const login = await auth.login(token, options.refresh ? 'refresh' : 'access');
  if (!login.ok) throw auth.failures.login(login);
  return login.user;
}

/** `manager.hasScopes(token, required)`: synchronous, so the store is not asked. */
export function hasScopes(auth: Authenticator<unknown>, token: string, required: string[]): boolean {
  return grantsScopes(verifiedAccess(auth, token), required);
}

function verifiedAccess(auth: Authenticator<unknown>, token: string): TokenPayload {
  if (typeof token !== 'string' || token === '') throw auth.failures.login({ code: 'token_missing' });
  const checked = auth.verifier.verify(token, 'access');
  if (!checked.ok) throw auth.failures.login(checked);
  return checked.value;
}
