import type { DpopSetup } from '../dpop/options';
import { varyOf } from '../http/cache-control';
import type { SessionCookieConfig } from '../http/session-cookies';
import type { RememberContext } from '../remember/context';
import { GuardedStore } from '../revocation/guarded-store';
import type { RotationContext } from '../revocation/rotation';
import { TokenMinter } from '../token/minter';
import { TokenVerifier } from '../token/verifier';
import { Failures } from './failures';
import type { ResolvedOptions } from './settings';

/** The parts a manager's request pipeline is made of, each built once from the options. */
export interface Parts {
  /** Signature, claims and type of a token, with the verified-token cache. */
  verifier: TokenVerifier;
  /** Signs new tokens; knows their lifetimes. */
  minter: TokenMinter;
  /** The revocation store, bounded in time and failing closed. */
  store: GuardedStore;
  /** How the session cookies are written. */
  cookies: SessionCookieConfig;
  /** The 401/403 errors and their challenges. */
  failures: Failures;
  /** Refresh-token rotation and reuse detection. */
  rotation: RotationContext;
  /** Remember-me and sliding sessions. */
  remember: RememberContext;
  /** The `Vary` header of an authenticated response. */
  vary: string;
  /** DPoP, when on: its proofs' `jti`s remembered through the store, bounded in time and failing closed. */
  dpop: DpopSetup | undefined;
}

/** What signs this manager's tokens: its keys, lifetimes and the claims every token gets. */
function minterFor(options: ResolvedOptions<unknown>, csrf: boolean): TokenMinter {
  const { keys, clock, issuer, defaultExpiry, refreshExpiry, maxTokenLifetime, accessTokenType } = options;
  const audience = options.audience?.[0];
  return new TokenMinter({
    keys,
    clock,
    issuer,
    audience,
    csrf,
    defaultExpiry,
    refreshExpiry,
    maxTokenLifetime,
    accessTokenType,
  });
}

/** Builds every part from the resolved options. */
export function partsFor(options: ResolvedOptions<unknown>): Parts {
  const { clock, clockTolerance, maxAge, requiredClaims, maxTokenLength, tokenCacheSize } = options;
  const csrf = options.useCookie && options.csrf;
  const minter = minterFor(options, csrf);
  const common = { leeway: clockTolerance, maxLifetime: minter.verifiedLifetime(), maxAge, requiredClaims };
  const verifier = new TokenVerifier({ trust: options.trust, common, maxTokenLength, tokenCacheSize, clock });
  const store = new GuardedStore(options.revocationStore, options.storeTimeout, options.logger);
  const cookies = cookieConfig(options, csrf);
  const verified = minter.verifiedLifetime();
  const maxLifetime = () => (Number.isFinite(verified) ? verified : minter.maxLifetime());
  const rotation: RotationContext = { store, options, maxLifetime };
  const remember = { verifier, minter, store, cookies, rotation, settings: options };
  return {
    verifier,
    minter,
    store,
    cookies,
    failures: new Failures(options),
    rotation,
    remember,
    vary: varyOf(options),
    dpop: options.dpop && { ...options.dpop, proof: { ...options.dpop.proof, replay: store } },
  };
}

/** How the session cookies are written: their names, the CSRF cookie's values (when `csrf`), the default attributes. */
function cookieConfig(options: ResolvedOptions<unknown>, csrf: boolean): SessionCookieConfig {
  const { cookieName, refreshCookieName, csrfValues, cookieOptions } = options;
  return { cookieName, refreshCookieName, csrf, csrfValues, defaults: cookieOptions };
}
