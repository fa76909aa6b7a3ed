/** What one server of the end-to-end bench runs, and how the load generator calls it. */
export interface Variant {
  /** Short id, used on the command line (`BENCH_VARIANTS`, `BENCH_PROFILE`). */
  id: string;
  /** Row label in the table. */
  label: string;
  /**
   * `none`: routing-controllers without the library, the baseline. `floor`: routing-controllers
   * with a checker that allows everything and a parameter decorator that returns the user,
   * no library: what any login hook costs in routing-controllers before a token is read.
   */
  source: 'none' | 'floor' | 'header' | 'cookie';
  algorithm: 'HS256' | 'RS256' | 'ES256';
  /** `repeated`: one token for every request; `distinct`: a new token for every request. */
  tokens: 'repeated' | 'distinct';
  /** The issue 8 goal for this row, if it has one. */
  goal?: { minRatio: number; maxAddedCpuUs?: number };
}

const variant = (
  source: 'header' | 'cookie',
  algorithm: Variant['algorithm'],
  tokens: Variant['tokens'],
  goal?: Variant['goal'],
): Variant => ({
  id: `${source}-${algorithm.toLowerCase()}-${tokens}`,
  label: `${source} ${algorithm}, ${tokens === 'repeated' ? 'repeated token' : 'distinct tokens'}`,
  source,
  algorithm,
  tokens,
  goal,
});

export const BASELINE: Variant = {
  id: 'none',
  label: 'routing-controllers, no auth',
  source: 'none',
  algorithm: 'HS256',
  tokens: 'repeated',
};

export const FLOOR: Variant = {
  id: 'floor',
  label: 'routing-controllers, no-op auth hooks',
  source: 'floor',
  algorithm: 'HS256',
  tokens: 'repeated',
};

/** Every variant; the baseline first. Goals from issue 8. */
export const VARIANTS: readonly Variant[] = [
  BASELINE,
  FLOOR,
  variant('header', 'HS256', 'repeated', { minRatio: 0.95, maxAddedCpuUs: 10 }),
  variant('header', 'HS256', 'distinct', { minRatio: 0.85 }),
  variant('cookie', 'HS256', 'repeated', { minRatio: 0.93 }),
  variant('cookie', 'HS256', 'distinct'),
  variant('header', 'RS256', 'repeated', { minRatio: 0.93 }),
  variant('header', 'RS256', 'distinct'),
  variant('header', 'ES256', 'repeated', { minRatio: 0.93 }),
  variant('header', 'ES256', 'distinct'),
];

export function variantById(id: string): Variant {
  const found = VARIANTS.find((v) => v.id === id);
  if (!found) throw new Error(`unknown variant ${id}; the variants are ${VARIANTS.map((v) => v.id).join(', ')}`);
  return found;
}
