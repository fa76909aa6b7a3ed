import type { KeyObject } from 'node:crypto';
import { type Rejection, rejected } from '../shared/checked';
import { LoginConfigurationError } from '../shared/errors';
import { type Algorithm, isAlgorithm } from './algorithms';
import { KeyIndex } from './key-index';
import {
  type EncryptedPrivateKey,
  hmacKey,
  loadPublicKey,
  loadSigningKey,
  type PublicKeyInput,
  type Secret,
} from './material';
import type { JsonWebKeySet, KeySource, RingKey } from './source';

/** One key of the `keys` option. Give `secret` (HS*), `privateKey` or `publicKey` (RS*, PS*, ES*, EdDSA). */
export interface KeyConfig {
  /** The key id: stamped in the `kid` header of tokens this key signs, and how a token picks its key. */
  kid?: string;
  /** The one algorithm this key signs and verifies with. */
  algorithm: Algorithm;
  /** HS*: the shared secret, at least as long as the hash. */
  secret?: string | Buffer | KeyObject;
  /** RS*, PS*, ES*, EdDSA (Ed25519): a private key (PEM, `KeyObject` or `{ privateKey, passphrase }`): signs and verifies. */
  privateKey?: string | Buffer | KeyObject | EncryptedPrivateKey;
  /** RS*, PS*, ES*, EdDSA (Ed25519): a public key (PEM, `KeyObject` or JWK): verifies only. */
  publicKey?: PublicKeyInput;
}

/** The manager's configured keys: the one that signs, and the ones that verify, picked by `kid` (`KeyIndex`). */
export class KeyRing implements KeySource {
  /** Configured keys never change. */
  readonly version = 0;
  /** The key new tokens are signed with: the first one with private material. */
  readonly signer: RingKey | undefined;
  private readonly index: KeyIndex<RingKey>;

  constructor(readonly keys: readonly RingKey[]) {
    this.signer = keys.find((key) => key.signKey !== undefined);
    const kids = new Set<string>();
    for (const { kid } of keys) {
      if (kid === undefined) continue;
      if (kids.has(kid)) throw new LoginConfigurationError(`two keys have kid ${JSON.stringify(kid)}.`);
      kids.add(kid);
    }
    if (keys.filter((key) => key.kid === undefined).length > 1) {
      throw new LoginConfigurationError('give every key but one a `kid`, so tokens can name theirs.');
    }
    this.index = new KeyIndex(keys.map((key) => ({ kid: key.kid, variants: [key] })));
  }

  /** The key a token's `kid` header names (see `KeyIndex`). */
  find(kid: unknown): RingKey | undefined {
    return this.index.named(kid)[0];
  }

  /** The key for a token's `alg` and `kid`: the algorithm must be the one of the key `kid` picks. */
  keyFor(alg: unknown, kid: unknown): RingKey | Rejection {
    if (!this.allows(alg)) return rejected('algorithm_not_allowed');
    const found = this.index.find(alg, kid);
    if (found === undefined) return rejected('signature_invalid');
    return found === 'wrong_algorithm' ? rejected('algorithm_not_allowed') : found;
  }

  /** The key for a token's header, as verification asks for it (a `KeySelector` in token/trust.ts). */
  select(header: Record<string, unknown>): { ok: true; key: RingKey } | Rejection {
    const found = this.keyFor(header.alg, header.kid);
    return 'ok' in found ? found : { ok: true, key: found };
  }

  allows(algorithm: unknown): boolean {
    return this.keys.some((key) => key.algorithm === algorithm);
  }

  /** The public keys as a JWK Set; HMAC secrets are never published. */
  jwks(): JsonWebKeySet {
    const published = this.keys.filter((key) => !key.algorithm.startsWith('HS'));
    return {
      keys: published.map(({ kid, algorithm, verifyKey }) => ({
        ...verifyKey.export({ format: 'jwk' }),
        ...(kid === undefined ? {} : { kid }),
        alg: algorithm,
        use: 'sig',
      })),
    };
  }
}

/** The ring for a `secret` + `algorithm` manager: one key, no kid. */
export function singleKeyRing(secret: Secret, algorithm: Algorithm): KeyRing {
  const { signKey, verifyKey } = loadSigningKey(secret, algorithm);
  return new KeyRing([{ kid: undefined, algorithm, signKey, verifyKey }]);
}

/** The ring for the `keys` option: a list of key configs, or a JWK Set (verify-only). */
export function keyRingOf(keys: readonly KeyConfig[] | JsonWebKeySet): KeyRing {
  const configs = Array.isArray(keys) ? keys : fromJwks(keys as JsonWebKeySet);
  if (configs.length === 0) throw new LoginConfigurationError('`keys` is empty: give at least one key.');
  return new KeyRing(configs.map(ringKey));
}

function ringKey(config: KeyConfig, index: number): RingKey {
  const where = `keys[${index}]`;
  if (typeof config !== 'object' || config === null) throw new LoginConfigurationError(`${where} is not a key config.`);
  const { kid, algorithm, secret, privateKey, publicKey } = config;
  if (kid !== undefined && (typeof kid !== 'string' || kid === '')) {
    throw new LoginConfigurationError(`${where}.kid is a non-empty string.`);
  }
  if (!isAlgorithm(algorithm)) {
    throw new LoginConfigurationError(`${where}.algorithm ${JSON.stringify(algorithm)} is not allowed.`);
  }
  const given = [secret, privateKey, publicKey].filter((material) => material !== undefined).length;
  if (given !== 1) throw new LoginConfigurationError(`${where}: give exactly one of secret, privateKey, publicKey.`);
  const symmetric = algorithm.startsWith('HS');
  if (symmetric !== (secret !== undefined)) {
    throw new LoginConfigurationError(
      `${where}: ${algorithm} keys take ${symmetric ? '`secret`' : '`privateKey` or `publicKey`'}.`,
    );
  }
  if (secret !== undefined) {
    const key = hmacKey(secret, algorithm, `\`${where}.secret\``);
    return { kid, algorithm, signKey: key, verifyKey: key };
  }
  if (privateKey !== undefined) return { kid, ...loadSigningKey(privateKey, algorithm) };
  return { kid, algorithm, signKey: undefined, verifyKey: loadPublicKey(publicKey as PublicKeyInput, algorithm) };
}

function fromJwks(set: JsonWebKeySet): KeyConfig[] {
  if (typeof set !== 'object' || set === null || !Array.isArray(set.keys)) {
    throw new LoginConfigurationError('`keys` is a list of key configs, or a JWK Set { keys: [...] }.');
  }
  return set.keys.map((jwk, index) => {
    if (jwk.kty === 'oct') throw new LoginConfigurationError(`JWK ${index}: symmetric keys never go in a JWK Set.`);
    if (jwk.use !== undefined && jwk.use !== 'sig') {
      throw new LoginConfigurationError(`JWK ${index}: use is not "sig".`);
    }
    if (!isAlgorithm(jwk.alg)) {
      throw new LoginConfigurationError(
        `JWK ${index} has no usable "alg"; give it as { kid, algorithm, publicKey: jwk }.`,
      );
    }
    return { ...(typeof jwk.kid === 'string' ? { kid: jwk.kid } : {}), algorithm: jwk.alg, publicKey: jwk };
  });
}
