import type { Clock } from '../shared/clock';
import { ExpiryHeap } from '../shared/expiry-heap';
import type { RevocationLookup } from './store';
import { MalformedStoreValueError } from './store-values';

/**
 * One change of the store as the Redis scripts publish it (`redis-scripts.ts`) and a mirror's load reads it:
 * a refused id, a user's cut-off, a login's record as it is now, or a login's record deleted. `ms` is the
 * key's TTL when it was read. A value that was not what the store writes is `NaN` (a cut-off, a generation):
 * the requests that read it answer 503, as the plain store's do.
 */
export type Change =
  | { kind: 'r'; id: string; ms: number }
  | { kind: 'c'; value: number; ms: number }
  | { kind: 's'; family: string; generation: number; refreshed: number; ms: number }
  | { kind: 'e'; family: string };

interface Cutoff {
  value: number;
  expiresAt: number;
}

/** What a lookup answers for a login's record, and when it may be forgotten. */
interface Session {
  generation: number;
  refreshed: number;
  expiresAt: number;
}

interface Expiring {
  key: string;
  expiresAt: number;
  kind: 'r' | 'c' | 's';
}

const NOTHING: RevocationLookup = Object.freeze({ revoked: false, cutoff: undefined, session: undefined });

/**
 * A mirrored store's copy of what requests read: refused ids, cut-offs (by the user's digest, as Redis
 * keys them) and the records of live logins (generation and last refresh), each until its TTL, so it
 * holds only what is live. Changes merge whatever their order (the feed and the load of a resync
 * overlap): a refusal and a record keep the later expiry, a cut-off the later value, a record the later
 * generation, and a record of an ended login is not taken back. Ids and families are random, so they
 * are keyed without the user, as `MemoryRevocationStore` keys them.
 */
export class MirrorCopy {
  private readonly refused = new Map<string, number>();
  private readonly cutoffs = new Map<string, Cutoff>();
  private readonly sessions = new Map<string, Session>();
  private readonly expiries = new ExpiryHeap<Expiring>();

  constructor(private readonly clock: Clock) {}

  /** How many entries (refused ids, cut-offs, login records) are held. */
  get size(): number {
    this.purge();
    return this.refused.size + this.cutoffs.size + this.sessions.size;
  }

  /** Whether any user has a cut-off (only then is a request's user digested). */
  get hasCutoffs(): boolean {
    return this.cutoffs.size > 0;
  }

  /** Applies one change of the user whose digest is `digest`. */
  apply(digest: string, change: Change): void {
    this.purge();
    const now = this.clock();
    if (change.kind === 'r') this.refuse(change.id, now + change.ms);
    else if (change.kind === 'c') this.cutoff(digest, change.value, now + change.ms);
    else if (change.kind === 's') this.record(change, now + change.ms);
    else this.sessions.delete(change.family);
  }

  /** What a request reads (see `RevocationStore.lookup`); `digest` is the user's, or `undefined` with no cut-offs. */
  lookup(digest: string | undefined, id: string, family: string | undefined): RevocationLookup {
    this.purge();
    const revoked = this.refused.has(id) || (family !== undefined && this.refused.has(family));
    const cutoff = digest === undefined ? undefined : this.cutoffs.get(digest)?.value;
    const session = family === undefined ? undefined : this.sessions.get(family);
    if (!revoked && cutoff === undefined && session === undefined) return NOTHING;
    if (Number.isNaN(cutoff)) throw new MalformedStoreValueError('cut-off');
    if (session && Number.isNaN(session.generation)) throw new MalformedStoreValueError('session');
    return { revoked, cutoff, session };
  }

  private refuse(id: string, expiresAt: number): void {
    const earlier = this.refused.get(id);
    if (expiresAt <= this.clock() || (earlier !== undefined && earlier >= expiresAt)) return;
    this.refused.set(id, expiresAt);
    this.expiries.push({ key: id, expiresAt, kind: 'r' });
  }

  private cutoff(digest: string, value: number, expiresAt: number): void {
    const earlier = this.cutoffs.get(digest);
    if (expiresAt <= this.clock()) return;
    // NaN (malformed) compares false: it replaces what was there, and a cut-off written later replaces it.
    if (earlier && (earlier.value > value || (earlier.value === value && earlier.expiresAt >= expiresAt))) return;
    this.cutoffs.set(digest, { value, expiresAt });
    this.expiries.push({ key: digest, expiresAt, kind: 'c' });
  }

  private record(change: Extract<Change, { kind: 's' }>, expiresAt: number): void {
    const { family, generation, refreshed } = change;
    const earlier = this.sessions.get(family);
    if (expiresAt <= this.clock() || this.refused.has(family)) return;
    if (earlier && earlier.generation > generation) return;
    const keep = Math.max(earlier?.expiresAt ?? 0, expiresAt);
    this.sessions.set(family, { generation, refreshed, expiresAt: keep });
    if (keep !== earlier?.expiresAt) this.expiries.push({ key: family, expiresAt: keep, kind: 's' });
  }

  private purge(): void {
    const now = this.clock();
    if (this.expiries.nextExpiry > now) return;
    // An entry set again since has a later expiry of its own; only its last one removes it.
    for (const { key, expiresAt, kind } of this.expiries.popExpired(now)) {
      if (kind === 'r' && this.refused.get(key) === expiresAt) this.refused.delete(key);
      else if (kind === 'c' && this.cutoffs.get(key)?.expiresAt === expiresAt) this.cutoffs.delete(key);
      else if (kind === 's' && this.sessions.get(key)?.expiresAt === expiresAt) this.sessions.delete(key);
    }
  }
}
