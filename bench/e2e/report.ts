import { cvPct, type Interval, markdownTable, max, median, medianInterval } from '../stats';
import type { Sample } from './measure';
import type { EndToEndOptions, EndToEndResult, Pair, RowResult } from './run';
import { CONTROL, CONTROL_LIMIT_US, CONTROL_MIN_BLOCKS, CONTROL_SPREAD_US, type Goal, RSA_POOL } from './variants';

/** A row's paired differences, each against the mean of the no-auth blocks on either side. */
interface Differences {
  added: number[];
  ratios: number[];
}

function differences(pairs: readonly Pair[]): Differences {
  const mean = (pair: Pair, key: keyof Sample) => (pair.before[key] + pair.after[key]) / 2;
  return {
    added: pairs.map((p) => p.sample.cpuUs - mean(p, 'cpuUs')),
    ratios: pairs.map((p) => p.sample.rps / mean(p, 'rps')),
  };
}

interface Row {
  result: RowResult;
  added: number;
  addedCi: Interval;
  ratio: number;
  ratioCi: Interval;
}

function rowOf(result: RowResult): Row {
  const { added, ratios } = differences(result.pairs);
  return {
    result,
    added: median(added),
    addedCi: medianInterval(added),
    ratio: median(ratios),
    ratioCi: medianInterval(ratios),
  };
}

/** `too noisy`: the control's own verdict when it is beyond its limit (never a missed goal). */
export type Verdict = 'met' | 'missed' | 'not judged' | 'too noisy';

/** One goal and how the run did, for the summary at the end of the bench. */
export interface GoalLine {
  name: string;
  verdict: Verdict;
}

/** What the row's goal asks and whether the row meets it, `undefined` for a row without one. */
function judge(row: Row, goal: Goal | undefined, noisy: boolean): { criteria: string; verdict: Verdict } | undefined {
  const { result } = row;
  if (result.variant === CONTROL) {
    return { criteria: `within ±${CONTROL_LIMIT_US} µs`, verdict: noisy ? 'too noisy' : 'met' };
  }
  if (!goal) return undefined;
  const parts: string[] = [];
  let met = true;
  if (goal.maxAddedUs !== undefined) {
    parts.push(`≤ +${goal.maxAddedUs} µs`);
    met &&= row.added <= goal.maxAddedUs;
  }
  if (goal.overVerifyUs !== undefined) {
    const limit = (result.verifyUs ?? Number.NaN) + goal.overVerifyUs;
    parts.push(`≤ verify + ${goal.overVerifyUs} = +${f(limit, 1)} µs`);
    met &&= row.added <= limit;
  }
  if (goal.minRatio !== undefined) {
    parts.push(`≥ ${goal.minRatio}×`);
    met &&= row.ratio >= goal.minRatio;
  }
  return { criteria: parts.join(', '), verdict: noisy ? 'not judged' : met ? 'met' : 'missed' };
}

/** How each verdict reads in a report. */
export const WORDS: Record<Verdict, string> = {
  met: 'met',
  missed: '**missed**',
  'not judged': 'not judged, too noisy',
  'too noisy': '**beyond: too noisy to judge**',
};

const f = (value: number, digits: number) => value.toFixed(digits);
const signed = (value: number, digits: number) => `${value >= 0 ? '+' : '−'}${f(Math.abs(value), digits)}`;
const interval = (value: number, ci: Interval, digits: number, sign: boolean) => {
  const g = sign ? signed : f;
  return `${g(value, digits)} (${g(ci.low, digits)} to ${g(ci.high, digits)})`;
};

function mainTable(rows: Row[], noisy: boolean): { table: string; goals: GoalLine[] } {
  const goals: GoalLine[] = [];
  const ran = rows.filter((row) => !row.result.skipped);
  const ci = `${Math.floor(Math.min(...ran.map((row) => row.addedCi.coverage)) * 100)}% CI`;
  const table = markdownTable(
    ['server', `Δ CPU µs/request (${ci})`, `× no-auth req/s (${ci})`, 'crypto.verify alone, µs', 'goal'],
    rows.map((row) => {
      const { variant, skipped, verifyUs } = row.result;
      if (skipped) return [variant.label, `skipped: ${skipped}`, '', '', ''];
      const judged = judge(row, variant.goal, noisy);
      if (judged) goals.push({ name: `${variant.label} (${judged.criteria})`, verdict: judged.verdict });
      return [
        variant.label,
        interval(row.added, row.addedCi, 1, true),
        interval(row.ratio, row.ratioCi, 2, false),
        verifyUs === undefined ? '' : f(verifyUs, 1),
        judged ? `${WORDS[judged.verdict]} (${judged.criteria})` : '',
      ];
    }),
  );
  return { table, goals };
}

function detailsTable(rows: Row[]): string {
  const head = ['server', 'no-auth CPU µs/req', 'its CPU µs/req', 'its GC pauses µs/req', 'its req/s'];
  return markdownTable(
    [...head, 'its heap after GC, MB', 'blocks'],
    rows
      .filter((row) => !row.result.skipped)
      .map(({ result }) => {
        const samples = result.pairs.map((p) => p.sample);
        const base = result.pairs.flatMap((p) => [p.before, p.after]);
        const mid = (values: Sample[], key: keyof Sample, digits: number) =>
          f(median(values.map((s) => s[key])), digits);
        return [
          result.variant.label,
          mid(base, 'cpuUs', 1),
          mid(samples, 'cpuUs', 1),
          mid(samples, 'gcUs', 1),
          mid(samples, 'rps', 0),
          f(result.heapMb, 1),
          String(samples.length),
        ];
      }),
  );
}

