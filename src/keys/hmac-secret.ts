import { createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';
import { LoginConfigurationError } from '../shared/errors';

/** PEM armour, anywhere in the text: `-----BEGIN PUBLIC KEY-----`, `-----BEGIN RSA PRIVATE KEY-----`, a certificate... */
const PEM = /-----BEGIN [A-Z0-9 ]+-----/;
/** The DER encodings `node:crypto` reads: a Buffer that parses as one of them is a key, not random bytes. */
const DER = [
  ['public', 'spki'],
  ['public', 'pkcs1'],
  ['private', 'pkcs8'],
  ['private', 'pkcs1'],
  ['private', 'sec1'],
] as const;
const EC_ALGORITHMS: Record<string, string> = { prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512' };
const FAMILY_ALGORITHMS: Record<string, string> = { rsa: 'RS256', 'rsa-pss': 'PS256', ed25519: 'EdDSA' };
const HEX = /^[0-9A-Fa-f]+$/;
const UUID = /^[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}$/;
/** The variety asked of a secret: this many distinct bytes (fewer only in a short hex secret, see below). */
const MIN_DISTINCT_BYTES = 16;

/** Key material found where an HMAC secret was expected; `key` is its public half when it could be read. */
interface KeyMaterial {
  kind: 'public' | 'private';
  key: KeyObject | undefined;
}

/**
 * Refuses key material given as an HMAC secret: PEM text (in a string or Buffer, after
 * whitespace, a BOM or any other text), a DER key, a JWK or JWK Set (object or JSON),
 * an asymmetric `KeyObject`, `{ privateKey, passphrase }`. HMAC would take a public key's
 * bytes as the shared secret, and everyone has those: anyone could sign tokens
 * (jsonwebtoken 9 refuses it too). `name` is where the secret was given, `algorithm` the HS* asked for.
 */
export function refuseKeyMaterial(secret: unknown, algorithm: string, name: string): void {
  const material = keyMaterialIn(secret);
  if (!material) return;
  const alg = suggestedAlgorithm(material.key);
  throw new LoginConfigurationError(
    material.kind === 'public'
      ? `${name} holds a public key, not an HMAC secret: ${algorithm} would take the key's bytes as the shared ` +
          'secret, and anyone who has the public key could sign tokens. To verify tokens signed with its private key, ' +
          `give \`keys: [{ algorithm: ${alg}, publicKey }]\` or the issuer's \`jwksUri\` (with \`audience\`); ` +
          `to sign, give the private key as \`secret\` with \`algorithm: ${alg}\`.`
      : `${name} holds a private key, not an HMAC secret: ${algorithm} would take its bytes as a shared secret ` +
          `instead of signing with it. Give it as \`secret\` with \`algorithm: ${alg}\` (in \`keys\`: ` +
          `{ algorithm: ${alg}, privateKey }); for a verify-only service, give the public key in \`keys\` or a \`jwksUri\`.`,
  );
}

/**
 * Refuses an HMAC secret with too little variety to be random: fewer than 16 distinct bytes
 * (`'a'.repeat(32)`, `'changeme'.repeat(4)`, a placeholder). A hex string (a UUID too) is
 * judged by the bytes it spells, half of which must differ (16 at most): hex has 16 symbols
 * only, so counting its characters would refuse one `openssl rand -hex 32` secret in four.
 */
export function refuseLowVariety(bytes: Buffer, algorithm: string, name: string): void {
  const hex = hexBytes(bytes);
  const spelled = hex ?? bytes;
  const distinct = new Set(spelled).size;
  if (distinct >= Math.min(MIN_DISTINCT_BYTES, Math.floor(spelled.length / 2))) return;
  const size = Number(algorithm.slice(2)) / 8;
  throw new LoginConfigurationError(
    `${name} has ${distinct} distinct byte${distinct === 1 ? '' : 's'}${hex ? ' (read as hex)' : ''}: ` +
      'too little variety for a random secret ' +
      `(a placeholder, a repeated word?), and ${algorithm} is only as strong as its secret is unguessable. ` +
      `Make one with: node -e "console.log(require('crypto').randomBytes(${size}).toString('base64url'))"`,
  );
}

/** The bytes a hex string or a UUID spells, or `undefined` for a secret that is neither. */
function hexBytes(bytes: Buffer): Buffer | undefined {
  const text = bytes.toString('latin1');
  if (UUID.test(text)) return Buffer.from(text.replaceAll('-', ''), 'hex');
  return HEX.test(text) ? Buffer.from(text, 'hex') : undefined;
}

function keyMaterialIn(secret: unknown): KeyMaterial | undefined {
  if (secret instanceof KeyObject) {
    if (secret.type === 'secret') return undefined;
    return { kind: secret.type, key: readable(() => createPublicKey(secret)) };
  }
  if (typeof secret === 'string' || Buffer.isBuffer(secret)) return inBytes(secret);
  if (typeof secret === 'object' && secret !== null) return inObject(secret as Record<string, unknown>);
  return undefined;
}

function inBytes(secret: string | Buffer): KeyMaterial | undefined {
  const text = typeof secret === 'string' ? secret : secret.toString('latin1');
  const pem = PEM.exec(text);
  if (pem) {
    const kind = pem[0].includes('PRIVATE') ? 'private' : 'public';
    return { kind, key: readable(() => createPublicKey(text.slice(pem.index))) };
  }
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const parsed = readable(() => JSON.parse(trimmed) as unknown);
    if (typeof parsed === 'object' && parsed !== null) return inObject(parsed as Record<string, unknown>);
  }
  if (!Buffer.isBuffer(secret)) return undefined;
  for (const [kind, type] of DER) {
    const key = readable(() =>
      kind === 'public'
        ? createPublicKey({ key: secret, format: 'der', type })
        : createPublicKey(createPrivateKey({ key: secret, format: 'der', type })),
    );
    if (key) return { kind, key };
  }
  return undefined;
}

/** A JWK (but a symmetric one, which is refused as an object anyway), a JWK Set, or `{ privateKey, passphrase }`. */
function inObject(value: Record<string, unknown>): KeyMaterial | undefined {
  if (typeof value.kty === 'string' && value.kty !== 'oct') {
    const key = readable(() => createPublicKey({ key: value as never, format: 'jwk' }));
    return { kind: 'd' in value ? 'private' : 'public', key };
  }
  if (Array.isArray(value.keys)) {
    const [first] = value.keys as unknown[];
    return { kind: 'public', key: readable(() => createPublicKey({ key: first as never, format: 'jwk' })) };
  }
  if ('privateKey' in value) return { kind: 'private', key: undefined };
  return undefined;
}

/** The algorithm of the key's family, quoted for the message; both usual ones when it could not be read. */
function suggestedAlgorithm(key: KeyObject | undefined): string {
  const type = key?.asymmetricKeyType;
  const curve = key?.asymmetricKeyDetails?.namedCurve;
  const algorithm = type === 'ec' ? EC_ALGORITHMS[curve ?? ''] : FAMILY_ALGORITHMS[type ?? ''];
  return algorithm ? `'${algorithm}'` : "'RS256' or 'ES256'";
}

/** What `read` returns, or `undefined` when it throws: a parse attempt whose failure means "not this". */
function readable<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
