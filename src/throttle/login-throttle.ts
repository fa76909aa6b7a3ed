import { InvalidCredentialsError, LoginStoreUnavailableError } from '../shared/errors';
import { EVENTS, storeOutage } from '../shared/events';
import { OutageLog, within } from '../shared/outage';
import { accountKey, addressOf, responseOf, storeKey, type ThrottleClient } from './client';
import { TooManyLoginAttemptsError } from './error';
import { type LoginThrottleOptions, type ResolvedThrottleOptions, resolveThrottleOptions } from './options';
import type { ThrottleLimits } from './store';

type Counted = [key: string, limits: ThrottleLimits];

/**
 * Slows password guessing on the endpoints that check passwords (OWASP ASVS 2.2.1): failed
 * attempts are counted per account and per client address, and past a few of them each
 * further attempt waits, twice as long after every failure, up to a lockout window. A
 * waiting attempt is refused with a 429 and `Retry-After` before the password is checked,
 * so a right password cannot be told from a wrong one while waiting.
 *
 * Each attempt is counted when it starts (atomically in the store), so concurrent guesses
 * cannot slip past the count; a successful login forgets the account's failures and
 * takes its own attempt back from the address's count.
 */
export class LoginThrottle {
  private readonly options: ResolvedThrottleOptions;
  private readonly outage: OutageLog;

  /** Checks every option now: a bad one throws a `LoginConfigurationError` saying how to fix it. */
  constructor(options: LoginThrottleOptions = {}) {
    this.options = resolveThrottleOptions(options);
    this.outage = new OutageLog(this.options.logger, 'throttle store', storeOutage('throttle'));
  }

  /**
   * Runs `login` (the password check) unless the account or address must wait, which
   * throws `TooManyLoginAttemptsError` (429, with `Retry-After` set on the response when
   * `client` is a request). `login` returns the user, or a falsy value for a wrong
   * password, which counts as a failure; if it throws, the attempt is not counted. A `username`
   * that is not a string is refused as a failed login (401) without running `login`: routing-controllers
   * does not validate a JSON array body, so `@Body({ validate: true }) form: PasswordForm` may be one.
   */
  async attempt<T>(username: string, client: ThrottleClient, login: () => T | Promise<T>): Promise<T> {
    if (typeof username !== 'string') throw new InvalidCredentialsError();
    const counted = await this.count(this.keysOf(username, client), client);
    let result: T;
    try {
      result = await login();
    } catch (error) {
      await this.refund(counted).catch(() => {});
      throw error;
    }
    // Best effort: the password was right, and a store outage (already logged) should not hide it.
    if (result) await this.succeeded(counted).catch(() => {});
    return result;
  }

  /** Forgets the failures of `username` (and of `client`'s address, if given): an administrator's unlock. */
  async reset(username: string, client?: ThrottleClient): Promise<void> {
    const keys = this.keysOf(username, client ?? '');
    await this.guard(() => Promise.all(keys.map(([key]) => this.options.store.clear(key))));
  }

  /** The address first: a blocked address then never adds to its target account's count. */
  private keysOf(username: string, client: ThrottleClient): Counted[] {
    const { perAccount, perAddress } = this.options;
    const address = addressOf(client);
    const keys: Counted[] = [];
    if (perAddress && address !== undefined) keys.push([storeKey('address', address), perAddress]);
    if (perAccount) keys.push([storeKey('account', accountKey(username)), perAccount]);
    return keys;
  }

  /** Counts the attempt on every key, or takes back what it counted and throws the 429. */
  private async count(keys: Counted[], client: ThrottleClient): Promise<Counted[]> {
    const counted: Counted[] = [];
    const now = this.options.clock();
    for (const entry of keys) {
      const wait = await this.guard(() => this.options.store.consume(entry[0], now, entry[1]));
      if (wait > 0) {
        await this.refund(counted);
        throw this.throttled(Math.ceil(wait / 1000), client, entry[0]);
      }
      counted.push(entry);
    }
    return counted;
  }

  private async succeeded(counted: Counted[]): Promise<void> {
    const { store } = this.options;
    await this.guard(() =>
      Promise.all(counted.map(([key]) => (key.startsWith('account:') ? store.clear(key) : store.refund(key)))),
    );
  }

  private refund(counted: Counted[]): Promise<unknown> {
    return this.guard(() => Promise.all(counted.map(([key]) => this.options.store.refund(key))));
  }

  private throttled(retryAfter: number, client: ThrottleClient, key: string): TooManyLoginAttemptsError {
    const response = responseOf(client);
    if (response && !response.headersSent) response.setHeader('Retry-After', String(retryAfter));
    if (EVENTS.throttled.hasSubscribers) {
      const address = addressOf(client);
      const limit = key.startsWith('address:') ? 'address' : 'account';
      EVENTS.throttled.publish(address === undefined ? { limit, retryAfter } : { limit, retryAfter, address });
    }
    return new TooManyLoginAttemptsError(retryAfter);
  }

  /** Every store call bounded by `storeTimeout`; a failure is a 503 (fail closed), logged once per outage. */
  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      const result = await within(Promise.resolve().then(operation), this.options.storeTimeout);
      this.outage.recovered();
      return result;
    } catch (error) {
      this.outage.failed(error, 'refusing logins until it is back');
      throw new LoginStoreUnavailableError();
    }
  }
}
