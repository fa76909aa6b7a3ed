/**
 * The rows of the end-to-end bench: what each server runs, what the load generator sends
 * it, and the goal it is judged by. Every row is measured the same way: paired with the
 * no-auth server in alternating blocks (see run.ts).
 *
 * Adding a row takes a few lines here, nothing elsewhere:
 * - Another store or option (e.g. the Redis store, plain and mirrored): a `library(...)` row
 *   with `serverOptions` (only the server builds it; may be async, e.g. to connect) and
 *   `skip` naming what it needs when absent:
 *   ```ts
 *   library('header', 'HS256', distinct(), {
 *     id: 'redis-hs256-distinct', label: 'header HS256, Redis store, distinct tokens',
 *     skip: () => (process.env.REDIS_URL ? undefined : 'set REDIS_URL'),
 *     serverOptions: async () => ({ revocationStore: new RedisRevocationStore(new Redis(process.env.REDIS_URL)) }),
 *   }),
 *   ```
 * - Another algorithm (EdDSA): add it to `Algorithm`, its key to `BenchKeys` and `secretFor`
 *   (keys.ts), then `library('header', 'EdDSA', repeated(), { reference: true })` and the same
 *   with `distinct()`; `reference: true` prints `crypto.verify` alone beside it (add the
 *   algorithm's call to `CALLS` in reference.ts).
 * - Requests that carry more than a token (ES256 + DPoP): a `Requests` of your own, `mode: 'fresh'`,
 *   whose `headers(mint, i)` returns every header of request `i` (`authorization: DPoP <token>` from
 *   `mint.manager`, and a new `dpop` proof); fresh requests are minted just before each block, so a
 *   proof's `iat` is seconds old when sent. Give the row an `id` and a `label` of its own.
 */
import type { LoginManager, LoginOptions } from 'routing-controllers-login';
import type { BenchKeys } from './keys';

/** The apps of app.ts: no auth, routing-controllers' own hooks with no library, or the library. */
export type App = 'open' | 'floor' | 'use-before' | 'current-user' | 'library';
export type Algorithm = 'HS256' | 'RS256' | 'ES256';

/** What one request carries, made in the load generator's minter (tokens.ts). */
export interface Minter {
  /** A fresh access token of this row's manager for the bench user. */
  token(): string;
  /** The headers that carry `token` the way this row's manager reads it (bearer header or cookie). */
  carry(token: string): Record<string, string>;
  keys: BenchKeys;
  /** The row's manager (the same options as the server's, without `serverOptions`); none without the library. */
  manager: LoginManager<unknown> | undefined;
  /** A token of this row's manager, for shapes built from it (its header segment). */
  sample: string;
}

/**
 * How the load generator makes the requests of a row:
 * - `fixed`: `headers(mint, 0)` on every request (a repeated token);
 * - `fresh`: a new set per request, minted before each block, never sent twice;
 * - `cycle`: a pool of `size` sets made once, cycled in order across blocks (each set comes back
 *   after `size` requests: with `size` over the verified-token cache's size, never a cache hit);
 * - `suffix`: `headers(mint, 0)` with a unique 8-character base64url suffix appended, per request,
 *   to the last header's value (by the load generator itself, so it costs no minting).
 */
export interface Requests {
  mode: 'fixed' | 'fresh' | 'cycle' | 'suffix';
  size?: number;
  headers(mint: Minter, index: number): Record<string, string>;
  /** What the label says about the tokens. */
  describe: string;
}

/** A goal of one row: the median paired difference and ratio against no-auth. */
export interface Goal {
  /** Server CPU per request above no-auth, at most, µs. */
  maxAddedUs?: number;
  /** req/s over no-auth's, at least. */
  minRatio?: number;
  /** At most `crypto.verify` alone (reference.ts) plus this, µs. */
  overVerifyUs?: number;
}

export interface Variant {
  /** Short id, used in `BENCH_VARIANTS` and `BENCH_PROFILE`. */
  id: string;
  label: string;
  app: App;
  /** The library's manager (app `library`): both the server and the minter build it from this. */
  login?: { algorithm: Algorithm; source: 'header' | 'cookie'; options?: Partial<LoginOptions> };
  /** Options only the server's manager gets (a store with a connection): built in the server. */
  serverOptions?: () => Partial<LoginOptions> | Promise<Partial<LoginOptions>>;
  /** Undefined when the row can run here, else what it needs (the row is printed as skipped). */
  skip?: () => string | undefined;
  requests: Requests;
  /** The status every request must get; anything else makes the bench invalid. */
  status: 200 | 401;
  goal?: Goal;
  /** Print `crypto.verify` alone (the same key and token size) beside this row. */
  reference?: boolean;
}

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

/** The longest token the library reads by default (`maxTokenLength`): the anonymous tokens are this long. */
export const MAX_TOKEN = 8192;

/**
 * The most expensive tokens an anonymous client can send: `MAX_TOKEN` characters, the header
 * this manager issues, a payload of JSON (deeply nested arrays, or one flat object of short keys),
 * and a signature of the right length that is wrong (unique per request, so no cache can answer).
 */
export const forged = (payload: 'nested' | 'flat'): Requests => ({
  mode: 'suffix',
  headers: (mint) => {
    const header = mint.sample.slice(0, mint.sample.indexOf('.'));
    const room = Math.floor(((MAX_TOKEN - header.length - 2 - 43) * 3) / 4);
    const json = payload === 'nested' ? nestedJson(room) : flatJson(room);
    const body = Buffer.from(json).toString('base64url');
    // 35 characters here and the load generator's 8: an HS256 signature's 43.
    const token = `${header}.${body}.${'A'.repeat(35)}`;
    if (token.length + 8 > MAX_TOKEN) throw new Error(`the forged token is ${token.length + 8} characters`);
    return mint.carry(token);
  },
  describe:
    payload === 'nested' ? '8 KiB token, nested payload, bad signature' : '8 KiB token, flat payload, bad signature',
});

const CLAIMS = '{"sub":"bench@example.com","exp":4102444800,"n":';

function nestedJson(size: number): string {
  const depth = Math.floor((size - CLAIMS.length - 1) / 2);
  return `${CLAIMS}${'['.repeat(depth)}${']'.repeat(depth)}}`;
}

function flatJson(size: number): string {
  let json = `${CLAIMS}{`;
  for (let i = 0; json.length + 12 < size; i += 1) json += `${i ? ',' : ''}"k${i}":0`;
  return `${json}}}`;
}

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
