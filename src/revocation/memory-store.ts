import { MemoryReplayCache } from '../dpop/replay';
import type { Clock } from '../shared/clock';
import { ExpiryHeap } from '../shared/expiry-heap';
import { checkStoreOptions, isClock } from '../shared/store-options';
import { rotationStep } from './rotation-rule';
import type { RevocationLookup, RevocationStore, RotationOutcome, RotationRequest, SessionRecord } from './store';

/** A live login: its record, and when it may be forgotten. */
interface Live extends Omit<SessionRecord, 'id'> {
  expiresAt: number;
}

/** One entry of the expiry heap: a refused id, a user's cut-off, or a session (`sub` set). */
interface Expiring {
  key: string;
  expiresAt: number;
  kind: 'refused' | 'cutoff' | 'session';
  sub?: string;
}

/** The answer for a token nobody revoked, shared: the common case allocates nothing. */
const NOTHING: RevocationLookup = Object.freeze({ revoked: false, cutoff: undefined, session: undefined });
const ENDED: RotationOutcome = Object.freeze({ outcome: 'ended' });
const REUSED: RotationOutcome = Object.freeze({ outcome: 'reused' });

/**
 * Revocations and logins in this process's memory: right for one server (behind a load
 * balancer, use `RedisRevocationStore`). Entries leave at the first operation after they
 * expire, earliest first, so memory holds only what is still alive: refused ids and cut-offs
 * until the tokens they refuse expire, one record per live login however often it refreshes,
 * at most `limit` logins per user. It answers synchronously (no promises), and each operation
 * runs to its end before another starts, which is what makes `rotate` atomic.
 */
export class MemoryRevocationStore implements RevocationStore {
  private readonly refused = new Map<string, number>();
  private readonly cutoffs = new Map<string, { value: number; expiresAt: number }>();
  /** Per user, their live logins, least recently refreshed first (a Map keeps insertion order). */
  private readonly users = new Map<string, Map<string, Live>>();
  private sessionCount = 0;
  private readonly expiries = new ExpiryHeap<Expiring>();
  /** Used DPoP proofs: bounded (100 000, the oldest out first), as many as a server accepts in minutes. */
  private readonly proofs = new MemoryReplayCache();
  private readonly clock: Clock;

  /**
   * `clock`: milliseconds since the epoch; give the manager's when you freeze time in tests. Throws a
   * `LoginConfigurationError` for an unknown option or a clock that is not a function.
   */
  constructor(options: { clock?: Clock } = {}) {
    checkStoreOptions('MemoryRevocationStore', options, { clock: isClock });
    this.clock = options.clock ?? Date.now;
  }

  /** How many entries (refused ids, cut-offs, live logins) are held. */
  get size(): number {
    this.purge();
    return this.refused.size + this.cutoffs.size + this.sessionCount;
  }

  revoke(_sub: string, id: string, expiresAt: number): void {
    this.purge();
    this.refuse(id, expiresAt);
  }

  /** Synchronous, so the manager needs no promise or timer for a request. */
  lookup(sub: string, id: string, family: string | undefined): RevocationLookup {
    this.purge();
    const revoked = this.refused.has(id) || (family !== undefined && this.refused.has(family));
    const cutoff = this.cutoffs.get(sub)?.value;
    const session = family === undefined ? undefined : this.users.get(sub)?.get(family);
    return revoked || cutoff !== undefined || session !== undefined ? { revoked, cutoff, session } : NOTHING;
  }

  revokeAll(sub: string, cutoff: number, expiresAt: number, endedUntil: number): void {
    this.purge();
    const earlier = this.cutoffs.get(sub);
    if (expiresAt > this.clock() && !(earlier && earlier.value >= cutoff)) {
      this.cutoffs.set(sub, { value: cutoff, expiresAt });
      this.expiries.push({ key: sub, expiresAt, kind: 'cutoff' });
    }
    for (const family of [...(this.users.get(sub)?.keys() ?? [])]) this.end(sub, family, endedUntil);
  }

  /** The ids of the logins it ended to stay within `limit`. */
  startSession(sub: string, session: SessionRecord, keepUntil: number, limit: number, endedUntil: number): string[] {
    this.purge();
    if (this.refused.has(session.id)) return [];
    const { id, ...record } = session;
    this.keep(sub, id, { ...record, expiresAt: 0 }, keepUntil);
    return this.trim(sub, limit, endedUntil);
  }

