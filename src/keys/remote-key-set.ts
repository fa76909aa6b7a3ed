import { createHash } from 'node:crypto';
import { type Rejection, rejected } from '../shared/checked';
import type { Clock } from '../shared/clock';
import { EVENTS, type OutagePhase } from '../shared/events';
import type { LoginLogger } from '../shared/logger';
import { OutageLog } from '../shared/outage';
import type { Algorithm } from './algorithms';
import { type FetchLimits, fetchJson } from './fetch-json';
import { type FetchedKeys, readJwks } from './jwk-set';
import type { KeySource, RingKey } from './source';

/** How remote keys are fetched and kept; times in milliseconds. */
export interface RemoteSettings extends FetchLimits {
  /** No fetch starts sooner than this after the previous one, whatever tokens arrive. */
  cooldown: number;
  /** The bounds put on the `Cache-Control` max-age of a JWK Set. */
  minCacheAge: number;
  maxCacheAge: number;
}

/** How long a JWK Set is kept when its response says nothing (as jose and express-oauth2-jwt-bearer do). */
const DEFAULT_CACHE_AGE = 10 * 60_000;

/** Where a remote key set is: its JWK Set URL, or how to find it (OpenID Connect discovery); `label` names it in logs. */
export interface KeyLocation {
  label: string;
  jwksUri(limits: FetchLimits): Promise<string>;
  /** Called when a fetch failed: a discovered `jwks_uri` is looked up again next time, in case it moved. */
  forget?(): void;
}

/**
 * A JWK Set fetched from a URL and kept for its `Cache-Control` max-age (within bounds).
 * Lookups never wait on a known key: an expired set keeps answering while a refresh runs
 * in the background. A token naming an unknown `kid` starts a refresh (at most one per
 * cooldown, shared by every request that misses meanwhile). A failed refresh keeps the
 * keys already known; with none known, tokens are refused with `key_source_unavailable`.
 * An outage is logged when it starts and when it ends, not per request.
 */
export class RemoteKeySet implements KeySource {
  private keys: FetchedKeys | undefined;
  private changes = 0;
  private digest: string | undefined;
  private expiresAt = 0;
  private lastFetch = Number.NEGATIVE_INFINITY;
  private inflight: Promise<void> | undefined;
  private readonly outage: OutageLog;

  constructor(
    private readonly location: KeyLocation,
    private readonly algorithms: readonly Algorithm[],
    private readonly settings: RemoteSettings,
    private readonly clock: Clock,
    logger: LoginLogger,
  ) {
    this.outage = new OutageLog(logger, `key source ${location.label}`, (phase) => this.announce(phase));
  }

  /**
   * Grows whenever the set is replaced by different keys. Reading it also starts the
   * background refresh of an expired set, so a cache of verified tokens that only reads
   * the version on its hits still sees retired keys go.
   */
  get version(): number {
    if (this.keys) {
      const now = this.clock();
      if (now >= this.expiresAt) this.refresh(now);
    }
    return this.changes;
  }

  readonly fetches = true;

  keyFor(alg: unknown, kid: unknown, fetch = true): RingKey | Rejection {
    // An algorithm that is not configured is refused before anything is fetched.
    if (!this.algorithms.includes(alg as Algorithm)) return rejected('algorithm_not_allowed');
    const now = this.clock();
    const { keys } = this;
    if (keys && now >= this.expiresAt) this.refresh(now);
    const found = keys?.find(alg as Algorithm, kid);
    if (found === 'wrong_algorithm') return rejected('algorithm_not_allowed');
    if (found) return found;
    if (!fetch) return rejected(keys ? 'signature_invalid' : 'key_source_unavailable');
    const pending = this.refresh(now);
    const code = keys ? 'signature_invalid' : 'key_source_unavailable';
    return pending ? { ok: false, code, pending } : rejected(code);
  }

  /** The fetch under way, a new one unless one started within the cooldown, or `undefined`. */
  private refresh(now: number): Promise<void> | undefined {
    if (this.inflight) return this.inflight;
    if (now < this.lastFetch + this.settings.cooldown) return undefined;
    this.lastFetch = now;
    this.inflight = this.fetchKeys().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  /** Fetches and installs the set; never rejects, so no caller can leave an unhandled rejection. */
  private async fetchKeys(): Promise<void> {
    try {
      const { text, json, maxAge } = await fetchJson(await this.location.jwksUri(this.settings), this.settings);
      const keys = readJwks(json, this.algorithms);
      const digest = createHash('sha256').update(text).digest('base64url');
      if (digest !== this.digest) {
        this.keys = keys;
        this.digest = digest;
        this.changes += 1;
      }
      this.expiresAt = this.clock() + this.cacheAge(maxAge);
      this.outage.recovered();
    } catch (error) {
      this.location.forget?.();
      const consequence = this.keys
        ? 'the keys already known keep working'
        : 'tokens are refused with 503 until it is back';
      this.outage.failed(error, `${consequence}: ${reason(error)}`);
    }
  }

  /** `:key-source-outage`, naming the source without what its URL may hide (credentials, a query, a fragment). */
  private announce(phase: OutagePhase): void {
    if (!EVENTS.keySourceOutage.hasSubscribers) return;
    EVENTS.keySourceOutage.publish({
      source: publicUrl(this.location.label),
      phase,
      keysKnown: this.keys !== undefined,
    });
  }

  private cacheAge(maxAge: number | undefined): number {
    const { minCacheAge, maxCacheAge } = this.settings;
    const wanted = maxAge === undefined ? DEFAULT_CACHE_AGE : maxAge * 1000;
    return Math.min(Math.max(wanted, minCacheAge), maxCacheAge);
  }
}

const reason = (error: unknown): string =>
  error instanceof Error
    ? error.cause instanceof Error
      ? `${error.message} (${error.cause.message})`
      : error.message
    : String(error);

/** `url` with no username, password, query or fragment. */
function publicUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return url.replace(/[?#].*$/s, '');
  }
}
