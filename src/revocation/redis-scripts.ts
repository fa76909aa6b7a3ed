import { createHash } from 'node:crypto';

/**
 * The Lua scripts of `RedisRevocationStore`. Each runs atomically and touches the keys of one
 * user only, which share the hash tag `{<user digest>}`: one slot, so one command on a single
 * Redis and on a Cluster. `KEYS[1]` is always the user's key base (`<prefix>{<digest>}:`),
 * which routes the command to that slot; the keys are made from it:
 *
 * - `<base>r:<id>` "1": a refused token id or family id, until its TTL;
 * - `<base>c` the `revokeAllFor` cut-off (milliseconds), until its TTL;
 * - `<base>s:<family>` a hash (`s` started, `r` refreshed, `g` generation, `l` label): a live login;
 * - `<base>i` a sorted set of the user's live logins by when they last refreshed (the index).
 *
 * Values are read with GET and HMGET, which fail on a key of another type, and checked, so a
 * value that is not what the store wrote is an error (an outage), never "not revoked".
 *
 * Every script that changes something also PUBLISHes what it changed on `<prefix>changes`, and answers
 * `{ result, change message or '' }`: the feed a mirrored store (`mirror: true`) keeps its copy current
 * from. Plain PUBLISH, not sharded: on a Cluster it reaches every node, so a subscriber on any one node
 * hears every slot's changes (SPUBLISH from a script must name a channel of the script's own slot, which
 * would take one subscription per user). The message is `[digest, [change, ...]]` (JSON), a change one of
 * `["r", id, ttl]` (refused), `["c", cut-off, ttl]`, `["s", family, generation, refreshed, ttl]` (a
 * login's record as it is now) and `["e", family]` (a login's record deleted); TTLs in milliseconds.
 */

/** A script and its SHA1, for EVALSHA. */
export interface Script {
  text: string;
  sha: string;
}

const script = (body: string): Script => {
  const text = `${HELPERS}\n${body}`;
  return { text, sha: createHash('sha1').update(text).digest('hex') };
};

/** A script that changes keys: its body runs as `main`, then what it changed is published and answered. */
const write = (body: string): Script =>
  script(`local function main()
${body}
end
local result, message = main(), ''
if type(result) == 'table' and result.err then return result end
if #changes > 0 then
  message = cjson.encode({ string.sub(base, -24, -3), changes })
  redis.call('PUBLISH', string.sub(base, 1, -26) .. 'changes', message)
end
return { result, message }`);

const HELPERS = `
local base = KEYS[1]
local changes = {}
local function note(...) changes[#changes + 1] = { ... } end
local function extend(key, ms)
  if redis.call('PTTL', key) < ms then redis.call('PEXPIRE', key, ms) end
end
local function refuse(id, ms)
  if ms > 0 and redis.call('PTTL', base .. 'r:' .. id) < ms then
    redis.call('SET', base .. 'r:' .. id, '1', 'PX', ms)
    note('r', id, ms)
  end
end
local function noteSession(family, generation, refreshed)
  note('s', family, generation, refreshed, redis.call('PTTL', base .. 's:' .. family))
end
local function finish(family, ms)
  if redis.call('DEL', base .. 's:' .. family) == 1 then note('e', family) end
  redis.call('ZREM', base .. 'i', family)
  refuse(family, ms)
end
local function trim(limit, ms)
  local excess = redis.call('ZCARD', base .. 'i') - limit
  if excess <= 0 then return {} end
  local oldest = redis.call('ZRANGE', base .. 'i', 0, excess - 1)
  for _, family in ipairs(oldest) do finish(family, ms) end
  return oldest
end
local function record(family)
  local fields = redis.call('HMGET', base .. 's:' .. family, 'g', 'r')
  if not fields[1] and not fields[2] then return nil end
  local g, r = tonumber(fields[1]), tonumber(fields[2])
  if not g or not r or g < 0 or g % 1 ~= 0 then return redis.error_reply('malformed session record') end
  return { g, r }
end`;

/** The request's lookup: ARGV id, family (or ''); answers [refused id, cut-off, refused family, generation, refreshed]. */
export const LOOKUP = script(`
local id, cut = redis.call('GET', base .. 'r:' .. ARGV[1]), redis.call('GET', base .. 'c')
if ARGV[2] == '' then return { id, cut } end
local fields = redis.call('HMGET', base .. 's:' .. ARGV[2], 'g', 'r')
return { id, cut, redis.call('GET', base .. 'r:' .. ARGV[2]), fields[1], fields[2] }`);

