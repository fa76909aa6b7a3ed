import type { RevocationLookup, RotationOutcome, SessionRecord } from './store';

/**
 * A value read from a store that is not what a store writes (a cut-off of `"-Infinity"`, a
 * generation of `"x"`, `undefined` for a boolean): the store cannot be trusted, so it is an
 * outage (503), never "not revoked". Its message names the kind of value, never a key or a value.
 */
export class MalformedStoreValueError extends Error {
  constructor(what: string) {
    super(`a ${what} read from the revocation store is malformed`);
    this.name = 'MalformedStoreValueError';
  }
}

const malformed = (what: string): never => {
  throw new MalformedStoreValueError(what);
};

const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isGeneration = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** The answer of any store's `lookup`, checked. */
export function checkedLookup(answer: RevocationLookup): RevocationLookup {
  if (typeof answer !== 'object' || answer === null || typeof answer.revoked !== 'boolean') malformed('revocation');
  if (answer.cutoff !== undefined && !isTime(answer.cutoff)) malformed('cut-off');
  const { session } = answer;
  if (session !== undefined && !(isGeneration(session?.generation) && isTime(session.refreshed))) malformed('session');
  return answer;
}

/** The answer of any store's `rotate`, checked. */
export function checkedRotation(answer: RotationOutcome): RotationOutcome {
  const outcome = answer?.outcome;
  if (outcome === 'reused' || outcome === 'ended') return answer;
  if ((outcome === 'rotated' || outcome === 'grace') && isGeneration(answer.generation)) return answer;
  return malformed('rotation outcome');
}

/** The answer of any store's `sessions`, checked. */
export function checkedSessions(answer: SessionRecord[]): SessionRecord[] {
  if (!Array.isArray(answer)) malformed('session list');
  for (const session of answer) {
    const { id, started, refreshed, generation, label } = session ?? ({} as SessionRecord);
    if (typeof id !== 'string' || !isTime(started) || !isTime(refreshed) || !isGeneration(generation)) {
      malformed('session');
    }
    if (label !== undefined && typeof label !== 'string') malformed('session label');
  }
  return answer;
}

/** The answer of any store's `startSession`: the ids it ended (none when it answers nothing), checked. */
export function checkedEnded(answer: unknown): string[] {
  if (answer === undefined) return [];
  if (!Array.isArray(answer) || !answer.every((id) => typeof id === 'string')) return malformed('ended sessions');
  return answer;
}

// What Redis answers: strings, or null for a key that is not there.

/** `START`'s reply: the families it ended. */
export const parseEnded = (reply: unknown): string[] => checkedEnded(reply);

/** A whole number as `RedisRevocationStore` writes it. */
function integer(value: unknown, what: string): number {
  return typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : malformed(what);
}

/** A refused id is `"1"`; anything else there is not ours. */
function refused(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  return value === '1' ? true : malformed('revocation');
}

/** `LOOKUP`'s reply: [refused id, cut-off, refused family, generation, refreshed]. */
export function parseLookup(reply: unknown): RevocationLookup {
  if (!Array.isArray(reply)) return malformed('lookup');
  const [id, cut, family, generation, refreshed] = reply as unknown[];
  const revoked = refused(id) || refused(family);
  const cutoff = cut === null || cut === undefined ? undefined : integer(cut, 'cut-off');
  const absent = (generation === null || generation === undefined) && (refreshed === null || refreshed === undefined);
  const session = absent
    ? undefined
    : { generation: integer(generation, 'session'), refreshed: integer(refreshed, 'session') };
  return { revoked, cutoff, session };
}

/** `ROTATE`'s reply: [outcome, generation?]. */
export function parseRotation(reply: unknown): RotationOutcome {
  const [outcome, generation] = Array.isArray(reply) ? (reply as unknown[]) : [];
  if (outcome === 'reused' || outcome === 'ended') return { outcome };
  if ((outcome === 'rotated' || outcome === 'grace') && isGeneration(generation)) return { outcome, generation };
  return malformed('rotation outcome');
}

/** `SESSIONS`' reply: [id, started, refreshed, generation, label or null, ...]. */
export function parseSessions(reply: unknown): SessionRecord[] {
  if (!Array.isArray(reply) || reply.length % 5 !== 0) return malformed('session list');
  const sessions: SessionRecord[] = [];
  for (let i = 0; i < reply.length; i += 5) {
    const [id, started, refreshed, generation, label] = reply.slice(i, i + 5) as unknown[];
    if (typeof id !== 'string' || (label !== null && typeof label !== 'string')) malformed('session');
    const session: SessionRecord = {
      id: id as string,
      started: integer(started, 'session'),
      refreshed: integer(refreshed, 'session'),
      generation: integer(generation, 'session'),
    };
    if (typeof label === 'string') session.label = label;
    sessions.push(session);
  }
  return sessions;
}
