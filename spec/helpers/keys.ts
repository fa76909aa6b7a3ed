import { createHmac, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';

export const HS256_SECRET = 'test-secret-that-is-at-least-32-bytes-long!';

interface Pair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  privatePem: string;
  publicPem: string;
}

const pairs = new Map<string, Pair>();

/** A key pair, generated once per test run. */
export function keyPair(
  kind: 'rsa' | 'rsa2' | 'rsa1024' | 'p256' | 'p384' | 'p521' | 'ed25519' | 'ed25519b' | 'ed448',
): Pair {
  let pair = pairs.get(kind);
  if (!pair) {
    const { privateKey, publicKey } = generate(kind);
    pair = {
      privateKey,
      publicKey,
      privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    };
    pairs.set(kind, pair);
  }
  return pair;
}

function generate(kind: string) {
  if (kind === 'rsa' || kind === 'rsa2') return generateKeyPairSync('rsa', { modulusLength: 2048 });
  if (kind === 'rsa1024') return generateKeyPairSync('rsa', { modulusLength: 1024 });
  if (kind === 'ed25519' || kind === 'ed25519b') return generateKeyPairSync('ed25519');
  if (kind === 'ed448') return generateKeyPairSync('ed448');
  const namedCurve = { p256: 'prime256v1', p384: 'secp384r1', p521: 'secp521r1' }[kind] as string;
  return generateKeyPairSync('ec', { namedCurve });
}

const segment = (value: unknown): string =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** Builds a token by hand: any header, any payload, signed by `signer` (or not at all). */
export function forge(header: unknown, payload: unknown, signer?: (input: string) => string): string {
  const input = `${segment(header)}.${segment(payload)}`;
  return `${input}.${signer ? signer(input) : ''}`;
}

export const hmac =
  (secret: string | Buffer, hash = 'sha256') =>
  (input: string): string =>
    createHmac(hash, secret).update(input).digest('base64url');

export const rs256 =
  (key: KeyObject) =>
  (input: string): string =>
    sign('sha256', Buffer.from(input), key).toString('base64url');

/** Seconds since the epoch. */
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
