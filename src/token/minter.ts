import type { KeyRing } from '../keys/key-ring';
import type { Clock } from '../shared/clock';
import { LoginConfigurationError } from '../shared/errors';
import type { IssuePolicy } from './issue';
import { signToken } from './sign';

/** What a minter needs to know: the keys, the clock, and the claims every new token gets. */
export interface MinterSettings {
  keys: KeyRing;
  clock: Clock;
  issuer: string | undefined;
  /** Written as `aud` (the first audience, if several). */
  audience: string | undefined;
  /** Add a `csrf` claim to access tokens (cookie mode with CSRF protection). */
  csrf: boolean;
  /** Seconds. */
  defaultExpiry: number;
  /** Seconds. */
  refreshExpiry: number;
  /** Seconds; verify-only managers only. */
  maxTokenLifetime: number | undefined;
  /** `'at+jwt'`: the `typ` of access tokens (RFC 9068); refresh tokens keep `JWT`. */
  accessTokenType: 'at+jwt' | undefined;
}

/** Signs new tokens with the manager's signing key and says how long tokens live. */
export class TokenMinter {
  constructor(private readonly settings: MinterSettings) {}

  /** Whole seconds since the epoch, from the configured clock. */
  now(): number {
    return Math.floor(this.settings.clock() / 1000);
  }

  /** The longest lifetime of a token this manager issues. */
  maxLifetime(): number {
    return Math.max(this.settings.defaultExpiry, this.settings.refreshExpiry);
  }

  /**
   * The longest lifetime a verified token may have, so `revokeAllFor` cut-offs are kept this
   * long: what this manager issues, or for a verify-only manager `maxTokenLifetime` (no limit when unset).
   */
  verifiedLifetime(): number {
    if (this.settings.keys.signer) return this.maxLifetime();
    return this.settings.maxTokenLifetime ?? Number.POSITIVE_INFINITY;
  }

  /** How a token with `defaultLifetime` (seconds) is issued now. */
  issuePolicy(defaultLifetime: number): IssuePolicy {
    const { clock, issuer, audience, csrf } = this.settings;
    return { nowMs: clock(), defaultLifetime, maxLifetime: this.maxLifetime(), csrf, issuer, audience };
  }

  /** Signs with the signing key; a verify-only manager (public keys only) cannot. */
  sign(claims: Record<string, unknown>, caller: string): string {
    const signer = this.settings.keys.signer;
    if (!signer?.signKey) {
      throw new LoginConfigurationError(
        `${caller}: this manager holds public keys only (verify-only) and cannot sign; issue tokens where the private key is.`,
      );
    }
    return signToken(claims, { ...signer, signKey: signer.signKey }, this.settings.accessTokenType);
  }

  /** Whether this manager can sign (sliding sessions and remember-me need it). */
  get canSign(): boolean {
    return this.settings.keys.signer?.signKey !== undefined;
  }
}
