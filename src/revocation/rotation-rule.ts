import type { SessionRecord } from './store';

/** What a refresh with a token of `generation` does to its family (see `RevocationStore.rotate`). */
export type RotationStep = 'adopt' | 'rotate' | 'grace' | 'reuse';

/**
 * The rule every store applies, and the request path reads ahead of it: the current generation
 * rotates; the previous one, within `graceMs` of that rotation, gets a sibling of the current
 * one and changes nothing (two tabs, a retry); anything else was used already, so it is reuse.
 * A family without a record is adopted.
 */
export function rotationStep(
  session: Pick<SessionRecord, 'generation' | 'refreshed'> | undefined,
  generation: number,
  now: number,
  graceMs: number,
): RotationStep {
  if (session === undefined) return 'adopt';
  if (generation === session.generation) return 'rotate';
  if (generation === session.generation - 1 && now - session.refreshed < graceMs) return 'grace';
  return 'reuse';
}
