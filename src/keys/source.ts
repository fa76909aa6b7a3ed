import type { ClaimPolicy, Rejection } from '../token/claims';
import type { RingKey } from './key-ring';

/**
 * Where one issuer's keys come from: configured keys, or a JWK Set fetched from a URL.
 * `keyFor` answers synchronously from what is known; a key that is not known yet is a
 * rejection carrying `pending` when a fetch that may find it is under way.
 */
export interface KeySource {
  /** Grows whenever the usable keys change, so anything cached from them (verified tokens) can be dropped. */
  readonly version: number;
  /** The key for a token's `alg` and `kid` headers, or why there is none. */
  keyFor(alg: unknown, kid: unknown): RingKey | Rejection;
}

/** The key verification uses, and the claim policy of the issuer it belongs to when that is not the manager's. */
export type KeyChoice = { ok: true; key: RingKey; policy?: ClaimPolicy } | Rejection;

/** What verification asks for a key: the token's decoded header and claims in, a key or a refusal out. */
export interface KeySelector {
  /** Grows whenever any usable key changes. */
  readonly version: number;
  select(header: Record<string, unknown>, claims: Record<string, unknown>): KeyChoice;
}

/** One issuer a manager trusts: the `iss` it names (or any, when undefined), its audience and its keys. */
export interface TrustedIssuer {
  issuer: string | undefined;
  audience: string[] | undefined;
  keys: KeySource;
}

/** A key source's answer as a choice; an answer is a rejection exactly when it has `ok`. */
export const choiceOf = (found: RingKey | Rejection): KeyChoice => ('ok' in found ? found : { ok: true, key: found });
