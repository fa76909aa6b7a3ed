import { LoginError, type LoginErrorBody } from '../shared/errors';

/**
 * 429: too many failed logins for this account or address; try again after
 * `retryAfter` seconds (also in the `Retry-After` header).
 */
export class TooManyLoginAttemptsError extends LoginError {
  /** Seconds until the next attempt is counted. */
  readonly retryAfter: number;
  /** `Retry-After`, for error handlers that copy `error.headers` onto the response (Koa, express's final handler). */
  override readonly headers: Readonly<Record<string, string>>;

  constructor(retryAfter: number) {
    super(429, 'Too many login attempts, try again later', 'login_throttled');
    this.retryAfter = retryAfter;
    this.headers = { 'Retry-After': String(retryAfter) };
  }

  /** `{ name, message, code, retryAfter }`: what a client needs to wait; nothing about the account. */
  override toJSON(): LoginErrorBody & {
    /** Seconds until the next attempt is counted. */
    retryAfter: number;
  } {
    return { ...super.toJSON(), retryAfter: this.retryAfter };
  }
}
