import { LoginStoreUnavailableError } from '../errors';
import type { TokenPayload } from '../token/claims';
import type { RevocationStore } from './store';

/** Where the library reports a store outage; `console` fits. */
export interface LoginLogger {
  error(message: string, error?: unknown): void;
  warn(message: string): void;
}

/**
 * The manager's view of its store: every call bounded by `timeoutMs`, and any failure
 * (an error or no answer) turned into `LoginStoreUnavailableError`, so authentication
 * fails closed instead of hanging. An outage is logged once when it starts and once
 * when it ends, not per request.
 */
export class GuardedStore {
  private available = true;

  constructor(
    private readonly store: RevocationStore,
    private readonly timeoutMs: number,
    private readonly logger: LoginLogger,
  ) {}

  /** Whether the token was revoked, by id or by a `revokeAllFor` cut-off at or after its `iat`. */
  async isRevoked(payload: TokenPayload): Promise<boolean> {
    const { jti, sub, iat } = payload;
    const [revoked, cutoff] = await this.call(() =>
      Promise.all([jti === undefined ? false : this.store.has(jti), this.store.cutoff(sub)]),
    );
    if (revoked) return true;
    // iat carries milliseconds; a token without iat cannot prove it is newer than a cut-off.
    return cutoff !== undefined && (iat === undefined || Math.round(iat * 1000) <= cutoff);
  }

  add(jti: string, expiresAt: number): Promise<void> {
    return this.call(() => this.store.add(jti, expiresAt));
  }

  setCutoff(sub: string, cutoff: number, expiresAt: number): Promise<void> {
    return this.call(() => this.store.setCutoff(sub, cutoff, expiresAt));
  }

  private async call<T>(operation: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      const result = await Promise.race([Promise.resolve().then(operation), timeout]);
      this.markAvailable();
      return result;
    } catch (error) {
      this.markUnavailable(error);
      throw new LoginStoreUnavailableError();
    } finally {
      clearTimeout(timer);
    }
  }

  private markUnavailable(error: unknown): void {
    if (!this.available) return;
    this.available = false;
    this.logger.error(
      'routing-controllers-login: revocation store unavailable; refusing logins until it is back',
      error,
    );
  }

  private markAvailable(): void {
    if (this.available) return;
    this.available = true;
    this.logger.warn('routing-controllers-login: revocation store available again');
  }
}
