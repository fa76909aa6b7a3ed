/** The JWS algorithms a manager can sign and verify with; `none` is never one of them. */
export const ALGORITHMS = [
  'HS256',
  'HS384',
  'HS512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;

/** One of {@link ALGORITHMS}: `'HS256'`, `'RS256'`, `'ES256'`, `'EdDSA'` (Ed25519)... */
export type Algorithm = (typeof ALGORITHMS)[number];

/** True for one of {@link ALGORITHMS}. */
export function isAlgorithm(value: unknown): value is Algorithm {
  return (ALGORITHMS as readonly unknown[]).includes(value);
}
