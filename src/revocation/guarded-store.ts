import { LoginStoreUnavailableError } from '../shared/errors';
import { storeOutage } from '../shared/events';
import type { LoginLogger } from '../shared/logger';
import { isThenable, type MaybePromise } from '../shared/maybe-promise';
import { OutageLog, within } from '../shared/outage';
import type { RevocationLookup, RevocationStore, RotationOutcome, RotationRequest, SessionRecord } from './store';
import {
  checkedEnded,
  checkedLookup,
  checkedRotation,
  checkedSessions,
  MalformedStoreValueError,
} from './store-values';

const asIs = <T>(value: T): T => value;

function checkedBoolean(value: boolean): boolean {
  if (typeof value !== 'boolean') throw new MalformedStoreValueError('DPoP first-use answer');
  return value;
}

/**
 * The manager's view of its store: any failure (an error, no answer within `timeoutMs`, or an
 * answer of the wrong shape) turns into `LoginStoreUnavailableError`, so authentication fails
 * closed instead of hanging or trusting what it cannot read. A store that answers synchronously
 * (in memory) is answered synchronously, with no timer; only promises are raced against the
 * time limit. An outage is logged once when it starts and once when it ends, not per request;
 * a malformed value once, the first time one is read.
 */
export class GuardedStore {
  private readonly outage: OutageLog;
  private malformedLogged = false;

  constructor(
    private readonly store: RevocationStore,
    private readonly timeoutMs: number,
    private readonly logger: LoginLogger,
  ) {
    this.outage = new OutageLog(logger, 'revocation store', storeOutage('revocation'));
  }

  /** What a request's token needs to know (see `RevocationStore.lookup`): synchronous while the store is. */
  lookup(sub: string, id: string, family: string | undefined): MaybePromise<RevocationLookup> {
    return this.call(() => this.store.lookup(sub, id, family), checkedLookup);
  }

  async revoke(sub: string, id: string, expiresAt: number): Promise<void> {
    await this.call(() => this.store.revoke(sub, id, expiresAt), asIs);
  }

  async revokeAll(sub: string, cutoff: number, expiresAt: number, endedUntil: number): Promise<void> {
    await this.call(() => this.store.revokeAll(sub, cutoff, expiresAt, endedUntil), asIs);
  }

  /** The ids of the logins the new one pushed out (`limit`), when the store tells. */
  async startSession(
    sub: string,
    session: SessionRecord,
    keepUntil: number,
    limit: number,
    endedUntil: number,
  ): Promise<string[]> {
    return this.call(() => this.store.startSession(sub, session, keepUntil, limit, endedUntil), checkedEnded);
  }

  async rotate(sub: string, request: RotationRequest): Promise<RotationOutcome> {
    return this.call(() => this.store.rotate(sub, request), checkedRotation);
  }

  async endSession(sub: string, family: string, endedUntil: number): Promise<void> {
    await this.call(() => this.store.endSession(sub, family, endedUntil), asIs);
  }

  async sessions(sub: string): Promise<SessionRecord[]> {
    return this.call(() => this.store.sessions(sub), checkedSessions);
  }

  /** DPoP replay detection (the store's `firstUse`, there whenever `dpop` is on): a proof's first use or not. */
  firstUse(id: string, expiresAt: number): MaybePromise<boolean> {
    return this.call(() => this.store.firstUse!(id, expiresAt), checkedBoolean);
  }

  /** A synchronous answer as it is; a promise bounded by the time limit; any failure as unavailability. */
  private call<T, R = T>(operation: () => MaybePromise<T>, check: (answer: T) => R): MaybePromise<R> {
    let answer: MaybePromise<T>;
    let checked: R;
    try {
      answer = operation();
      if (isThenable(answer)) return this.bounded(answer, check);
      checked = check(answer);
    } catch (error) {
      throw this.unavailable(error);
    }
    this.outage.recovered();
    return checked;
  }

  private async bounded<T, R>(answer: PromiseLike<T>, check: (answer: T) => R): Promise<R> {
    try {
      const result = check(await within(answer, this.timeoutMs));
      this.outage.recovered();
      return result;
    } catch (error) {
      throw this.unavailable(error);
    }
  }

  private unavailable(error: unknown): LoginStoreUnavailableError {
    if (error instanceof MalformedStoreValueError || /malformed|WRONGTYPE/.test(String((error as Error)?.message))) {
      // One bad entry is not an outage of the store: the requests that read it fail, the others go on.
      if (!this.malformedLogged) {
        this.malformedLogged = true;
        this.logger.error(
          'routing-controllers-login: a value in the revocation store is not one the library wrote (edited by hand, ' +
            'or another program shares the key prefix); the requests that read it answer 503 until it is removed. ' +
            'Logged once.',
          error,
        );
      }
    } else {
      this.outage.failed(error, 'refusing logins until it is back');
    }
    return new LoginStoreUnavailableError();
  }
}
