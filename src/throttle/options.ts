import * as check from '../shared/checks';
import type { Duration } from '../shared/duration';
import { LoginConfigurationError } from '../shared/errors';
import type { LoginLogger } from '../shared/logger';
import { MemoryThrottleStore } from './memory-store';
import type { ThrottleLimits, ThrottleStore } from './store';

/** How many failures a key may have before it waits, and how long. */
export interface ThrottleRule {
  /** Failed attempts allowed before the first wait. */
  attempts?: number;
  /** The first wait; it doubles with each further failure. */
  delay?: Duration;
  /** The longest wait (the lockout window). */
  maxDelay?: Duration;
  /** Failures are forgotten this long after the last one; at least `maxDelay`. */
  forgetAfter?: Duration;
}

/** Options of `LoginThrottle`. */
export interface LoginThrottleOptions {
  /** Where attempts are counted. Default: a `MemoryThrottleStore` (one server). */
  store?: ThrottleStore;
  /** Per account (the username, case-insensitive). Default 5 attempts, then 30s doubling up to 15m. `false`: off. */
  perAccount?: ThrottleRule | false;
  /** Per client address (IPv6 by /64). Default 20 attempts, then 30s doubling up to 15m. `false`: off. */
  perAddress?: ThrottleRule | false;
  /** The time source, milliseconds since the epoch; give the manager's when you freeze time. Default `Date.now`. */
  clock?: () => number;
  /** Milliseconds to wait for the store before failing closed with a 503. Default 1000. */
  storeTimeout?: number;
  /** Where a store outage is reported (once, not per request). Default `console`. */
  logger?: LoginLogger;
}

export interface ResolvedThrottleOptions {
  store: ThrottleStore;
  perAccount: ThrottleLimits | undefined;
  perAddress: ThrottleLimits | undefined;
  clock: () => number;
  storeTimeout: number;
  logger: LoginLogger;
}

const KNOWN = ['store', 'perAccount', 'perAddress', 'clock', 'storeTimeout', 'logger'];
const RULE_KEYS = ['attempts', 'delay', 'maxDelay', 'forgetAfter'];

const fail = (message: string): never => {
  throw new LoginConfigurationError(`LoginThrottle: ${message}`);
};

/** A shared option check, its message prefixed as this class's own are. */
const inThrottle = <T>(run: () => T): T => check.prefixed('LoginThrottle: ', run);

/** Applies defaults and refuses, with the fix in the message, anything that cannot work. */
export function resolveThrottleOptions(options: LoginThrottleOptions = {}): ResolvedThrottleOptions {
  if (typeof options !== 'object' || options === null) fail('takes an options object.');
  const unknown = Object.keys(options).filter((key) => !KNOWN.includes(key));
  if (unknown.length) fail(`unknown option(s) ${unknown.join(', ')}; the options are ${KNOWN.join(', ')}.`);
  const { store = new MemoryThrottleStore(), clock = Date.now, storeTimeout = 1000, logger = console } = options;
  if (
    !['consume', 'refund', 'clear'].every((m) => typeof (store as unknown as Record<string, unknown>)[m] === 'function')
  ) {
    fail('`store` needs consume, refund and clear methods: use MemoryThrottleStore or RedisThrottleStore.');
  }
  inThrottle(() => check.clock(clock));
  inThrottle(() => check.storeTimeout(storeTimeout));
  if (typeof logger?.error !== 'function' || typeof logger.warn !== 'function') {
    fail('`logger` needs error and warn methods, like console.');
  }
  const perAccount = limits('perAccount', options.perAccount, 5);
  const perAddress = limits('perAddress', options.perAddress, 20);
  if (!perAccount && !perAddress) fail('`perAccount` and `perAddress` are both false: nothing would be throttled.');
  return { store, perAccount, perAddress, clock, storeTimeout, logger };
}

function limits(name: string, rule: ThrottleRule | false | undefined, attempts: number): ThrottleLimits | undefined {
  if (rule === false) return undefined;
  if (typeof rule !== 'object' && rule !== undefined) fail(`\`${name}\` is an object like { attempts: 5 } or false.`);
  const given = rule ?? {};
  const unknown = Object.keys(given).filter((key) => !RULE_KEYS.includes(key));
  if (unknown.length) fail(`\`${name}\`: unknown key(s) ${unknown.join(', ')}; it takes ${RULE_KEYS.join(', ')}.`);
  const count = given.attempts ?? attempts;
  if (!(Number.isInteger(count) && count >= 1 && count <= 10_000))
    fail(`\`${name}.attempts\` is a whole number from 1.`);
  const delayMs = seconds(`${name}.delay`, given.delay ?? 30) * 1000;
  const maxDelayMs = seconds(`${name}.maxDelay`, given.maxDelay ?? 15 * 60) * 1000;
  const forgetMs = seconds(`${name}.forgetAfter`, given.forgetAfter ?? 60 * 60) * 1000;
  if (maxDelayMs < delayMs) fail(`\`${name}.maxDelay\` is shorter than \`${name}.delay\`.`);
  if (forgetMs < maxDelayMs)
    fail(`\`${name}.forgetAfter\` is shorter than \`${name}.maxDelay\`: failures would be forgotten mid-wait.`);
  return { attempts: count, delayMs, maxDelayMs, forgetMs };
}

const seconds = (name: string, value: unknown): number => inThrottle(() => check.duration(name, value) as number);
