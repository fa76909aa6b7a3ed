import type { KeyObject } from 'node:crypto';
import { loadPublicKey } from '../keys/material';
import { isPlainObject } from '../shared/json';
import { type DpopAlgorithm, signatureAlgorithm } from './algorithms';
import type { ProofProblem } from './problems';
import { jwkThumbprint } from './thumbprint';

/** The key a proof was signed with, its algorithm and its thumbprint. */
export interface ProofKey {
  alg: DpopAlgorithm;
  key: KeyObject;
  /** RFC 7638 SHA-256 thumbprint, base64url. */
  jkt: string;
}

/** JWK members that hold private (or symmetric) key material (RFC 7518 §6). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const PROOF_TYPES = new Set(['dpop+jwt', 'application/dpop+jwt']);

/**
 * The header checks of RFC 9449 §4.3 points 4, 5 and 7: `typ` is `dpop+jwt` (media types
 * compare case-insensitively), no `crit`, `alg` one of `allowed`, and `jwk` a public key of
 * the type and strength `alg` needs (an EC key on the curve of ES256/384/512, Ed25519 for
 * EdDSA, RSA of at least 2048 bits). The key is parsed from the JWK the proof carries.
 */
export function proofKey(header: Record<string, unknown>, allowed: readonly DpopAlgorithm[]): ProofKey | ProofProblem {
  const { typ, alg, jwk } = header;
  if (typeof typ !== 'string' || !PROOF_TYPES.has(typ.toLowerCase()) || header.crit !== undefined) {
    return 'typ_invalid';
  }
  if (!allowed.includes(alg as DpopAlgorithm)) return 'algorithm_not_allowed';
  if (!isPlainObject(jwk)) return 'jwk_invalid';
  if (PRIVATE_MEMBERS.some((member) => Object.hasOwn(jwk, member))) return 'jwk_private';
  let key: KeyObject;
  try {
    key = loadPublicKey(jwk, signatureAlgorithm(alg as DpopAlgorithm));
  } catch {
    return 'jwk_invalid'; // not a key, or one of another type, curve or too weak for alg
  }
  const jkt = jwkThumbprint(key);
  return jkt === undefined ? 'jwk_invalid' : { alg: alg as DpopAlgorithm, key, jkt };
}