/** ARGV id, ttl. */
export const REVOKE = write(`refuse(ARGV[1], tonumber(ARGV[2]))
return 1`);

/** ARGV family, started, keep ttl, limit, ended ttl, label (or absent); answers the families it ended (the limit). */
export const START = write(`
local family, started, keep = ARGV[1], ARGV[2], tonumber(ARGV[3])
if redis.call('EXISTS', base .. 'r:' .. family) == 1 then return {} end
local key = base .. 's:' .. family
redis.call('HSET', key, 's', started, 'r', started, 'g', 0)
if ARGV[6] then redis.call('HSET', key, 'l', ARGV[6]) end
extend(key, keep)
noteSession(family, 0, started)
redis.call('ZADD', base .. 'i', started, family)
extend(base .. 'i', keep)
return trim(tonumber(ARGV[4]), tonumber(ARGV[5]))`);

/** ARGV family, generation, now, grace ms, keep ttl, ended ttl, limit; answers [outcome, generation]. */
export const ROTATE = write(`
local family, generation, now = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local keep, ended, key = tonumber(ARGV[5]), tonumber(ARGV[6]), base .. 's:' .. ARGV[1]
if redis.call('EXISTS', base .. 'r:' .. family) == 1 then return { 'ended' } end
local found = record(family)
if found and found.err then return found end
local next
if not found then
  next = generation + 1
  redis.call('HSET', key, 's', ARGV[3], 'r', ARGV[3], 'g', next)
elseif generation == found[1] then
  next = found[1] + 1
  redis.call('HSET', key, 'r', ARGV[3], 'g', next)
elseif generation == found[1] - 1 and now - found[2] < tonumber(ARGV[4]) then
  return { 'grace', found[1] }
else
  finish(family, ended)
  return { 'reused' }
end
extend(key, keep)
noteSession(family, next, ARGV[3])
redis.call('ZADD', base .. 'i', ARGV[3], family)
extend(base .. 'i', keep)
trim(tonumber(ARGV[7]), ended)
return { 'rotated', next }`);

/** ARGV family, ended ttl. */
export const END = write(`finish(ARGV[1], tonumber(ARGV[2]))
return 1`);

/** ARGV cut-off, cut-off ttl, ended ttl: the later cut-off kept, every live login ended. */
export const REVOKE_ALL = write(`
local cutoff, earlier = tonumber(ARGV[1]), redis.call('GET', base .. 'c')
if earlier and not tonumber(earlier) then return redis.error_reply('malformed cut-off') end
if not earlier or tonumber(earlier) < cutoff then
  redis.call('SET', base .. 'c', ARGV[1], 'PX', ARGV[2])
  note('c', ARGV[1], tonumber(ARGV[2]))
end
for _, family in ipairs(redis.call('ZRANGE', base .. 'i', 0, -1)) do finish(family, tonumber(ARGV[3])) end
return 1`);

/** The live logins, least recently refreshed first: [id, started, refreshed, generation, label or false, ...]. */
export const SESSIONS = script(`
local out = {}
for _, family in ipairs(redis.call('ZRANGE', base .. 'i', 0, -1)) do
  local fields = redis.call('HMGET', base .. 's:' .. family, 's', 'r', 'g', 'l')
  if fields[1] then
    for _, value in ipairs({ family, fields[1], fields[2], fields[3] }) do out[#out + 1] = value end
    out[#out + 1] = fields[4]
  else
    redis.call('ZREM', base .. 'i', family)
  end
end
return out`);

/**
 * A mirror's load (after a `SCAN` of the prefix), `KEYS[1]` one key of the store: [pttl, value] for a string
 * (a refused id, a cut-off), [pttl, generation, refreshed] for a login's record, [pttl] for anything else.
 */
export const READ_ENTRY: Script = (() => {
  const text = `local key = KEYS[1]
local kind, ms = redis.call('TYPE', key).ok, redis.call('PTTL', key)
if kind == 'string' then return { ms, redis.call('GET', key) } end
if kind == 'hash' then
  local fields = redis.call('HMGET', key, 'g', 'r')
  return { ms, fields[1], fields[2] }
end
return { ms }`;
  return { text, sha: createHash('sha1').update(text).digest('hex') };
})();
