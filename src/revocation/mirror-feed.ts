import type { Change } from './mirror-copy';
import { MalformedStoreValueError } from './store-values';

/**
 * What a mirrored store reads from Redis, checked: the change messages the write scripts publish
 * (`redis-scripts.ts`) and the keys a load finds. A message that is not one the scripts publish cannot
 * be trusted to have said everything: the caller resyncs. A key's value that is not what the store writes
 * is kept as `NaN` (503 for the requests that read it), or, for a refused id, as refused.
 */

/** A user's digest as the store puts it in the hash tag: 22 base64url characters. */
const DIGEST = /^[A-Za-z0-9_-]{22}$/;

const bad = (what: string): never => {
  throw new MalformedStoreValueError(what);
};

/** A whole number as Lua sends it (a number, or the digits of an argument); negative only if `signed` (a PTTL). */
function whole(value: unknown, signed = false): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && (signed || value >= 0)) return value;
  if (typeof value === 'string' && (signed ? /^-?\d{1,16}$/ : /^\d{1,16}$/).test(value)) return Number(value);
  return Number.NaN;
}

function checkedWhole(value: unknown): number {
  const number = whole(value);
  return Number.isNaN(number) ? bad('change message') : number;
}

function change(entry: unknown): Change {
  if (!Array.isArray(entry) || typeof entry[1] !== 'string') return bad('change message');
  const [kind, name, ...rest] = entry as [unknown, string, ...unknown[]];
  if (kind === 'r' && rest.length === 1) return { kind, id: name, ms: checkedWhole(rest[0]) };
  if (kind === 'c' && rest.length === 1) return { kind, value: checkedWhole(name), ms: checkedWhole(rest[0]) };
  if (kind === 'e' && rest.length === 0) return { kind, family: name };
  if (kind === 's' && rest.length === 3) {
    const [generation, refreshed, ms] = rest.map(checkedWhole) as [number, number, number];
    return { kind, family: name, generation, refreshed, ms };
  }
  return bad('change message');
}

/** A published change message: `[digest, [change, ...]]`. Throws `MalformedStoreValueError` for anything else. */
export function parseChanges(message: string): { digest: string; changes: Change[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return bad('change message');
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'string' || !DIGEST.test(parsed[0])) {
    return bad('change message');
  }
  // cjson encodes an empty table as {}; the scripts publish only non-empty lists.
  if (!Array.isArray(parsed[1])) return bad('change message');
  return { digest: parsed[0], changes: parsed[1].map(change) };
}

/** A key of the store, split: the user's digest and what follows the hash tag (`r:<id>`, `c`, `s:<family>`, `i`). */
export function splitKey(prefix: string, key: string): { digest: string; rest: string } | undefined {
  if (
    !key.startsWith(prefix) ||
    key[prefix.length] !== '{' ||
    key.slice(prefix.length + 23, prefix.length + 25) !== '}:'
  ) {
    return undefined;
  }
  const digest = key.slice(prefix.length + 1, prefix.length + 23);
  return DIGEST.test(digest) ? { digest, rest: key.slice(prefix.length + 25) } : undefined;
}

/**
 * The change a loaded key stands for (`READ_ENTRY`'s reply: [pttl, value] or [pttl, generation, refreshed]),
 * or `undefined` for a key that is gone, the login index, or not one of the store's. A key without a TTL
 * (none of the store's is) is kept as long as Redis keeps it.
 */
export function entryChange(rest: string, reply: unknown): Change | undefined {
  if (!Array.isArray(reply)) return bad('mirror load');
  const [pttl, first, second] = reply as unknown[];
  const found = whole(pttl, true);
  if (Number.isNaN(found) || found === -2 || found === 0) return undefined;
  const ms = found === -1 ? Number.POSITIVE_INFINITY : found;
  if (rest.startsWith('r:')) return { kind: 'r', id: rest.slice(2), ms };
  if (rest === 'c') return { kind: 'c', value: typeof first === 'string' ? whole(first) : Number.NaN, ms };
  if (!rest.startsWith('s:')) return undefined;
  const generation = whole(first);
  const refreshed = whole(second);
  const ok = generation >= 0 && refreshed >= 0 && reply.length === 3;
  return { kind: 's', family: rest.slice(2), generation: ok ? generation : Number.NaN, refreshed, ms };
}
