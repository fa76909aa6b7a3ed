import { createPrivateKey, createPublicKey, createSecretKey, KeyObject } from 'node:crypto';
import { LoginConfigurationError } from '../shared/errors';
import type { Algorithm } from './algorithms';
import { refuseKeyMaterial, refuseLowVariety } from './hmac-secret';
import type { JsonWebKeySet } from './source';

/** An encrypted PEM private key and the passphrase that opens it. */
export interface EncryptedPrivateKey {
  /** The encrypted PEM (`-----BEGIN ENCRYPTED PRIVATE KEY-----`). */
  privateKey: string | Buffer;
  /** The passphrase it was encrypted with. */
  passphrase: string;
}

/**
 * Key material: for HS* a string or Buffer of at least the hash size; for RS*, PS*,
 * ES* and EdDSA (an Ed25519 key) a PEM private key, a private `KeyObject` or an
 * {@link EncryptedPrivateKey}.
 */
export type Secret = string | Buffer | KeyObject | EncryptedPrivateKey;

/** A parsed key pair: parsing happens once, so no request pays for it. */
export interface SigningKey {
  algorithm: Algorithm;
  signKey: KeyObject;
  verifyKey: KeyObject;
}

const MIN_RSA_BITS = 2048;
const EC_CURVES: Record<string, string> = { ES256: 'prime256v1', ES384: 'secp384r1', ES512: 'secp521r1' };

/** Parses `secret` for `algorithm`, refusing anything that does not fit it. */
export function loadSigningKey(secret: Secret, algorithm: Algorithm): SigningKey {
  if (algorithm.startsWith('HS')) {
    const key = hmacKey(secret, algorithm);
    return { algorithm, signKey: key, verifyKey: key };
  }
  const signKey = privateKey(secret, algorithm);
  checkAsymmetricKey(signKey, algorithm);
  return { algorithm, signKey, verifyKey: createPublicKey(signKey) };
}

/** A public key, for verification only: PEM, public `KeyObject`, or JWK (without private members). */
export type PublicKeyInput = string | Buffer | KeyObject | JsonWebKeySet['keys'][number];

/** Parses a public key for `algorithm`, with the same strength checks as private keys. */
export function loadPublicKey(input: PublicKeyInput, algorithm: Algorithm): KeyObject {
  if (algorithm.startsWith('HS')) {
    throw new LoginConfigurationError(`${algorithm} is symmetric: it has a \`secret\`, never a public key.`);
  }
  const key = toPublicKey(input, algorithm);
  checkAsymmetricKey(key, algorithm);
  return key;
}

function toPublicKey(input: PublicKeyInput, algorithm: Algorithm): KeyObject {
  if (input instanceof KeyObject) {
    if (input.type === 'public') return input;
    throw new LoginConfigurationError(
      `a \`publicKey\` for ${algorithm} must be a public key; got a ${input.type} key.`,
    );
  }
  if ((typeof input === 'string' || Buffer.isBuffer(input)) && String(input).includes('PRIVATE KEY')) {
    throw new LoginConfigurationError(
      '`publicKey` holds a private key: give it as `privateKey`, or pass the public key.',
    );
  }
  if (typeof input === 'object' && !Buffer.isBuffer(input) && 'd' in input) {
    throw new LoginConfigurationError(
      'a public JWK may not hold private key material (`d`): publish public keys only.',
    );
  }
  try {
    return typeof input === 'string' || Buffer.isBuffer(input)
      ? createPublicKey(input)
      : createPublicKey({ key: input, format: 'jwk' });
  } catch (error) {
    throw new LoginConfigurationError(`could not read the ${algorithm} public key: ${(error as Error).message}`);
  }
}

/**
 * Parses an HMAC secret, refusing key material (a public key would let anyone sign), one
 * shorter than the hash (RFC 7518 §3.2) and one with too little variety to be random.
 * `name` says where it was given, for the messages.
 */
