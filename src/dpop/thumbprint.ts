import { createHash, type KeyObject } from 'node:crypto';

/** The members of each key type a thumbprint covers, in lexicographic order (RFC 7638 §3.2). */
const MEMBERS: Record<string, readonly string[]> = {
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
  RSA: ['e', 'kty', 'n'],
};

/**
 * The JWK SHA-256 Thumbprint (RFC 7638) of a public key, base64url: what `cnf.jkt` holds
 * (RFC 9449 §6.1). Computed from the key itself (its canonical JWK export), so one key
 * has one thumbprint however its JWK was spelled. `undefined` for a key type that has none here.
 */
export function jwkThumbprint(key: KeyObject): string | undefined {
  const jwk = key.export({ format: 'jwk' }) as Record<string, unknown>;
  const members = typeof jwk.kty === 'string' && Object.hasOwn(MEMBERS, jwk.kty) ? MEMBERS[jwk.kty] : undefined;
  if (!members) return undefined;
  // JSON.stringify of string values is the RFC's form: no whitespace, members in this order.
  const canonical = `{${members.map((name) => `"${name}":${JSON.stringify(jwk[name])}`).join(',')}}`;
  return createHash('sha256').update(canonical, 'utf8').digest('base64url');
}
