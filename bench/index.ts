/**
 * npm run bench: what the library adds to a request end to end (routing-controllers with
 * and without it, over HTTP, each row paired with no auth; see e2e/run.ts), the million-token
 * memory check, and the in-process micro-bench. Prints markdown, then every goal as met,
 * missed or not judged. A run whose control row (no auth against a copy of itself) is beyond
 * ±1.5 µs, or whose control interval reaches beyond ±5 µs, or that has fewer than 6 control
 * blocks (BENCH_ROUNDS under 3), is too noisy to judge: its timing goals are "not judged", and
 * it exits 1 only when a goal that was judged is missed (memory goals are judged whatever the noise).
 * Timing lives here, never in tests.
 *
 * Environment (defaults in brackets):
 * - BENCH_ROUNDS [10]: timed blocks per row (the no-auth server runs one more around them).
 * - BENCH_SECONDS [2]: the timed window of a block, s.
 * - BENCH_WARMUP [1]: untimed load on the same server immediately before each timed window, s.
 * - BENCH_START_WARMUP [3]: untimed load on a row's freshly started server (and on no-auth) before its blocks, s.
 * - BENCH_CONNECTIONS [32]: wrk's connections.
 * - BENCH_NODE_FLAGS [--no-memory-reducer]: node flags of every server, space-separated ('' for none).
 * - BENCH_VARIANTS [all]: row ids, comma-separated (`control` always runs, first and last).
 * - BENCH_RSA_POOL [20000]: the tokens RS256's distinct row cycles through.
 * - BENCH_WRK [wrk]: the wrk binary.
 * - BENCH_REDIS_SERVER [redis-server]: the binary of the Redis rows' throwaway server (rows skipped without it).
 * - BENCH_HEAP_TOKENS [1000000; 0 skips]: tokens of the memory check.
 * - BENCH_SECTIONS [e2e,heap,micro]: the sections to run.
 * - BENCH_JSON [none]: a file to write every block's raw readings to (JSON), to look at or re-analyse.
 * - BENCH_PROFILE [none]: row ids (`none` for the no-auth server), comma-separated: their servers are
 *   CPU-profiled over their blocks into bench-profiles/; `npm run bench:profile` compares them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type GoalLine, reportEndToEnd, WORDS } from './e2e/report';
import { runEndToEnd } from './e2e/run';
import { CONTROL, VARIANTS, variantById } from './e2e/variants';
import { heapSection } from './heap-report';
import { runMicro } from './micro';

const env = process.env;
const num = (name: string, fallback: number) => (env[name] === undefined ? fallback : Number(env[name]));
const sections = new Set((env.BENCH_SECTIONS ?? 'e2e,heap,micro').split(','));

function chosenVariants() {
  if (!env.BENCH_VARIANTS) return VARIANTS;
  const ids = env.BENCH_VARIANTS.split(',').filter((id) => id && id !== CONTROL.id);
  return [CONTROL, ...ids.map(variantById)];
}

async function main(): Promise<void> {
  const texts: string[] = [];
  const goals: GoalLine[] = [];
  let noisy = false;
  if (sections.has('e2e')) {
    const options = {
      variants: chosenVariants(),
      rounds: num('BENCH_ROUNDS', 10),
      seconds: num('BENCH_SECONDS', 2),
      warmSeconds: num('BENCH_WARMUP', 1),
      startWarmSeconds: num('BENCH_START_WARMUP', 3),
      connections: num('BENCH_CONNECTIONS', 32),
      nodeFlags: (env.BENCH_NODE_FLAGS ?? '--no-memory-reducer').split(' ').filter(Boolean),
      profile: env.BENCH_PROFILE,
      profileDir: join(process.cwd(), 'bench-profiles'),
    };
    const result = await runEndToEnd(options);
    if (env.BENCH_JSON) writeFileSync(env.BENCH_JSON, JSON.stringify({ options, ...result }, null, 1));
    const report = reportEndToEnd(result, options);
    texts.push(report.text);
    goals.push(...report.goals);
    noisy = report.noisy;
  }
  const heapTokens = num('BENCH_HEAP_TOKENS', 1_000_000);
  for (const part of [
    sections.has('heap') && heapTokens > 0 ? () => heapSection(heapTokens) : undefined,
    sections.has('micro') ? () => runMicro(!noisy) : undefined,
  ]) {
    if (!part) continue;
    const { text, goals: more } = await part();
    texts.push(text);
    goals.push(...more);
  }
  const missed = goals.filter((g) => g.verdict === 'missed').length;
  const unjudged = goals.filter((g) => g.verdict === 'not judged').length;
  console.log(texts.join('\n\n'));
  console.log(['', '## Goals', '', ...goals.map((g) => `- ${g.name}: ${WORDS[g.verdict]}`), ''].join('\n'));
  console.log(
    [
      noisy ? 'Too noisy to judge the timing goals (see the control row).' : '',
      missed ? `${missed} goal(s) missed.` : 'No judged goal missed.',
      unjudged ? `${unjudged} not judged.` : '',
    ]
      .filter(Boolean)
      .join(' '),
  );
  process.exitCode = missed ? 1 : 0;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 2;
});