export function hmacKey(secret: Secret, algorithm: Algorithm, name = '`secret`'): KeyObject {
  refuseKeyMaterial(secret, algorithm, name);
  const key = toSecretKey(secret, algorithm);
  const needed = Number(algorithm.slice(2)) / 8;
  const size = key.symmetricKeySize ?? 0;
  if (size < needed) {
    throw new LoginConfigurationError(
      `${name} is ${size} bytes; ${algorithm} needs at least ${needed} (RFC 7518 §3.2). ` +
        `Make one with: node -e "console.log(require('crypto').randomBytes(${needed}).toString('base64url'))"`,
    );
  }
  refuseLowVariety(key.export(), algorithm, name);
  return key;
}

function toSecretKey(secret: Secret, algorithm: Algorithm): KeyObject {
  if (typeof secret === 'string') return createSecretKey(Buffer.from(secret, 'utf8'));
  if (Buffer.isBuffer(secret)) return createSecretKey(Buffer.from(secret));
  if (secret instanceof KeyObject && secret.type === 'secret') return secret;
  throw new LoginConfigurationError(
    `${algorithm} takes a string or Buffer \`secret\`; for a key pair set \`algorithm\` to RS256, PS256, ES256 or EdDSA.`,
  );
}

/** Parses a private key for `algorithm`. */
export function privateKey(secret: Secret, algorithm: Algorithm): KeyObject {
  if (secret instanceof KeyObject) {
    if (secret.type === 'private') return secret;
    throw new LoginConfigurationError(`${algorithm} needs a private key to sign with; got a ${secret.type} key.`);
  }
  const [key, passphrase] =
    typeof secret === 'string' || Buffer.isBuffer(secret)
      ? [secret, undefined]
      : [secret.privateKey, secret.passphrase];
  try {
    return createPrivateKey(passphrase === undefined ? { key } : { key, passphrase });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new LoginConfigurationError(
      `${algorithm} needs a PEM private key as \`secret\` (or { privateKey, passphrase } for an encrypted one); ` +
        `reading it failed: ${reason}`,
    );
  }
}

/** Refuses keys of the wrong family, RSA below 2048 bits, EC keys on another curve and EdDSA keys but Ed25519. */
function checkAsymmetricKey(key: KeyObject, algorithm: Algorithm): void {
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails ?? {};
  if (algorithm === 'EdDSA') {
    if (type === 'ed25519') return;
    throw new LoginConfigurationError(
      type === 'ed448'
        ? 'EdDSA keys are Ed25519 here; Ed448 is not supported (few verifiers take it, jose 6 included). ' +
            'Make an Ed25519 key with: openssl genpkey -algorithm ed25519'
        : `EdDSA needs an Ed25519 key; got ${type ?? 'no'} key. Make one with: openssl genpkey -algorithm ed25519`,
    );
  }
  if (algorithm.startsWith('ES')) {
    if (type !== 'ec' || details.namedCurve !== EC_CURVES[algorithm]) {
      throw new LoginConfigurationError(
        `${algorithm} needs an EC key on curve ${EC_CURVES[algorithm]}; got ${type ?? 'no'} key${details.namedCurve ? ` on ${details.namedCurve}` : ''}.`,
      );
    }
    return;
  }
  const rsaTypes = algorithm.startsWith('PS') ? ['rsa', 'rsa-pss'] : ['rsa'];
  if (!type || !rsaTypes.includes(type)) {
    throw new LoginConfigurationError(`${algorithm} needs an RSA key; got ${type ?? 'no'} key.`);
  }
  if ((details.modulusLength ?? 0) < MIN_RSA_BITS) {
    throw new LoginConfigurationError(
      `${algorithm} needs an RSA key of at least ${MIN_RSA_BITS} bits; got ${details.modulusLength}. ` +
        `Make one with: openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048`,
    );
  }
}
