/** Small statistics for bench reports. */

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export const min = (values: readonly number[]): number => Math.min(...values);
export const max = (values: readonly number[]): number => Math.max(...values);

/** Coefficient of variation: standard deviation over mean, as a percentage. */
export function cvPct(values: readonly number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
  return (Math.sqrt(variance) / mean) * 100;
}

/** A confidence interval and the probability that it holds the true value. */
export interface Interval {
  low: number;
  high: number;
  /** 0 to 1: exact for the order-statistics interval of the median, whatever the distribution. */
  coverage: number;
}

/** P(X ≤ k) for X ~ Binomial(n, 1/2). */
function binomialCdfHalf(n: number, k: number): number {
  let term = 0.5 ** n;
  let sum = 0;
  for (let j = 0; j <= k; j += 1) {
    sum += term;
    term *= (n - j) / (j + 1);
  }
  return sum;
}

/**
 * The distribution-free confidence interval of the median from order statistics: the
 * narrowest [x(k), x(n−k+1)] whose coverage, 1 − 2·P(Binomial(n, ½) < k), is at least
 * `level`. With too few values for `level` it is [min, max] with the coverage it has
 * (five values: 94%). No assumption about the shape of the noise, which on a shared machine is not normal.
 */
export function medianInterval(values: readonly number[], level = 0.95): Interval {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { low: Number.NaN, high: Number.NaN, coverage: 0 };
  let k = 1;
  while (k + 1 <= n / 2 && 1 - 2 * binomialCdfHalf(n, k) >= level) k += 1;
  return { low: sorted[k - 1] as number, high: sorted[n - k] as number, coverage: 1 - 2 * binomialCdfHalf(n, k - 1) };
}

/** A markdown table, columns padded so it reads in a terminal and pastes into a README as is. */
export function markdownTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
