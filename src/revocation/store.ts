import type { MaybePromise } from '../shared/maybe-promise';

/**
 * A login as the store keeps it: one record per refresh-token family (the `fam` claim), from
 * the login (or, for a family the store did not see start, its first refresh) until its
 * refresh tokens expire or it is ended. Times are milliseconds since the epoch.
 */
export interface SessionRecord {
  /** The family's id: the `fam` claim of every token of the login. */
  id: string;
  /** When the login was made; for a family first seen at a refresh, that refresh. */
  started: number;
  /** When the current generation was issued (the last rotation); `started` until the first one. */
  refreshed: number;
  /** The current refresh-token generation: 0 at the login, one more at each rotation. */
  generation: number;
  /** What the app called the login when it made it (a device, a user agent), if anything. */
  label?: string | undefined;
}

/** What a request's token needs from the store, in one round trip. */
export interface RevocationLookup {
  /** Whether the token's id, or its family, was refused (`revoke`, `endSession`, reuse). */
  revoked: boolean;
  /** The user's `revokeAllFor` cut-off (milliseconds since the epoch), or `undefined`. */
  cutoff: number | undefined;
  /** The live record of the token's family, if it has one and the store holds it. */
  session: Pick<SessionRecord, 'generation' | 'refreshed'> | undefined;
}

/** One refresh of a login (`RevocationStore.rotate`): which refresh token came, and the rules. */
export interface RotationRequest {
  /** The family (`fam`) of the refresh token presented. */
  family: string;
  /** Its generation (`gen`, 0 when absent). */
  generation: number;
  /** Now, on the manager's clock. */
  now: number;
  /** How long after a rotation the previous generation still refreshes (refresh grace), in ms. */
  graceMs: number;
  /** Keep the record at least until then: when the presented token can no longer be accepted. */
  keepUntil: number;
  /** When the family ends (reuse): refuse it until then. */
  endedUntil: number;
  /** A family seen for the first time joins the user's sessions; beyond this many, the least recent ends. */
  limit: number;
}

/**
 * What one refresh did: `rotated` (the presented token was the current generation, which is now
 * `generation`), `grace` (the previous generation within the grace: nothing changed, and a sibling
 * of `generation`, the current one, may be issued), `reused` (an older generation, or the previous
 * after the grace: the family is ended), or `ended` (the family was refused before).
 */
export type RotationOutcome =
  | {
      /** The presented token could refresh. */
      outcome: 'rotated' | 'grace';
      /** The generation of the refresh token to issue now. */
      generation: number;
    }
  | {
      /** The presented token could not refresh: its login ended now (`reused`) or before (`ended`). */
      outcome: 'reused' | 'ended';
      /** None to issue. */
      generation?: undefined;
    };

/**
 * Where revocations and logins live, shared by every instance that must agree on them
 * (`RedisRevocationStore`), or one process's (`MemoryRevocationStore`). Implement it to keep
 * them elsewhere; `spec/revocation/` holds the contract to run against yours. Times are
 * milliseconds since the epoch; every entry carries the time it may be forgotten (when the
 * tokens it is about could no longer be accepted), so a store never grows without bound.
 * Each method may answer at once or with a promise; only promises are bounded by `storeTimeout`,
 * and a store that answers synchronously keeps the request path free of promises and timers.
 * Every answer is checked: a value of the wrong shape is an outage (503), never "not revoked".
 */
export interface RevocationStore {
  /**
   * Refuse `id` of user `sub` until `expiresAt`: a token's id (its `jti`, or a digest of a token
   * without one), or a family's id, which refuses every token of that login. An id refused
   * already keeps the later of the two times.
   */
  revoke(sub: string, id: string, expiresAt: number): MaybePromise<void>;
  /**
   * What a request needs to know of a token of `sub`, in one round trip: whether `id` or
   * `family` is refused, the user's cut-off, and the family's live record. Asked on every
   * authenticated request: answer from one place (one Redis slot, one map).
   */
  lookup(sub: string, id: string, family: string | undefined): MaybePromise<RevocationLookup>;
  /**
   * `revokeAllFor(sub)`, atomically: refuse every token of `sub` issued at or before `cutoff`
   * (keep the later cut-off if one is set; forget it at `expiresAt`), and end every live session
   * of `sub` as `endSession` does, refused until `endedUntil`. The manager judges a token of a
   * live session by its record, not by the cut-off, so a session left alive here survives.
   */
  revokeAll(sub: string, cutoff: number, expiresAt: number, endedUntil: number): MaybePromise<void>;
  /**
   * A new login: record `session` (generation 0) for `sub` until `keepUntil`. Keep at most
   * `limit` live sessions per user: beyond that, end the least recently refreshed ones, each
   * refused until `endedUntil`, and answer their ids (for the `:session-ended` event, reason
   * `'evicted'`); a store that answers nothing reports no eviction.
   */
  startSession(
    sub: string,
    session: SessionRecord,
    keepUntil: number,
    limit: number,
    endedUntil: number,
    // biome-ignore lint/suspicious/noConfusingVoidType: a store written before (answering `Promise<void>`) still fits.
  ): MaybePromise<string[] | undefined | void>;
  /**
   * One refresh, in one atomic step (of concurrent calls on any instance, exactly one rotates
   * a generation). With the family refused: `ended`. With no record: adopt it (a login that
   * started before the store knew it) as a new session of generation `generation + 1`, as
   * `startSession` would (limit included): `rotated`. With the current generation: move to the
   * next, `refreshed = now`, keep until at least `keepUntil`: `rotated`. With the previous
   * generation while `now - refreshed < graceMs`: change nothing: `grace`. Anything else
   * (older, newer, the previous after the grace): end the family as `endSession` does: `reused`.
   */
  rotate(sub: string, request: RotationRequest): MaybePromise<RotationOutcome>;
  /** End the login `family` of `sub`: its record gone, the family refused (as `revoke` does) until `endedUntil`. */
  endSession(sub: string, family: string, endedUntil: number): MaybePromise<void>;
  /** The live sessions of `sub`, least recently refreshed first. */
  sessions(sub: string): MaybePromise<SessionRecord[]>;
  /**
   * DPoP (the `dpop` option needs it): records the proof id `id` as used until `expiresAt` and
   * answers `true`, or `false` when it was already recorded, in one atomic step, so of
   * concurrent uses of one proof, on any instance, exactly one gets `true` (Redis: `SET NX`).
   */
  firstUse?(id: string, expiresAt: number): MaybePromise<boolean>;
}
