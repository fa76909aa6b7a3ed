import { createHash } from 'node:crypto';
import { signatureValid } from '../keys/signature';
import { andThen, type MaybePromise } from '../shared/maybe-promise';
import { type DpopAlgorithm, signatureAlgorithm } from './algorithms';
import { claimsProblem, type ProofRequest } from './claims';
import { proofKey } from './key';
import { parseProof } from './parse';
import type { ProofProblem } from './problems';
import type { ProofSettings } from './settings';

/** A proof that passed every check: the thumbprint of its key binds tokens to it (`cnf.jkt`). */
export interface AcceptedProof {
  ok: true;
  /** RFC 7638 SHA-256 thumbprint of the proof's key, base64url. */
  jkt: string;
  alg: DpopAlgorithm;
  jti: string;
  /** Seconds since the epoch. */
  iat: number;
  /** The server nonce the proof carried (only checked when nonces are on). */
  nonce: string | undefined;
}

/**
 * A refused proof. `error` is what the client is told (RFC 9449 §7.1, §8); `detail` stays
 * private, for logs. With `use_dpop_nonce`, `nonce` is the value to send in `DPoP-Nonce`.
 */
export type RefusedProof =
  | { ok: false; error: 'invalid_dpop_proof'; detail: ProofProblem }
  | { ok: false; error: 'use_dpop_nonce'; detail: 'nonce_invalid'; nonce: string };

/** What {@link verifyProof} answers. */
export type ProofResult = AcceptedProof | RefusedProof;

const invalid = (detail: ProofProblem): RefusedProof => ({ ok: false, error: 'invalid_dpop_proof', detail });

/**
 * Checks a `DPoP` header value as RFC 9449 §4.3 asks, cheapest checks first: one value no
 * longer than `maxLength` (before any decoding), a compact JWS, `typ: dpop+jwt`, an allowed
 * asymmetric `alg`, a public `jwk` that fits it, the signature with that key, `jti`, `htm`,
 * `htu` and `iat` (within `maxAge` plus `leeway` of now), `ath` when an access token is
 * presented, the key against the token's `cnf.jkt` when it is bound, a current nonce when
 * nonces are on, and last (so only proofs otherwise good are remembered) that its `jti` was
 * not used before by this key. Never throws on bad input; a replay cache outage rejects
 * (or throws) for the caller to fail closed. Synchronous while the replay cache is.
 *
 * @example
 * const settings = proofSettings({ replay: new MemoryReplayCache(), leeway: clockTolerance });
 * const proof = await verifyProof(req.headers.dpop, { method: req.method, url, accessToken, now: Date.now() }, settings);
 * if (!proof.ok) throw refusal(proof.error); // 401, WWW-Authenticate: dpopChallenge({ algs, error: proof.error })
 */
export function verifyProof(value: unknown, request: ProofRequest, settings: ProofSettings): MaybePromise<ProofResult> {
  const parsed = parseProof(value, settings.maxLength);
  if (typeof parsed === 'string') return invalid(parsed);
  const key = proofKey(parsed.header, settings.algorithms);
  if (typeof key === 'string') return invalid(key);
  if (!signatureValid(signatureAlgorithm(key.alg), key.key, parsed.signingInput, parsed.signature)) {
    return invalid('signature_invalid');
  }
  const window = settings.maxAge + settings.leeway;
  const problem = claimsProblem(parsed.claims, request, window);
  if (problem) return invalid(problem);
  if (request.boundTo !== undefined && request.boundTo !== key.jkt) return invalid('key_mismatch');
  const { nonces } = settings;
  const { jti, iat, nonce } = parsed.claims as { jti: string; iat: number; nonce: unknown };
  if (nonces && !(typeof nonce === 'string' && nonces.accepts(nonce, request.now))) {
    return { ok: false, error: 'use_dpop_nonce', detail: 'nonce_invalid', nonce: nonces.current(request.now) };
  }
  // A proof is acceptable until iat + window at the latest: it must be remembered that long.
  const firstUse = settings.replay.firstUse(replayId(key.jkt, jti), (iat + window) * 1000, request.now);
  return andThen(
    firstUse,
    (first): ProofResult =>
      first
        ? { ok: true, jkt: key.jkt, alg: key.alg, jti, iat, nonce: typeof nonce === 'string' ? nonce : undefined }
        : invalid('jti_replayed'),
  );
}

/** One fixed-size id per key and `jti`: a `jti` of one client never blocks another's, and a store key stays short. */
const replayId = (jkt: string, jti: string): string =>
  createHash('sha256').update(`${jkt}\n${jti}`, 'utf8').digest('base64url');
