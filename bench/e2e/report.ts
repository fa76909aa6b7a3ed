import { cvPct, markdownTable, max, median, min } from '../stats';
import type { EndToEndOptions, EndToEndResult, Paired } from './run';
import { RSA_POOL } from './tokens';
import { BASELINE, FLOOR, type Variant } from './variants';

/** One variant's numbers, each a median over rounds; ratios and added CPU are taken within each round. */
interface Row {
  variant: Variant;
  rps: number;
  ratio: number;
  ratioMin: number;
  ratioMax: number;
  cpuUs: number;
  addedCpuUs: number;
  gcUs: number;
  p99Ms: number;
  verdict: string;
  met: boolean;
}

const f = (value: number, digits: number) => value.toFixed(digits);

function rowOf(variant: Variant, pairs: Paired[]): Row {
  const samples = pairs.map((p) => p.sample);
  const ratios = pairs.map((p) => p.sample.rps / p.base.rps);
  const added = pairs.map((p) => p.sample.cpuUsPerRequest - p.base.cpuUsPerRequest);
  const ratio = median(ratios);
  const addedCpuUs = median(added);
  const { goal } = variant;
  let met = true;
  let verdict = '';
  if (goal) {
    met = ratio >= goal.minRatio && (goal.maxAddedCpuUs === undefined || addedCpuUs <= goal.maxAddedCpuUs);
    const cpuGoal = goal.maxAddedCpuUs === undefined ? '' : `, ≤ ${goal.maxAddedCpuUs} µs`;
    verdict = `${met ? 'met' : '**missed**'} (≥ ${goal.minRatio}×${cpuGoal})`;
  }
  return {
    variant,
    rps: median(samples.map((s) => s.rps)),
    ratio,
    ratioMin: min(ratios),
    ratioMax: max(ratios),
    cpuUs: median(samples.map((s) => s.cpuUsPerRequest)),
    addedCpuUs,
    gcUs: median(samples.map((s) => s.gcUsPerRequest)),
    p99Ms: median(samples.map((s) => s.p99Ms)),
    verdict,
    met,
  };
}

/**
 * The library's rows measured against the floor (routing-controllers' own hooks, doing
 * nothing) rather than against no auth: what the library itself adds.
 */
function beyondFloor(rows: Row[]): string[] {
  const floor = rows.find((r) => r.variant === FLOOR);
  const library = rows.filter((r) => r.variant !== FLOOR && r.variant !== BASELINE);
  if (!floor || !library.length) return [];
  return [
    `Against the floor (routing-controllers' own hooks, no library: ${f(floor.ratio, 2)}× no-auth, ` +
      `+${f(floor.addedCpuUs, 1)} µs/req), the library's rows run at:`,
    '',
    ...library.map(
      (r) =>
        `- ${r.variant.label}: ${f(r.ratio / floor.ratio, 2)}× the floor's req/s, ` +
        `+${f(r.addedCpuUs - floor.addedCpuUs, 1)} µs/req beyond it;`,
    ),
    '',
  ];
}

/** The report's text, and how many goals were missed. */
export function reportEndToEnd(result: EndToEndResult, options: EndToEndOptions): { text: string; missed: number } {
  const base = (result.samples.get(BASELINE.id) ?? []).map((p) => p.sample);
  const rows = options.variants.map((v) => rowOf(v, result.samples.get(v.id) ?? []));
  const ratios = markdownTable(
    ['server', '× no-auth req/s', 'spread', 'added CPU µs/req', 'goal'],
    rows.map((r) => [
      r.variant.label,
      f(r.ratio, 2),
      `${f(r.ratioMin, 2)}–${f(r.ratioMax, 2)}`,
      r.variant === BASELINE ? '0' : f(r.addedCpuUs, 1),
      r.verdict,
    ]),
  );
  const details = markdownTable(
    ['server', 'req/s', 'CPU µs/req', 'GC µs/req', 'p99 ms', 'heap after GC, MB'],
    rows.map((r) => [
      r.variant.label,
      f(r.rps, 0),
      f(r.cpuUs, 1),
      f(r.gcUs, 1),
      f(r.p99Ms, 1),
      f(result.heapMb.get(r.variant.id) ?? Number.NaN, 1),
    ]),
  );
  const all = [...result.samples.values()].flat().map((p) => p.sample);
  const other = all.map((s) => s.otherCpuPct).filter((p) => p >= 0);
  const inline = all.reduce((n, s) => n + s.mintedInline, 0);
  const noise = [
    'How noisy the run was:',
    '',
    `- no-auth req/s varied ${f(cvPct(base.map((s) => s.rps)), 1)}% (coefficient of variation) over the rounds;`,
    `- the widest ratio spread was ${f(max(rows.map((r) => r.ratioMax - r.ratioMin)), 2)};`,
    other.length
      ? `- other processes used ${f(median(other), 0)}% (median; max ${f(max(other), 0)}%) of the server's CPU during the runs;`
      : '- CPU use by other processes is unknown here (no /proc/stat);',
    `- the load generator used at most ${f(max(all.map((s) => s.loaderCpuPct)), 0)}% of its CPU` +
      (inline ? `, and minted ${inline} tokens during runs.` : '.'),
  ];
  const pinning = result.pinned
    ? `server on CPU ${result.pinned.server}, load generator on CPU ${result.pinned.loader} (taskset)`
    : 'no taskset: server and load generator not pinned';
  const text = [
    `## End to end: GET /me with @LoggedIn() + @User(), over HTTP`,
    '',
    `${options.rounds} interleaved rounds × ${options.seconds} s per server, ${options.connections} connections, ` +
      `autocannon; ${pinning}; Node ${process.version}. Each figure is the median over the rounds; a variant's ratio and added CPU ` +
      `compare it with the no-auth runs just before and after it; spread is the lowest and highest of those ratios. RS256 distinct cycles ` +
      `${RSA_POOL} tokens (RS256 signing is too slow to mint one per request).`,
    '',
    ratios,
    '',
    details,
    '',
    ...beyondFloor(rows),
    ...noise,
  ].join('\n');
  return { text, missed: rows.filter((r) => !r.met).length };
}
