import { createHash, timingSafeEqual } from 'node:crypto';
import { htuMatches } from './htu';
import type { ProofProblem } from './problems';

/** The request a proof must have been made for. */
export interface ProofRequest {
  /** The request's method, as received (`GET`, `POST`...): compared exactly with `htm`. */
  method: string;
  /**
   * The absolute URI the client sent the request to, as the server sees it behind its
   * proxies (`https://api.example.com/orders?page=2`): scheme, host and path are compared
   * with `htu`, query and fragment ignored.
   */
  url: string;
  /** The access token the request presents (`Authorization: DPoP <token>`): then `ath` must be its hash. */
  accessToken?: string | undefined;
  /** The token's `cnf.jkt`, when it is bound: then the proof must be signed by that key. */
  boundTo?: string | undefined;
  /** Now, in milliseconds since the epoch (the manager's clock). */
  now: number;
}

/**
 * The claim checks of RFC 9449 §4.3 points 3, 8, 9, 11 and 12 (nonce and replay aside):
 * `jti`, `htm`, `htu` and `iat` present and well-typed, `htm` and `htu` those of the
 * request, `iat` within `window` seconds of now either way, and with an access token an `ath`
 * equal to base64url(SHA-256(token)).
 */
export function claimsProblem(
  claims: Record<string, unknown>,
  request: ProofRequest,
  window: number,
): ProofProblem | undefined {
  const { jti, htm, htu, iat, ath } = claims;
  if (typeof jti !== 'string' || jti === '' || typeof htm !== 'string' || typeof htu !== 'string') {
    return 'claim_invalid';
  }
  if (typeof iat !== 'number' || !Number.isFinite(iat)) return 'claim_invalid';
  if (htm !== request.method) return 'htm_mismatch';
  if (!htuMatches(htu, request.url)) return 'htu_mismatch';
  if (Math.abs(request.now / 1000 - iat) > window) return 'iat_outside_window';
  if (request.accessToken !== undefined && !athMatches(ath, request.accessToken)) return 'ath_mismatch';
  return undefined;
}

/** `ath` (RFC 9449 §4.2): the base64url SHA-256 of the access token's ASCII. */
function athMatches(ath: unknown, accessToken: string): boolean {
  if (typeof ath !== 'string') return false;
  const expected = Buffer.from(createHash('sha256').update(accessToken, 'ascii').digest('base64url'));
  const given = Buffer.from(ath);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
