/** A lifetime: whole seconds, or a string such as `'90s'`, `'15m'`, `'12h'`, `'30d'`, `'2w'`. */
export type Duration = number | string;

const SECONDS_PER_UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };
const DURATION = /^(\d{1,9})\s*([smhdw])$/;

/**
 * Seconds in `value`, or `undefined` when it is not a positive whole duration.
 * A unit-less string is refused: `'900'` would be seconds here but milliseconds
 * to jsonwebtoken, and a lifetime should not depend on who reads it.
 */
export function durationSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = DURATION.exec(value.trim());
  if (!match) return undefined;
  const seconds = Number(match[1]) * (SECONDS_PER_UNIT[match[2] as string] as number);
  return seconds > 0 ? seconds : undefined;
}

export const DURATION_HINT = "a positive number of seconds or a string like '15m', '12h' or '30d'";
