import { createPublicKey, type KeyObject } from 'node:crypto';
import { isPlainObject } from '../shared/json';
import type { Algorithm } from './algorithms';
import { KeyIndex } from './key-index';
import { loadPublicKey } from './material';
import type { RingKey } from './source';

/**
 * The usable keys of a fetched JWK Set. A key without `alg` verifies with each
 * configured algorithm of its family, so it may stand for several `RingKey`s.
 */
export type FetchedKeys = KeyIndex<RingKey>;

/**
 * Reads a JWK Set (RFC 7517 §5) for the configured `algorithms`. Keys that cannot
 * serve here are skipped, as providers publish some on purpose (Keycloak's `enc`
 * key): `use` other than `sig`, `key_ops` without `verify`, an `alg` not configured,
 * symmetric or private keys, weak RSA, a curve that does not fit (of OKP keys, Ed25519
 * only, for EdDSA). Throws when the document is not a JWK Set or leaves no usable key.
 */
export function readJwks(document: unknown, algorithms: readonly Algorithm[]): FetchedKeys {
  if (!isPlainObject(document) || !Array.isArray(document.keys)) {
    throw new Error('the document is not a JWK Set ({ "keys": [...] })');
  }
  const usable = document.keys.map((jwk) => usableKey(jwk, algorithms)).filter((key) => key !== undefined);
  if (usable.length === 0) {
    throw new Error(
      `none of its ${document.keys.length} keys can verify ${algorithms.join(', ')} signatures ` +
        '(set `algorithms` to what the issuer signs with)',
    );
  }
  return new KeyIndex(usable);
}

/** The algorithms a key of each type may verify, when it names none (RFC 7518 §6, RFC 8037 §2). */
const FAMILY = new Map([
  ['RSA', /^(RS|PS)/],
  ['EC', /^ES/],
  ['OKP', /^EdDSA$/],
]);

function usableKey(jwk: unknown, algorithms: readonly Algorithm[]) {
  if (!isPlainObject(jwk)) return undefined;
  const family = FAMILY.get(jwk.kty as string);
  if (!family) return undefined;
  if (jwk.use !== undefined && jwk.use !== 'sig') return undefined;
  if (jwk.key_ops !== undefined && !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes('verify'))) return undefined;
  if (jwk.kid !== undefined && typeof jwk.kid !== 'string') return undefined;
  if ('d' in jwk) return undefined;
  const candidates = jwk.alg === undefined ? algorithms.filter((alg) => family.test(alg)) : [jwk.alg];
  const key = publicKey(jwk);
  if (!key) return undefined;
  const kid = jwk.kid as string | undefined;
  const variants = candidates.flatMap((algorithm) => {
    if (!algorithms.includes(algorithm as Algorithm)) return [];
    try {
      return [{ kid, algorithm, verifyKey: loadPublicKey(key, algorithm as Algorithm), signKey: undefined } as RingKey];
    } catch {
      return []; // weak RSA, an EC curve that does not fit the algorithm, an OKP key but Ed25519 (Ed448, X25519)
    }
  });
  return variants.length ? { kid, variants } : undefined;
}

function publicKey(jwk: Record<string, unknown>): KeyObject | undefined {
  try {
    return createPublicKey({ key: jwk, format: 'jwk' });
  } catch {
    return undefined;
  }
}