/** How the rows were measured, for the reader of the table. */
function method(result: EndToEndResult, options: EndToEndOptions): string {
  const pinning = result.pinned
    ? `servers on CPU ${result.pinned.server}, wrk and the bench itself on CPU ${result.pinned.loader} (taskset)`
    : 'no taskset: servers and wrk not pinned';
  const flags = options.nodeFlags.join(' ') || '(no flags)';
  const reducer = options.nodeFlags.includes('--no-memory-reducer')
    ? ' (V8 then never shrinks an idle heap, which charges the seconds after an idle time to whatever runs next; ' +
      'under load it changes nothing)'
    : '';
  return (
    'Each row runs its own server; it and the no-auth server take turns in blocks (no-auth, row, no-auth, …, no-auth: ' +
    `${options.rounds} timed blocks of the row), each block ${options.warmSeconds} s of untimed load then a timed ` +
    `${options.seconds} s window on the same connections; a row's server gets ${options.startWarmSeconds} s of load ` +
    "when it starts. Δ is the server's own CPU time (`process.cpuUsage()`, every thread) per request in a window " +
    "minus the mean of the no-auth windows on either side; a row's Δ and req/s ratio are the medians of its blocks, " +
    'with the distribution-free interval of the median from order statistics (its coverage in the column heads). ' +
    `wrk -t1 -c${options.connections}; ${pinning}; servers run \`node ${flags}\`${reducer}; Node ${process.version}. ` +
    "Distinct tokens are minted before each block and never sent twice, except RS256's, " +
    `a pool of ${RSA_POOL} cycled in order (RS256 signing is too slow to mint one per request). The control row is a ` +
    `second no-auth server, measured first and last: a run whose control is beyond ±${CONTROL_LIMIT_US} µs, or whose ` +
    `control interval reaches beyond ±${CONTROL_SPREAD_US} µs, is too noisy to judge.`
  );
}

function noise(result: EndToEndResult): string[] {
  const ran = result.rows.filter((r) => !r.skipped);
  const blocks = ran.flatMap((r) => r.pairs.flatMap((p) => [p.sample, p.before, p.after]));
  const base = ran.flatMap((r) => r.pairs.flatMap((p) => [p.before, p.after]));
  const other = blocks.map((s) => s.otherCpuPct).filter((p) => p >= 0);
  const loader = blocks.map((s) => s.loaderBusyPct).filter((p) => p >= 0);
  const reused = blocks.reduce((n, s) => n + s.reused, 0);
  const halves = result.controls.map((c) => signed(median(differences(c.pairs).added), 1));
  const widest = max(ran.map((r) => medianInterval(differences(r.pairs).added)).map((ci) => ci.high - ci.low));
  return [
    'How noisy the run was:',
    '',
    `- the control row: ${halves.join(' µs first, ')} µs${halves.length > 1 ? ' last' : ''} (median Δ of each half);`,
    `- no-auth CPU per request: median ${f(median(base.map((s) => s.cpuUs)), 1)} µs, varying ` +
      `${f(cvPct(base.map((s) => s.cpuUs)), 1)}% (coefficient of variation) over all its blocks;`,
    `- the widest interval of a row's Δ: ${f(widest, 1)} µs;`,
    other.length
      ? `- other processes took ${f(median(other), 1)}% (median; max ${f(max(other), 1)}%) of the server's CPU in the windows;`
      : '- CPU use by other processes is unknown here (no /proc/stat);',
    loader.length
      ? `- the load generator's CPU was ${f(median(loader), 0)}% busy (median; max ${f(max(loader), 0)}%);`
      : '- the load generator CPU use is unknown here;',
    reused
      ? `- **${reused} requests reused a token of their row** (a fresh file ran short): distinct rows are flattered.`
      : '- no distinct token was sent twice.',
  ];
}

/** Why the run is too noisy to judge, from its control row; undefined when it is not. */
function tooNoisy(control: Row): string | undefined {
  const blocks = control.result.pairs.length;
  if (blocks < CONTROL_MIN_BLOCKS) return `the control row has ${blocks} blocks, fewer than ${CONTROL_MIN_BLOCKS}`;
  if (!(Math.abs(control.added) <= CONTROL_LIMIT_US)) return `the control row is beyond ±${CONTROL_LIMIT_US} µs`;
  const { low, high } = control.addedCi;
  if (low < -CONTROL_SPREAD_US || high > CONTROL_SPREAD_US) {
    return `the control row's interval reaches beyond ±${CONTROL_SPREAD_US} µs`;
  }
  return undefined;
}

/** The report's text, its goals, and whether the run was too noisy to judge. */
export function reportEndToEnd(
  result: EndToEndResult,
  options: EndToEndOptions,
): { text: string; goals: GoalLine[]; noisy: boolean } {
  const rows = result.rows.map((r) => (r.skipped ? ({ result: r } as Row) : rowOf(r)));
  const control = rows.find((r) => r.result.variant === CONTROL);
  const why = control ? tooNoisy(control) : 'there is no control row';
  const noisy = why !== undefined;
  const { table, goals } = mainTable(rows, noisy);
  const warning = `**Too noisy to judge**: ${why}, so no row's goal is judged.`;
  const text = [
    '## End to end: GET /me over HTTP, each row paired with no auth',
    '',
    method(result, options),
    '',
    table,
    '',
    ...(noisy ? [warning, ''] : []),
    detailsTable(rows),
    '',
    ...noise(result),
  ].join('\n');
  return { text, goals, noisy };
}
