/**
 * The rows of the end-to-end bench: what each server runs, what the load generator sends
 * it, and the goal it is judged by. Every row is measured the same way: paired with the
 * no-auth server in alternating blocks (see run.ts).
 *
 * Adding a row takes a few lines here, nothing elsewhere:
 * - Another store or option: a `library(...)` row with `serverOptions` (only the server builds
 *   it; may be async, e.g. to connect), `skip` naming what it needs when absent, and `service`
 *   for a process it needs (as the Redis rows: `redis(...)` below, redis.ts).
 * - Another algorithm: add it to `Algorithm` (types.ts), its key to `BenchKeys`, `makeKeys` and
 *   `secretFor` (keys.ts), then `library('header', alg, repeated(), { reference: true })` and the
 *   same with `distinct()`; `reference: true` prints `crypto.verify` alone beside it (add the
 *   algorithm's call to `CALLS` in reference.ts). EdDSA is one.
 * - Requests that carry more than a token: a `Requests` of your own, `mode: 'fresh'`, whose
 *   `headers(mint, i)` returns every header of request `i`; fresh requests are minted just before
 *   each block, never in the timed window. The DPoP rows are such (dpop.ts: `authorization: DPoP
 *   <token>` from `mint.manager` and a new `dpop` proof, whose `iat` is seconds old when sent).
 *   Give the row an `id` and a `label` of its own.
 */
import { dpopRequests } from './dpop';
import { forged } from './forged';
import { mirrorMissing, redisMissing, redisService, redisStore } from './redis';
import type { Algorithm, App, Requests, Variant } from './types';

export type { Algorithm, App, Goal, Minter, Requests, RowService, Variant } from './types';

export const none = (): Requests => ({ mode: 'fixed', headers: () => ({}), describe: '' });
export const repeated = (): Requests => ({
  mode: 'fixed',
  headers: (mint) => mint.carry(mint.token()),
  describe: 'repeated token',
});
export const distinct = (): Requests => ({
  mode: 'fresh',
  headers: (mint) => mint.carry(mint.token()),
  describe: 'distinct tokens',
});

/**
 * RS256 signing costs about a millisecond, too slow to mint a token per request: its
 * distinct row cycles this many, twice the verified-token cache's default size, so a
 * least-recently-used cache never holds the next one.
 */
export const RSA_POOL = Number(process.env.BENCH_RSA_POOL ?? 20_000);
export const pool = (size = RSA_POOL): Requests => ({
  mode: 'cycle',
  size,
  headers: (mint) => mint.carry(mint.token()),
  describe: 'distinct tokens',
});

/** A row of the library: `@LoggedIn()` + `@User()` with this manager. */
function library(
  source: 'header' | 'cookie',
  algorithm: Algorithm,
  requests: Requests,
  extra: Partial<Variant> = {},
): Variant {
  return {
    id: `${source}-${algorithm.toLowerCase()}-${requests.mode === 'fixed' ? 'repeated' : 'distinct'}`,
    label: `${source} ${algorithm}, ${requests.describe}`,
    app: 'library',
    login: { algorithm, source },
    requests,
    status: 200,
    ...extra,
  };
}

function bare(app: App, id: string, label: string): Variant {
  return { id, label, app, requests: none(), status: 200 };
}

/** The no-auth server every row is paired with. */
export const BASELINE: Variant = bare('open', 'none', 'routing-controllers, no auth');

/** The first row: a second no-auth server against the first, so the table shows its own noise floor. */
export const CONTROL: Variant = bare('open', 'control', 'control: no auth, an identical copy');

/** The goal of the control row: a run whose control is further from 0 is too noisy to judge. */
export const CONTROL_LIMIT_US = 1.5;

/**
 * Nor is a run whose control's interval reaches beyond ±this, µs, or that has fewer control
 * blocks than `CONTROL_MIN_BLOCKS`: its median may then sit near 0 by chance while single
 * blocks disagree by more than any goal's margin (seen on a machine busy with other work).
 */
export const CONTROL_SPREAD_US = 5;
export const CONTROL_MIN_BLOCKS = 6;

/** ES256 with DPoP (RFC 9449): a bound token as `Authorization: DPoP`, a new proof on every request. */
function dpop(tokens: 'repeated' | 'distinct'): Variant {
  const requests = dpopRequests(tokens);
  return library('header', 'ES256', requests, {
    id: `dpop-es256-${tokens}`,
    label: `header ES256 + DPoP, ${requests.describe}`,
    login: { algorithm: 'ES256', source: 'header', options: { dpop: 'allowed' } },
  });
}

/** HS256 in the header with the RedisRevocationStore (mirrored: its `mirror` option) on a redis-server of the row's own. */
function redis(requests: Requests, mirror = false): Variant {
  const row = library('header', 'HS256', requests);
  const store = mirror ? 'mirrored Redis store' : 'Redis store';
  return {
    ...row,
    id: `redis${mirror ? '-mirror' : ''}-${row.id.replace('header-', '')}`,
    label: `header HS256, ${store}, ${requests.describe}`,
    skip: mirror ? mirrorMissing : redisMissing,
    service: redisService,
    serverOptions: redisStore(mirror),
  };
}

/** Every row, in the order measured and printed; goals from issue 20. */
export const VARIANTS: readonly Variant[] = [
  CONTROL,
  bare('floor', 'floor', 'floor: @Authorized() + createParamDecorator, no library'),
  bare('use-before', 'use-before', 'floor: @UseBefore(fn) + createParamDecorator, no library'),
  bare('current-user', 'current-user', 'floor: @CurrentUser(), no library'),
  library('header', 'HS256', repeated(), { goal: { maxAddedUs: 3, minRatio: 0.95 } }),
  library('header', 'HS256', distinct(), { goal: { maxAddedUs: 9, minRatio: 0.87 } }),
  library('cookie', 'HS256', repeated(), { goal: { maxAddedUs: 4 } }),
  library('cookie', 'HS256', distinct()),
  library('header', 'RS256', repeated(), { reference: true }),
  library('header', 'RS256', pool(), { reference: true, goal: { overVerifyUs: 6 } }),
  library('header', 'ES256', repeated(), { reference: true }),
  library('header', 'ES256', distinct(), { reference: true, goal: { overVerifyUs: 6 } }),
  library('header', 'EdDSA', repeated(), { reference: true }),
  library('header', 'EdDSA', distinct(), { reference: true }),
  dpop('repeated'),
  dpop('distinct'),
  redis(repeated()),
  redis(distinct()),
  // The mirrored Redis store (RedisRevocationStore's `mirror: true`): skipped until the store has the option.
  redis(repeated(), true),
  redis(distinct(), true),
  library('header', 'HS256', forged('nested'), {
    id: 'anonymous-nested',
    label: `anonymous: ${forged('nested').describe}`,
    status: 401,
  }),
  library('header', 'HS256', forged('flat'), {
    id: 'anonymous-flat',
    label: `anonymous: ${forged('flat').describe}`,
    status: 401,
  }),
];

export function variantById(id: string): Variant {
  if (id === BASELINE.id) return BASELINE;
  const found = VARIANTS.find((v) => v.id === id);
  if (!found) throw new Error(`unknown variant ${id}; the variants are ${VARIANTS.map((v) => v.id).join(', ')}`);
  return found;
}
