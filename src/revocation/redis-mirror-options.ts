import { fail } from '../shared/checks';
import { checkRedisClient, checkStoreOptions } from '../shared/store-options';

/** How long a mirror's copy is trusted without news from every master, by default (the manager's `storeTimeout` default too). */
const MAX_STALENESS = 1000;

const isStaleness = (value: unknown): number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 20 && value <= 60_000
    ? value
    : fail('`maxStaleness` is a whole number of milliseconds between 20 and 60000.');

/** A client's ioredis `keyPrefix` (of a `Redis`, or of a `Cluster`'s `redisOptions`), if it has one. */
function keyPrefixOf(client: unknown): unknown {
  const options = (client as { options?: { keyPrefix?: unknown; redisOptions?: { keyPrefix?: unknown } } }).options;
  return options?.keyPrefix || options?.redisOptions?.keyPrefix;
}

/**
 * `RedisRevocationStore`'s `mirror`: `undefined` when off (`false`, left out), else the copy's
 * `maxStaleness`. With `client`, also refuses a client the mirror cannot use: one without `duplicate`,
 * `publish` and `scan`, or with an ioredis `keyPrefix` (the store's keys are found by `SCAN`, which
 * `keyPrefix` does not apply to: give the store's own `prefix` instead).
 */
export function mirrorOption(value: unknown, client?: unknown): number | undefined {
  if (value === undefined || value === false) return undefined;
  let maxStaleness = MAX_STALENESS;
  if (value !== true) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      fail('`mirror` is true, false or { maxStaleness }.');
    }
    checkStoreOptions('`mirror`', value, { maxStaleness: isStaleness });
    maxStaleness = (value as { maxStaleness?: number }).maxStaleness ?? MAX_STALENESS;
  }
  if (client !== undefined) {
    const cluster = typeof (client as { nodes?: unknown }).nodes === 'function';
    checkRedisClient('RedisRevocationStore `mirror`', client, cluster ? ['nodes'] : ['duplicate', 'publish', 'scan']);
    if (keyPrefixOf(client)) {
      fail(
        "RedisRevocationStore: `mirror` cannot use a client with ioredis' keyPrefix (SCAN does not apply it): " +
          "give the store's own `prefix` instead, e.g. new RedisRevocationStore(new Redis(url), { prefix: 'app:', mirror: true }).",
      );
    }
  }
  return maxStaleness;
}
