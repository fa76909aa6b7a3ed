import jwt from 'jsonwebtoken';
import type { SigningKey } from './keys';

/** Signs `claims` as they are: the caller has set `iat` (which jsonwebtoken then keeps) and `exp`. */
export function signToken(claims: Record<string, unknown>, key: SigningKey): string {
  return jwt.sign(claims, key.signKey, { algorithm: key.algorithm });
}
