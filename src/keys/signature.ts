import { constants, createHmac, type KeyObject, timingSafeEqual, verify } from 'node:crypto';
import type { Algorithm } from './algorithms';

/** How each JWS algorithm checks a signature (RFC 7518 §3): its hash, and its family's padding or encoding. */
const HASH: Record<Algorithm, string> = {
  HS256: 'sha256',
  HS384: 'sha384',
  HS512: 'sha512',
  RS256: 'sha256',
  RS384: 'sha384',
  RS512: 'sha512',
  PS256: 'sha256',
  PS384: 'sha384',
  PS512: 'sha512',
  ES256: 'sha256',
  ES384: 'sha384',
  ES512: 'sha512',
};

/**
 * Whether `signature` (the third part of a compact JWS, base64url) signs `input` (the
 * first two parts, as sent) under `key` with `algorithm`. The caller has already pinned
 * `algorithm` to the key's one. Never throws.
 */
export function signatureValid(algorithm: Algorithm, key: KeyObject, input: string, signature: string): boolean {
  const hash = HASH[algorithm];
  if (algorithm.startsWith('HS')) return hmacValid(hash, key, input, signature);
  const bytes = Buffer.from(signature, 'base64url');
  // One encoding per signature: a token altered in the unused bits of its last character is another token.
  if (bytes.length === 0 || bytes.toString('base64url') !== signature) return false;
  const data = Buffer.from(input, 'latin1');
  try {
    if (algorithm.startsWith('ES')) return verify(hash, data, { key, dsaEncoding: 'ieee-p1363' }, bytes);
    if (algorithm.startsWith('PS')) {
      return verify(
        hash,
        data,
        { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST },
        bytes,
      );
    }
    return verify(hash, data, key, bytes);
  } catch {
    // A signature of the wrong size for the key, or a key that refuses this hash.
    return false;
  }
}

/** HMAC: the expected signature's base64url text against the given one, in constant time. */
function hmacValid(hash: string, key: KeyObject, input: string, signature: string): boolean {
  const expected = createHmac(hash, key).update(input, 'latin1').digest('base64url');
  // The length of an HMAC is public (it follows from the algorithm); only the content is compared in constant time.
  if (expected.length !== signature.length) return false;
  return timingSafeEqual(Buffer.from(expected, 'latin1'), Buffer.from(signature, 'latin1'));
}
