import type { LoginManager } from 'routing-controllers-login';
import { keysFromEnv, managerFor, USER } from './keys';
import type { Minter, Variant } from './types';

/** What the minter makes a row's requests with: its manager, tokens, and how they travel. */
export function minterFor(variant: Variant): Minter {
  const keys = keysFromEnv();
  if (variant.app !== 'library') {
    return { token: () => '', carry: () => ({}), keys, manager: undefined, sample: '' };
  }
  const manager = managerFor(variant, keys);
  const token = () => manager.createAccessToken({ data: { sub: USER.email } });
  const cookie = variant.login?.options?.cookieName ?? 'access-token';
  const carry = (value: string): Record<string, string> =>
    variant.login?.source === 'cookie' ? { cookie: `${cookie}=${value}` } : { authorization: `Bearer ${value}` };
  return { token, carry, keys, manager: manager as LoginManager<unknown>, sample: token() };
}
