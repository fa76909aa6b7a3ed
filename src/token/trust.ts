import type { RingKey, TrustedIssuer } from '../keys/source';
import type { Rejection } from '../shared/checked';
import { rejected } from '../shared/checked';
import type { ClaimPolicy } from './claims';

/** The key verification uses, and the claim policy of the issuer it belongs to when that is not the manager's. */
export type KeyChoice = { ok: true; key: RingKey; policy?: ClaimPolicy } | Rejection;

/** What verification asks for a key: the token's decoded header and claims in, a key or a refusal out. */
export interface KeySelector {
  /** Grows whenever any usable key changes. */
  readonly version: number;
  select(header: Record<string, unknown>, claims: Record<string, unknown>): KeyChoice;
}

/** A key source's answer as a choice; an answer is a rejection exactly when it has `ok`. */
export const choiceOf = (found: RingKey | Rejection): KeyChoice => ('ok' in found ? found : { ok: true, key: found });

/** How tokens are verified: the claim policy, the keys, the length limit. */
export interface VerifyPolicy extends ClaimPolicy {
  /** Picks the key (and, with several issuers, the claim policy) for a token. */
  keys: KeySelector;
  /** Longer tokens are refused before any decoding or crypto. */
  maxTokenLength: number;
}

/** What every issuer's tokens must satisfy alike: the claim policy without what each issuer has of its own. */
export type CommonClaimPolicy = Omit<ClaimPolicy, 'issuer' | 'audience' | 'accessTokenType'>;

/**
 * The verification policy for the issuers a manager trusts. One issuer: its `iss` and
 * audience are the policy's. Several: the token's `iss` picks one (an exact Map lookup)
 * before any key is looked up or fetched, and that issuer's audience and `accessTokenType` apply.
 */
export function verifyPolicyFor(
  trusted: readonly TrustedIssuer[],
  common: CommonClaimPolicy,
  maxTokenLength: number,
): VerifyPolicy {
  const [only] = trusted;
  if (only && trusted.length === 1) {
    const { issuer, audience, accessTokenType } = only;
    return { ...common, issuer, audience, accessTokenType, maxTokenLength, keys: new OneIssuer(only) };
  }
  return { ...common, maxTokenLength, keys: new SeveralIssuers(trusted, common) };
}

/** The keys of the one issuer a manager trusts; a configured `iss` is checked before a key is fetched. */
class OneIssuer implements KeySelector {
  constructor(private readonly trusted: TrustedIssuer) {}

  get version(): number {
    return this.trusted.keys.version;
  }

  select(header: Record<string, unknown>, claims: Record<string, unknown>): KeyChoice {
    const { issuer, keys } = this.trusted;
    if (issuer !== undefined && claims.iss !== issuer) return rejected('issuer_invalid');
    return choiceOf(keys.keyFor(header.alg, header.kid));
  }
}

/** Several issuers: `iss` picks one, so an unknown or missing `iss` is refused without a fetch. */
class SeveralIssuers implements KeySelector {
  private readonly byIssuer = new Map<string, { trusted: TrustedIssuer; policy: ClaimPolicy }>();

  constructor(
    private readonly trusted: readonly TrustedIssuer[],
    common: CommonClaimPolicy,
  ) {
    for (const entry of trusted) {
      const { issuer, audience, accessTokenType } = entry;
      const policy = { ...common, issuer, audience, accessTokenType };
      if (issuer !== undefined) this.byIssuer.set(issuer, { trusted: entry, policy });
    }
  }

  get version(): number {
    return this.trusted.reduce((sum, { keys }) => sum + keys.version, 0);
  }

  select(header: Record<string, unknown>, claims: Record<string, unknown>): KeyChoice {
    const entry = typeof claims.iss === 'string' ? this.byIssuer.get(claims.iss) : undefined;
    if (!entry) return rejected('issuer_invalid');
    const found = entry.trusted.keys.keyFor(header.alg, header.kid);
    return 'ok' in found ? found : { ok: true, key: found, policy: entry.policy };
  }
}
