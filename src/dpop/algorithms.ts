import { ALGORITHMS, type Algorithm } from '../keys/algorithms';

/** The asymmetric token algorithms. */
type Asymmetric = Exclude<Algorithm, `HS${string}`>;

/**
 * A DPoP proof algorithm: an asymmetric token algorithm (`RS*`, `PS*`, `ES*`, `EdDSA`) or
 * `Ed25519`; never `none` or HMAC.
 */
export type DpopAlgorithm = Exclude<Algorithm, 'HS256' | 'HS384' | 'HS512'> | 'Ed25519';

/**
 * The JWS algorithms a DPoP proof may be signed with: the asymmetric ones tokens may use,
 * never `none` or HMAC (RFC 9449 §4.3 point 5), and `Ed25519`, the fully-specified name
 * (RFC 9864) that the `dpop` client library and WebCrypto clients write for what `EdDSA` means here.
 */
export const DPOP_ALGORITHMS: readonly DpopAlgorithm[] = [
  ...ALGORITHMS.filter((alg): alg is Asymmetric => !alg.startsWith('HS')),
  'Ed25519',
];

/** What a server takes unless told otherwise: what browsers' WebCrypto and the common clients make. */
export const DEFAULT_DPOP_ALGORITHMS: readonly DpopAlgorithm[] = ['ES256', 'EdDSA', 'Ed25519', 'PS256', 'RS256'];

/** True for one of {@link DPOP_ALGORITHMS}. */
export function isDpopAlgorithm(value: unknown): value is DpopAlgorithm {
  return (DPOP_ALGORITHMS as readonly unknown[]).includes(value);
}

/** The token algorithm whose signature check (and key strength rules) a proof algorithm uses. */
export const signatureAlgorithm = (alg: DpopAlgorithm): Algorithm => (alg === 'Ed25519' ? 'EdDSA' : alg);