  /** DPoP: whether proof `id` is used for the first time; synchronous, so atomic in one process. */
  firstUse(id: string, expiresAt: number): boolean {
    return this.proofs.firstUse(id, expiresAt, this.clock());
  }

  rotate(sub: string, request: RotationRequest): RotationOutcome {
    this.purge();
    const { family, generation, now, keepUntil } = request;
    if (this.refused.has(family)) return ENDED;
    const session = this.users.get(sub)?.get(family);
    switch (rotationStep(session, generation, now, request.graceMs)) {
      case 'adopt':
        this.keep(sub, family, { started: now, refreshed: now, generation: generation + 1, expiresAt: 0 }, keepUntil);
        this.trim(sub, request.limit, request.endedUntil);
        return { outcome: 'rotated', generation: generation + 1 };
      case 'rotate': {
        const live = session as Live;
        this.keep(sub, family, { ...live, refreshed: now, generation: live.generation + 1 }, keepUntil);
        return { outcome: 'rotated', generation: live.generation + 1 };
      }
      case 'grace':
        return { outcome: 'grace', generation: (session as Live).generation };
      default:
        this.end(sub, family, request.endedUntil);
        return REUSED;
    }
  }

  endSession(sub: string, family: string, endedUntil: number): void {
    this.purge();
    this.end(sub, family, endedUntil);
  }

  sessions(sub: string): SessionRecord[] {
    this.purge();
    return [...(this.users.get(sub) ?? [])].map(([id, { started, refreshed, generation, label }]) =>
      label === undefined ? { id, started, refreshed, generation } : { id, started, refreshed, generation, label },
    );
  }

  /** Sets a login's record (as the user's most recent), kept until the later of its expiry and `keepUntil`. */
  private keep(sub: string, family: string, live: Live, keepUntil: number): void {
    let logins = this.users.get(sub);
    if (!logins) {
      logins = new Map();
      this.users.set(sub, logins);
    }
    const before = logins.get(family);
    if (before) logins.delete(family);
    else this.sessionCount += 1;
    const expiresAt = Math.max(before?.expiresAt ?? 0, keepUntil);
    logins.set(family, { ...live, expiresAt });
    // Only a later expiry is a new heap entry: rotations (same exp) add none.
    if (expiresAt !== before?.expiresAt) this.expiries.push({ key: family, expiresAt, kind: 'session', sub });
  }

  /** Ends the least recently refreshed logins of `sub` beyond `limit`; answers their ids. */
  private trim(sub: string, limit: number, endedUntil: number): string[] {
    const logins = this.users.get(sub);
    const ended: string[] = [];
    while (logins && logins.size > limit) {
      const oldest = logins.keys().next().value as string;
      this.end(sub, oldest, endedUntil);
      ended.push(oldest);
    }
    return ended;
  }

  private end(sub: string, family: string, endedUntil: number): void {
    const logins = this.users.get(sub);
    if (logins?.delete(family)) {
      this.sessionCount -= 1;
      if (logins.size === 0) this.users.delete(sub);
    }
    this.refuse(family, endedUntil);
  }

  private refuse(id: string, expiresAt: number): void {
    const earlier = this.refused.get(id);
    if (expiresAt <= this.clock() || (earlier !== undefined && earlier >= expiresAt)) return;
    this.refused.set(id, expiresAt);
    this.expiries.push({ key: id, expiresAt, kind: 'refused' });
  }

  private purge(): void {
    const now = this.clock();
    if (this.expiries.nextExpiry > now) return;
    // An entry set again since has a later expiry of its own; only its last one removes it.
    for (const { key, expiresAt, kind, sub } of this.expiries.popExpired(now)) {
      if (kind === 'refused' && this.refused.get(key) === expiresAt) this.refused.delete(key);
      else if (kind === 'cutoff' && this.cutoffs.get(key)?.expiresAt === expiresAt) this.cutoffs.delete(key);
      else if (kind === 'session') this.forget(sub as string, key, expiresAt);
    }
  }

  private forget(sub: string, family: string, expiresAt: number): void {
    const logins = this.users.get(sub);
    if (logins?.get(family)?.expiresAt !== expiresAt) return;
    logins.delete(family);
    this.sessionCount -= 1;
    if (logins.size === 0) this.users.delete(sub);
  }
}
