import { LoginStoreUnavailableError } from '../shared/errors';
import { storeOutage } from '../shared/events';
import type { LoginLogger } from '../shared/logger';
import { isThenable, type MaybePromise } from '../shared/maybe-promise';
import { OutageLog, within } from '../shared/outage';
import type { TokenPayload } from '../token/claims';
import type { RevocationLookup, RevocationStore } from './store';

/** Refused by id, or by a `revokeAllFor` cut-off at or after its `iat`. */
function refuses({ revoked, cutoff }: RevocationLookup, iat: number | undefined): boolean {
  if (revoked) return true;
  // iat carries milliseconds; a token without iat cannot prove it is newer than a cut-off.
  return cutoff !== undefined && (iat === undefined || Math.round(iat * 1000) <= cutoff);
}

/** Runs `operation` inside a promise, so a synchronous throw becomes a rejection. */
const later = <T>(operation: () => MaybePromise<T>): Promise<T> => new Promise<T>((resolve) => resolve(operation()));

/**
 * The manager's view of its store: any failure (an error, or no answer within
 * `timeoutMs`) turns into `LoginStoreUnavailableError`, so authentication fails closed
 * instead of hanging. A store that answers synchronously (in memory) is answered
 * synchronously, with no timer; only promises are raced against the time limit. An
 * outage is logged once when it starts and once when it ends, not per request.
 */
export class GuardedStore {
  private readonly outage: OutageLog;

  constructor(
    private readonly store: RevocationStore,
    private readonly timeoutMs: number,
    logger: LoginLogger,
  ) {
    this.outage = new OutageLog(logger, 'revocation store', storeOutage('revocation'));
  }

  /**
   * Whether the token was revoked, by id (its `jti`, or the digest `revocationId` makes
   * of a token without one) or by a `revokeAllFor` cut-off: one store round trip.
   */
  isRevoked(payload: TokenPayload, id: string | undefined = payload.jti): MaybePromise<boolean> {
    const { sub, iat } = payload;
    const found = this.call(() => this.lookup(id, sub));
    return isThenable(found) ? found.then((answer) => refuses(answer, iat)) : refuses(found, iat);
  }

  async add(jti: string, expiresAt: number): Promise<void> {
    await this.call(() => this.store.add(jti, expiresAt));
  }

  async setCutoff(sub: string, cutoff: number, expiresAt: number): Promise<void> {
    await this.call(() => this.store.setCutoff(sub, cutoff, expiresAt));
  }

  // Refresh-token rotation (see rotation.ts): separate calls, made only for tokens with a
  // family or, with rotation on, refresh tokens. `retire`/`retiredAt` exist whenever rotation
  // is on (checked at construction).

  async retire(jti: string, at: number, expiresAt: number): Promise<number | undefined> {
    return this.call(() => this.store.retire!(jti, at, expiresAt));
  }

  // Asked on the request path for tokens with a family: synchronous while the store is.

  retiredAt(jti: string): MaybePromise<number | undefined> {
    return this.call(() => this.store.retiredAt!(jti));
  }

  isFamilyRevoked(family: string): MaybePromise<boolean> {
    return this.call(() => this.store.has(`family:${family}`));
  }

  async revokeFamily(family: string, expiresAt: number): Promise<void> {
    await this.call(() => this.store.add(`family:${family}`, expiresAt));
  }

  /** DPoP replay detection (the store's `firstUse`, there whenever `dpop` is on): a proof's first use or not. */
  firstUse(id: string, expiresAt: number): MaybePromise<boolean> {
    return this.call(() => this.store.firstUse!(id, expiresAt));
  }

  /** The store's combined lookup, or `has` and `cutoff` (together when either is asynchronous). */
  private lookup(jti: string | undefined, sub: string): MaybePromise<RevocationLookup> {
    if (this.store.lookup) return this.store.lookup(jti, sub);
    const revoked = jti === undefined ? false : this.store.has(jti);
    if (!isThenable(revoked)) {
      const cutoff = this.store.cutoff(sub);
      if (!isThenable(cutoff)) return { revoked, cutoff };
      return Promise.resolve(cutoff).then((value) => ({ revoked, cutoff: value }));
    }
    return Promise.all([revoked, later(() => this.store.cutoff(sub))]).then(([r, cutoff]) => ({ revoked: r, cutoff }));
  }

  /** A synchronous answer as it is; a promise bounded by the time limit; any failure as unavailability. */
  private call<T>(operation: () => MaybePromise<T>): MaybePromise<T> {
    let answer: MaybePromise<T>;
    try {
      answer = operation();
    } catch (error) {
      throw this.unavailable(error);
    }
    if (isThenable(answer)) return this.bounded(answer);
    this.outage.recovered();
    return answer;
  }

  private async bounded<T>(answer: PromiseLike<T>): Promise<T> {
    try {
      const result = await within(answer, this.timeoutMs);
      this.outage.recovered();
      return result;
    } catch (error) {
      throw this.unavailable(error);
    }
  }

  private unavailable(error: unknown): LoginStoreUnavailableError {
    this.outage.failed(error, 'refusing logins until it is back');
    return new LoginStoreUnavailableError();
  }
}
