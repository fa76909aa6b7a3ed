import type { TrustedIssuer } from '../keys/source';
import { type Checked, rejected } from '../shared/checked';
import type { Clock } from '../shared/clock';
import { KeySourceUnavailableError } from '../shared/errors';
import { type TokenPayload, type TokenType, tokenType } from './claims';
import { type CommonClaimPolicy, verifyPolicyFor } from './trust';
import { VerifiedTokens } from './verified-cache';

/** What verification needs: whom to trust, what every token must satisfy, and the cache size. */
export interface VerifierSettings {
  trust: readonly TrustedIssuer[];
  common: CommonClaimPolicy;
  maxTokenLength: number;
  tokenCacheSize: number;
  clock: Clock;
}

/** Verifies tokens (signature, claims, type) with the verified-token cache in front. */
export class TokenVerifier {
  private readonly tokens: VerifiedTokens;
  private readonly clock: Clock;
  /** Grows whenever the keys that verify tokens change (a remote JWK Set was refreshed with other keys). */
  readonly keys: { readonly version: number };

  constructor(settings: VerifierSettings) {
    const policy = verifyPolicyFor(settings.trust, settings.common, settings.maxTokenLength);
    this.tokens = new VerifiedTokens(settings.tokenCacheSize, policy);
    this.clock = settings.clock;
    this.keys = policy.keys;
  }

  /**
   * Signature and claims, and that the token is of `type` (tokens without a type are access
   * tokens; `undefined` accepts either), with the keys known now. A rejection may carry
   * `pending`: a fetch of keys that may know the token's key.
   */
  check(token: string, type: TokenType | undefined): Checked<TokenPayload> {
    const checked = this.tokens.verify(token, this.clock() / 1000);
    if (checked.ok && type !== undefined && tokenType(checked.value) !== type) return rejected('token_type_invalid');
    return checked;
  }

  /** As `check`, without waiting for keys; throws `KeySourceUnavailableError` when no key is to be had. */
  verify(token: string, type: TokenType | undefined): Checked<TokenPayload> {
    return settled(this.check(token, type));
  }
}

/** A remote key source with no usable key fails closed: a 503, never an anonymous user. */
export function settled(checked: Checked<TokenPayload>): Checked<TokenPayload> {
  if (!checked.ok && checked.code === 'key_source_unavailable') throw new KeySourceUnavailableError();
  return checked;
}
