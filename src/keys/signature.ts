import { constants, createHmac, type KeyObject, sign, timingSafeEqual, verify } from 'node:crypto';
import type { Algorithm } from './algorithms';

/**
 * The hash of each JWS algorithm (RFC 7518 §3); `null` for EdDSA, whose scheme hashes
 * the message itself (RFC 8037 §3.1), as `node:crypto` wants Ed25519 called.
 */
const HASH: Record<Algorithm, string | null> = {
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
  EdDSA: null,
};

/** The key as `crypto.sign`/`crypto.verify` take it for `algorithm`: its family's padding or encoding. */
function cryptoKey(algorithm: Algorithm, key: KeyObject) {
  if (algorithm.startsWith('ES')) return { key, dsaEncoding: 'ieee-p1363' as const };
  if (algorithm.startsWith('PS')) {
    return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST };
  }
  return key;
}

/**
 * The signature (base64url) of `input` (the first two parts of a compact JWS) under
 * `key`, the private key (or HMAC secret) of `algorithm`. One signer for every
 * algorithm, EdDSA included, which jsonwebtoken cannot sign.
 */
export function signatureOf(algorithm: Algorithm, key: KeyObject, input: string): string {
  const hash = HASH[algorithm];
  if (algorithm.startsWith('HS')) return hmacOf(hash as string, key, input);
  return sign(hash, Buffer.from(input, 'latin1'), cryptoKey(algorithm, key)).toString('base64url');
}

/**
 * Whether `signature` (the third part of a compact JWS, base64url) signs `input` (the
 * first two parts, as sent) under `key` with `algorithm`. The caller has already pinned
 * `algorithm` to the key's one. Never throws.
 */
export function signatureValid(algorithm: Algorithm, key: KeyObject, input: string, signature: string): boolean {
  const hash = HASH[algorithm];
  if (algorithm.startsWith('HS')) return hmacValid(hash as string, key, input, signature);
  const bytes = Buffer.from(signature, 'base64url');
  // One encoding per signature: a token altered in the unused bits of its last character is another token.
  if (bytes.length === 0 || bytes.toString('base64url') !== signature) return false;
  try {
    return verify(hash, Buffer.from(input, 'latin1'), cryptoKey(algorithm, key), bytes);
  } catch {
    // A signature of the wrong size for the key, or a key that refuses this hash.
    return false;
  }
}

/** HMAC: the expected signature's base64url text against the given one, in constant time. */
function hmacValid(hash: string, key: KeyObject, input: string, signature: string): boolean {
  const expected = hmacOf(hash, key, input);
  // The length of an HMAC is public (it follows from the algorithm); only the content is compared in constant time.
  if (expected.length !== signature.length) return false;
  return timingSafeEqual(Buffer.from(expected, 'latin1'), Buffer.from(signature, 'latin1'));
}

const hmacOf = (hash: string, key: KeyObject, input: string): string =>
  createHmac(hash, key).update(input, 'latin1').digest('base64url');
