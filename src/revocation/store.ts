import type { MaybePromise } from '../shared/maybe-promise';

/** What a store knows about one token: whether its id was revoked, and its user's `revokeAllFor` cut-off. */
export interface RevocationLookup {
  /** Whether the token's id was revoked. */
  revoked: boolean;
  /** The cut-off set for the token's `sub` (milliseconds since the epoch), or `undefined`. */
  cutoff: number | undefined;
}

/**
 * Where revocations live. Every entry carries the time it can be forgotten (when the
 * tokens it refuses would have expired anyway), so a store never grows without bound.
 * Times are milliseconds since the epoch. Implement it to keep revocations elsewhere.
 * A method may answer at once or with a promise: only promises are subject to `storeTimeout`.
 * The id given to `add` and `has` is a token's `jti`, or `family:<id>` for every token of
 * one login's refresh-token family.
 */
export interface RevocationStore {
  /** Refuse the token with id `jti` until `expiresAt`. */
  add(jti: string, expiresAt: number): MaybePromise<void>;
  /** Whether the token with id `jti` was revoked. */
  has(jti: string): MaybePromise<boolean>;
  /** Refuse every token of `sub` issued at or before `cutoff`; forget it at `expiresAt`. */
  setCutoff(sub: string, cutoff: number, expiresAt: number): MaybePromise<void>;
  /** The cut-off set for `sub`, or `undefined`. */
  cutoff(sub: string): MaybePromise<number | undefined>;
  /**
   * Optional: `has(jti)` (when a `jti` is given) and `cutoff(sub)` in one round trip, as
   * every authenticated request needs both. Without it the manager asks `has` and `cutoff`.
   */
  lookup?(jti: string | undefined, sub: string): MaybePromise<RevocationLookup>;
  /**
   * Refresh-token rotation (on unless `rotateRefreshTokens: false`): marks refresh token
   * `jti` used at `at`, kept until `expiresAt`, in one atomic step. Resolves `undefined`
   * when this call marked it (of concurrent uses, exactly one), else when it was first used.
   */
  retire?(jti: string, at: number, expiresAt: number): MaybePromise<number | undefined>;
  /** Refresh-token rotation: when refresh token `jti` was used, or `undefined`. */
  retiredAt?(jti: string): MaybePromise<number | undefined>;
  /**
   * DPoP (the `dpop` option needs it): records the proof id `id` as used until `expiresAt` and
   * answers `true`, or `false` when it was already recorded, in one atomic step, so of
   * concurrent uses of one proof, on any instance, exactly one gets `true` (Redis: `SET NX`).
   */
  firstUse?(id: string, expiresAt: number): MaybePromise<boolean>;
}
