import type { FailureReason } from '../shared/checked';
import { EVENTS } from '../shared/events';
import type { LoginLogger } from '../shared/logger';
import { isThenable, type MaybePromise } from '../shared/maybe-promise';
import type { TokenPayload, TokenType } from '../token/claims';
import type { GuardedStore } from './guarded-store';

/** An access token and the refresh token to use next time. */
export interface TokenPair {
  /** A new access token. */
  accessToken: string;
  /** The refresh token to use next time (under `rotateRefreshTokens`, it replaces the one just used). */
  refreshToken: string;
}

/** What the rotation checks need of a manager. */
export interface RotationContext {
  store: GuardedStore;
  options: { rotateRefreshTokens: boolean; clock: () => number; logger: LoginLogger };
  maxLifetime(): number;
}

/** What the store knows of a token's family, and (rotation) whether this refresh token was used. */
export interface FamilyFacts {
  familyRevoked: boolean;
  usedAt: number | undefined;
}

/**
 * The lookups a token needs beyond `isRevoked`, started now, or `undefined` when it
 * needs none (no family, and not a refresh token under rotation): the hot path of plain
 * access tokens pays nothing.
 */
export function familyLookups(
  context: RotationContext,
  payload: TokenPayload,
  type: TokenType,
): MaybePromise<FamilyFacts> | undefined {
  const { store, options } = context;
  const { fam, jti } = payload;
  const reuseCheck = type === 'refresh' && options.rotateRefreshTokens && jti !== undefined;
  if (fam === undefined && !reuseCheck) return undefined;
  const familyRevoked = fam === undefined ? false : store.isFamilyRevoked(fam);
  const usedAt = reuseCheck ? store.retiredAt(jti) : undefined;
  if (!isThenable(familyRevoked) && !isThenable(usedAt)) return { familyRevoked, usedAt };
  const facts = Promise.all([familyRevoked, usedAt]).then(([revoked, used]) => ({
    familyRevoked: revoked,
    usedAt: used,
  }));
  // If isRevoked fails first, this failure is the same outage, already reported.
  facts.catch(() => {});
  return facts;
}

/** What the facts mean for a token that is not itself revoked: a revoked family, or reuse (which revokes it). */
export function familyRefusal(
  context: RotationContext,
  payload: TokenPayload,
  facts: FamilyFacts,
): MaybePromise<FailureReason | undefined> {
  if (facts.familyRevoked) return { code: 'token_revoked' };
  return facts.usedAt === undefined ? undefined : reuseDetected(context, payload);
}

/**
 * Retires the refresh token about to be replaced. Of concurrent uses exactly one gets
 * `undefined` and goes on; the others are reuse, as is any later use.
 */
export async function retire(context: RotationContext, payload: TokenPayload): Promise<FailureReason | undefined> {
  const { store, options } = context;
  // Our refresh tokens all have one; a token without one could be replayed unnoticed.
  if (payload.jti === undefined) return { code: 'claim_invalid', claim: 'jti' };
  const earlier = await store.retire(payload.jti, options.clock(), payload.exp * 1000);
  return earlier === undefined ? undefined : reuseDetected(context, payload);
}

/**
 * A used refresh token came back: it was stolen, or its successor was (RFC 9700 §4.14.2).
 * Which holder is honest cannot be told, so every token of that login is revoked.
 */
export async function reuseDetected(context: RotationContext, payload: TokenPayload): Promise<FailureReason> {
  const { store, options } = context;
  const family = payload.fam ?? (payload.jti as string);
  await store.revokeFamily(family, options.clock() + context.maxLifetime() * 1000);
  if (EVENTS.refreshReused.hasSubscribers) EVENTS.refreshReused.publish({ sub: payload.sub, family });
  options.logger.warn(
    `routing-controllers-login: a used refresh token was presented again; every token of its login is revoked (sub ${JSON.stringify(payload.sub)})`,
  );
  return { code: 'refresh_token_reused' };
}
