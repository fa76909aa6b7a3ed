import type { SessionCookieConfig } from '../http/session-cookies';
import type { GuardedStore } from '../revocation/guarded-store';
import type { RotationContext } from '../revocation/rotation';
import type { TokenMinter } from '../token/minter';
import type { TokenVerifier } from '../token/verifier';

/** The options remember-me and sliding sessions read. Times in seconds. */
export interface RememberSettings {
  /** The HttpOnly cookie holding the remember-me refresh token. */
  refreshCookieName: string;
  /** Writes must carry the session's CSRF value before anything is renewed. */
  csrf: boolean;
  rotateRefreshTokens: boolean;
  defaultExpiry: number;
  refreshExpiry: number;
  /** Sliding sessions: renew an access cookie whose token expires within this window. */
  refreshCookieWithin: number | undefined;
}

/**
 * The parts remember-me and sliding sessions work with, handed over by the core: they
 * verify and mint tokens and ask the store, but never call back into the request pipeline.
 */
export interface RememberContext {
  verifier: TokenVerifier;
  minter: TokenMinter;
  store: GuardedStore;
  cookies: SessionCookieConfig;
  rotation: RotationContext;
  settings: RememberSettings;
}
