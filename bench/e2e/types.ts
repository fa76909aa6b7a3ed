/** The types of the end-to-end bench's rows (variants.ts declares the rows). */
import type { LoginManager, LoginOptions } from 'routing-controllers-login';
import type { BenchKeys } from './keys';

/** The apps of app.ts: no auth, routing-controllers' own hooks with no library, or the library. */
export type App = 'open' | 'floor' | 'use-before' | 'current-user' | 'library';
export type Algorithm = 'HS256' | 'RS256' | 'ES256' | 'EdDSA';

/** What one request carries, made in the load generator's minter (minter.ts). */
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
  /**
   * A process the row's server needs (a redis-server), started by the orchestrator before the
   * server and stopped after the row; its `env` is added to the server's environment.
   */
  service?: () => Promise<RowService>;
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

/** A process a row needs beside its server, e.g. a throwaway redis-server. */
export interface RowService {
  /** Added to the environment of the row's server (e.g. `BENCH_REDIS_URL`). */
  env: Record<string, string>;
  stop(): Promise<void>;
}
