import { bindingOf } from '../dpop/binding';
import type { DpopSetup } from '../dpop/options';
import { type ProofResult, verifyProof } from '../dpop/proof';
import type { Exchange } from '../frameworks';
import { dpopProofHeader } from '../http/extraction';
import type { FailureReason } from '../shared/checked';
import { andThen, type MaybePromise } from '../shared/maybe-promise';
import type { TokenPayload } from '../token/claims';

/**
 * Stage 2b, bind (RFC 9449 §7): what a verified token's binding asks of its request. A token
 * bound to a key (`cnf.jkt`) must come as `Authorization: DPoP` with a proof by that key, made
 * for this request and this token, never as a bearer token (DPoP on or off); a token bound to
 * nothing must not come as `DPoP`, and with DPoP required not at all. `dpopExchange` is the
 * exchange of a token sent as `Authorization: DPoP`; without one it came as a bearer token, or
 * with no request at all (`getCurrentUser(token)`), where no proof can be checked.
 */
export function bindingRefusal(
  dpop: DpopSetup | undefined,
  payload: TokenPayload,
  token: string,
  dpopExchange: Exchange | undefined,
  now: number,
): MaybePromise<FailureReason | undefined> {
  const binding = bindingOf(payload);
  if (binding.kind === 'invalid') return { code: 'claim_invalid', claim: 'cnf' };
  if (binding.kind === 'bearer') {
    if (dpopExchange) return { code: 'dpop_not_bound' };
    return dpop?.required ? { code: 'dpop_required' } : undefined;
  }
  if (!dpop || !dpopExchange) return { code: 'dpop_required' };
  return andThen(checkProof(dpop, dpopExchange, now, token, binding.jkt), proofRefusal);
}

/**
 * The request's `DPoP` proof checked for this request (method and URL), and with a token for
 * that token (`ath`) and its key (`boundTo`). Accepted with an older nonce, the response
 * carries the current one in `DPoP-Nonce` (RFC 9449 §8.2), so the client switches in time.
 */
export function checkProof(
  dpop: DpopSetup,
  exchange: Exchange,
  now: number,
  accessToken?: string,
  boundTo?: string,
): MaybePromise<ProofResult> {
  const request = { method: exchange.req.method ?? '', url: exchange.url(), accessToken, boundTo, now };
  return andThen(verifyProof(dpopProofHeader(exchange.req), request, dpop.proof), (result) => {
    const { nonces } = dpop.proof;
    if (result.ok && nonces) {
      const current = nonces.current(now);
      if (result.nonce !== current && exchange.res && !exchange.res.headersSent) {
        exchange.res.setHeader('DPoP-Nonce', current);
      }
    }
    return result;
  });
}

/** A refused proof as the reason of a failed login: `use_dpop_nonce` with the nonce to send, else `invalid_dpop_proof`. */
export function proofRefusal(result: ProofResult): FailureReason | undefined {
  if (result.ok) return undefined;
  if (result.error === 'use_dpop_nonce') return { code: 'dpop_nonce_required', nonce: result.nonce };
  return { code: 'dpop_proof_invalid', detail: result.detail };
}
