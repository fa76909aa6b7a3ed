/**
 * Where revocations live. Every entry carries the time it can be forgotten (when the
 * tokens it refuses would have expired anyway), so a store never grows without bound.
 * Times are milliseconds since the epoch. Implement it to keep revocations elsewhere.
 */
export interface RevocationStore {
  /** Refuse the token with id `jti` until `expiresAt`. */
  add(jti: string, expiresAt: number): Promise<void>;
  /** Whether the token with id `jti` was revoked. */
  has(jti: string): Promise<boolean>;
  /** Refuse every token of `sub` issued at or before `cutoff`; forget it at `expiresAt`. */
  setCutoff(sub: string, cutoff: number, expiresAt: number): Promise<void>;
  /** The cut-off set for `sub`, or `undefined`. */
  cutoff(sub: string): Promise<number | undefined>;
}
