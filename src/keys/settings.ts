import * as check from '../shared/checks';
import type { Duration } from '../shared/duration';
import { isPlainObject } from '../shared/json';
import { ALGORITHMS, type Algorithm } from './algorithms';
import type { RemoteSettings } from './remote-key-set';

/** How JWK Sets are fetched and cached (the `remoteKeys` option). */
export interface RemoteKeysOptions {
  /** Milliseconds for one fetch, body included. Default 5000. */
  timeout?: number;
  /** The largest response accepted, in bytes. Default 262144 (256 KiB). */
  maxBytes?: number;
  /** No fetch starts sooner than this after the previous one, however many unknown `kid`s arrive. Default `'30s'`. */
  cooldown?: Duration;
  /** The shortest a JWK Set is kept, whatever its `Cache-Control` says. Default `'1m'`. */
  minCacheAge?: Duration;
  /** The longest a JWK Set is kept, whatever its `Cache-Control` says. Default `'1h'`. */
  maxCacheAge?: Duration;
}

const fail = check.fail;
const ASYMMETRIC = ALGORITHMS.filter((alg) => !alg.startsWith('HS'));

/** The algorithms a fetched key set may verify: asymmetric ones only. Default `['RS256']`, as most providers sign. */
export function algorithmList(value: unknown, where: string): Algorithm[] {
  if (value === undefined) return ['RS256'];
  if (Array.isArray(value) && value.length > 0 && value.every((alg) => ASYMMETRIC.includes(alg))) return [...value];
  return fail(
    `${where}\`algorithms\` lists what the issuer signs with, from ${ASYMMETRIC.join(', ')} (HMAC secrets are never fetched).`,
  );
}

const SETTINGS = new Set(['timeout', 'maxBytes', 'cooldown', 'minCacheAge', 'maxCacheAge']);

/** The `remoteKeys` option, checked, in milliseconds. */
export function remoteSettings(value: unknown = {}): RemoteSettings {
  if (!isPlainObject(value)) return fail('`remoteKeys` is an object like { timeout: 5000, cooldown: "30s" }.');
  const unknown = Object.keys(value).filter((name) => !SETTINGS.has(name));
  if (unknown.length)
    fail(`\`remoteKeys\`: unknown field(s) ${unknown.join(', ')}; the fields are ${[...SETTINGS].join(', ')}.`);
  const { timeout = 5000, maxBytes = 256 * 1024 } = value;
  if (!(Number.isInteger(timeout) && (timeout as number) >= 1 && (timeout as number) <= 60_000)) {
    fail('`remoteKeys.timeout` is a whole number of milliseconds from 1 to 60000.');
  }
  if (!(Number.isInteger(maxBytes) && (maxBytes as number) >= 1024 && (maxBytes as number) <= 16 * 1024 * 1024)) {
    fail('`remoteKeys.maxBytes` is a whole number of bytes from 1024 to 16777216.');
  }
  const ms = (name: string, fallback: number) => (check.duration(`remoteKeys.${name}`, value[name]) ?? fallback) * 1000;
  const settings = {
    timeout: timeout as number,
    maxBytes: maxBytes as number,
    cooldown: ms('cooldown', 30),
    minCacheAge: ms('minCacheAge', 60),
    maxCacheAge: ms('maxCacheAge', 3600),
  };
  if (settings.minCacheAge > settings.maxCacheAge) fail('`remoteKeys.minCacheAge` is longer than `maxCacheAge`.');
  return settings;
}
