import jwt from 'jsonwebtoken';
import type { RingKey } from '../keys/source';

/**
 * Signs `claims` as they are (the caller has set `iat`, which jsonwebtoken then keeps,
 * and `exp`), stamping the key's `kid` so verifiers can pick the key.
 */
export function signToken(
  claims: Record<string, unknown>,
  key: RingKey & { signKey: NonNullable<RingKey['signKey']> },
): string {
  return jwt.sign(claims, key.signKey, {
    algorithm: key.algorithm,
    ...(key.kid === undefined ? {} : { keyid: key.kid }),
  });
}
