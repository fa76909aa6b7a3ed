import { clock, fail, prefixed } from './checks';

/** How one option of a store is checked: throws (`fail`) with what the value must be when it is wrong. */
export type StoreOptionCheck = (value: unknown) => unknown;

/**
 * Refuses, at construction and with the fix in the message (`where: ...`), an options object that is
 * not one, an option the store does not know (listing those it does), and a known option of the wrong type.
 * An option left out (`undefined`) takes the store's default.
 */
export function checkStoreOptions(where: string, options: unknown, checks: Record<string, StoreOptionCheck>): void {
  if (options === undefined) return;
  prefixed(`${where}: `, () => {
    const known = Object.keys(checks);
    if (typeof options !== 'object' || options === null || Array.isArray(options)) {
      fail(known.length ? `takes an options object ({ ${known.join(', ')} }).` : 'takes no options.');
    }
    const unknown = Object.keys(options as object).filter((key) => !Object.hasOwn(checks, key));
    if (unknown.length) {
      const list = known.length ? `the options are ${known.join(', ')}.` : 'it takes no options.';
      fail(`unknown option(s) ${unknown.join(', ')}; ${list}`);
    }
    for (const name of known) {
      const value = (options as Record<string, unknown>)[name];
      if (value !== undefined) checks[name]?.(value);
    }
  });
}

/** Refuses a Redis client without the commands the store sends (a URL string given instead, say). */
export function checkRedisClient(where: string, client: unknown, commands: readonly string[]): void {
  const has = (name: string) => typeof (client as Record<string, unknown> | null | undefined)?.[name] === 'function';
  const missing = commands.filter((name) => !has(name));
  if (missing.length) {
    fail(
      `${where}: the client is not an ioredis client (it has no ${missing.join(', ')}): give one, e.g. new Redis(process.env.REDIS_URL).`,
    );
  }
}

/** A key prefix: any string. */
export const isKeyPrefix: StoreOptionCheck = (value) =>
  typeof value === 'string' ? value : fail("`prefix` is a string put before every key, e.g. 'rcl:'.");

/** A clock, like `Date.now`. */
export const isClock: StoreOptionCheck = clock;
