import type { FailureReason } from '../shared/checked';
import { EVENTS } from '../shared/events';
import type { LoginLogger } from '../shared/logger';
import { andThen, type MaybePromise } from '../shared/maybe-promise';
import type { TokenPayload, TokenType } from '../token/claims';
import { issuedAtMs } from '../token/ids';
import type { GuardedStore } from './guarded-store';
import { rotationStep } from './rotation-rule';
import type { RevocationLookup } from './store';

/** An access token and the refresh token to use next time. */
export interface TokenPair {
  /** A new access token. */
  accessToken: string;
  /** The refresh token to use next time (under `rotateRefreshTokens`, it replaces the one just used). */
  refreshToken: string;
}

/** What the store checks of tokens and logins need of a manager. Times in seconds unless named `Ms`. */
export interface RotationContext {
  store: GuardedStore;
  options: {
    rotateRefreshTokens: boolean;
    clock: () => number;
    logger: LoginLogger;
    clockTolerance: number;
    /** How long a refresh token rotated away still refreshes (`refreshGrace`). */
    refreshGrace: number;
    /** Live logins kept per user (`maxSessions`). */
    maxSessions: number;
  };
  /** The longest lifetime of a token the manager accepts: what it issues, or a verify-only manager's limit. */
  maxLifetime(): number;
}

const REVOKED: FailureReason = Object.freeze({ code: 'token_revoked' });

/**
 * Until when the store must remember something about a token of this `exp`: the last moment it
 * could still be accepted, `exp` plus the clock tolerance, in milliseconds.
 */
export const acceptedUntil = (context: RotationContext, exp: number): number =>
  (exp + context.options.clockTolerance) * 1000;

/** Until when an ended login is refused: every token issued until now has expired by then. */
export const endedUntil = (context: RotationContext): number =>
  context.options.clock() + (context.maxLifetime() + context.options.clockTolerance) * 1000;

/**
 * Stage 3's question to the store for a token that is not otherwise refused: one lookup, with
 * its family's record when it has one, answered synchronously while the store is. Refused when
 * its id or its login was revoked; by the user's cut-off unless its login is live (a live
 * login's tokens are judged by its record: `revokeAllFor` ends every live login by id, whatever
 * the clocks of the instances say); and, for a refresh token under rotation, when it was used
 * already (reuse, which ends the login).
 */
export function storeVerdict(
  context: RotationContext,
  payload: TokenPayload,
  id: string,
  type: TokenType,
): MaybePromise<FailureReason | undefined> {
  return andThen(context.store.lookup(payload.sub, id, payload.fam), (found) => verdict(context, payload, type, found));
}

function verdict(
  context: RotationContext,
  payload: TokenPayload,
  type: TokenType,
  { revoked, cutoff, session }: RevocationLookup,
): MaybePromise<FailureReason | undefined> {
  if (revoked) return REVOKED;
  if (session === undefined && cutoff !== undefined) {
    // A token that cannot prove it is newer than the cut-off is refused.
    const issued = issuedAtMs(payload);
    if (issued === undefined || issued <= cutoff) return REVOKED;
  }
  const { rotateRefreshTokens, clock, refreshGrace } = context.options;
  if (type !== 'refresh' || !rotateRefreshTokens || session === undefined) return undefined;
  const step = rotationStep(session, payload.gen ?? 0, clock(), refreshGrace * 1000);
  return step === 'reuse' ? reuseDetected(context, payload) : undefined;
}

/**
 * Refreshes the login of refresh token `payload` in the store (one atomic step, see
 * `RevocationStore.rotate`): the generation the next refresh token carries, or why there is none.
 * Of concurrent uses exactly one rotates; within `refreshGrace` of that, the others get the
 * generation it moved to (a sibling of its refresh token: another `jti`, same family and `gen`),
 * so the login has one current generation at a time and never forks.
 */
export async function rotate(
  context: RotationContext,
  payload: TokenPayload,
): Promise<{ outcome: 'rotated' | 'grace'; generation: number } | FailureReason> {
  // Our refresh tokens all have one; a token without one could be replayed unnoticed.
  if (payload.jti === undefined) return { code: 'claim_invalid', claim: 'jti' };
  const { store, options } = context;
  const answer = await store.rotate(payload.sub, {
    family: payload.fam ?? payload.jti,
    generation: payload.gen ?? 0,
    now: options.clock(),
    graceMs: options.refreshGrace * 1000,
    keepUntil: acceptedUntil(context, payload.exp),
    endedUntil: endedUntil(context),
    limit: options.maxSessions,
  });
  if (answer.outcome === 'ended') return REVOKED;
  if (answer.outcome === 'reused') return reused(context, payload);
  return { outcome: answer.outcome, generation: answer.generation as number };
}

/**
 * A used refresh token came back: it was stolen, or its successor was (RFC 9700 §4.14.2).
 * Which holder is honest cannot be told, so the login ends: every token of it is refused.
 */
export async function reuseDetected(context: RotationContext, payload: TokenPayload): Promise<FailureReason> {
  await context.store.endSession(payload.sub, payload.fam ?? (payload.jti as string), endedUntil(context));
  return reused(context, payload);
}

function reused(context: RotationContext, payload: TokenPayload): FailureReason {
  const family = payload.fam ?? (payload.jti as string);
  if (EVENTS.refreshReused.hasSubscribers) EVENTS.refreshReused.publish({ sub: payload.sub, family });
  context.options.logger.warn(
    `routing-controllers-login: a used refresh token was presented again; every token of its login is revoked (sub ${JSON.stringify(payload.sub)})`,
  );
  return { code: 'refresh_token_reused' };
}
