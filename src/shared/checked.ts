import type { LoginErrorCode } from './errors';

/** Why a login failed: the code, and the claim behind a `claim_invalid`. */
export interface FailureReason {
  code: LoginErrorCode;
  claim?: string;
  /** With `dpop_nonce_required`: the nonce to send in `DPoP-Nonce`. */
  nonce?: string;
  /** With `dpop_proof_invalid`: which check the proof failed (a fixed name, for error descriptions). */
  detail?: string;
}

/** Why a token was refused; `claim` names the claim behind a `claim_invalid`. */
export interface Rejection extends FailureReason {
  ok: false;
  /** A fetch of keys under way that may know the token's key: verify again once it settles (it never rejects). */
  pending?: Promise<void>;
}

/** The outcome of checking something; failures say why, for `LoginError.code`. */
export type Checked<T> = { ok: true; value: T } | Rejection;

/** A refusal, with the claim behind a `claim_invalid` when there is one. */
export const rejected = (code: LoginErrorCode, claim?: string): Rejection =>
  claim === undefined ? { ok: false, code } : { ok: false, code, claim };
