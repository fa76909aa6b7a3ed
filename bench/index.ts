/**
 * npm run bench: the end-to-end benchmark of issue 8 (routing-controllers with and
 * without the library, over HTTP), the million-token memory check, and the in-process
 * micro-bench. Prints markdown; exits 1 when a goal is missed. Timing lives here, never in tests.
 *
 * Environment: BENCH_ROUNDS (5), BENCH_SECONDS (2), BENCH_WARMUP (2), BENCH_CONNECTIONS (32),
 * BENCH_VARIANTS (comma-separated ids; default all), BENCH_HEAP_TOKENS (1000000; 0 skips),
 * BENCH_SECTIONS (e2e,heap,micro), BENCH_PROFILE (variant ids, comma-separated: their servers are CPU-profiled over the rounds
 * into bench-profiles/; `npm run bench:profile` compares them).
 */
import { join } from 'node:path';
import { reportEndToEnd } from './e2e/report';
import { runEndToEnd } from './e2e/run';
import { BASELINE, VARIANTS, variantById } from './e2e/variants';
import { heapSection } from './heap-report';
import { runMicro } from './micro';

const env = process.env;
const num = (name: string, fallback: number) => (env[name] === undefined ? fallback : Number(env[name]));
const sections = new Set((env.BENCH_SECTIONS ?? 'e2e,heap,micro').split(','));

function chosenVariants() {
  if (!env.BENCH_VARIANTS) return VARIANTS;
  const ids = env.BENCH_VARIANTS.split(',').filter((id) => id !== BASELINE.id);
  return [BASELINE, ...ids.map(variantById)];
}

async function main(): Promise<void> {
  const parts: Array<{ text: string; missed: number }> = [];
  if (sections.has('e2e')) {
    const options = {
      variants: chosenVariants(),
      rounds: num('BENCH_ROUNDS', 5),
      seconds: num('BENCH_SECONDS', 2),
      warmupSeconds: num('BENCH_WARMUP', 2),
      connections: num('BENCH_CONNECTIONS', 32),
      profile: env.BENCH_PROFILE,
      profileDir: join(process.cwd(), 'bench-profiles'),
    };
    parts.push(reportEndToEnd(await runEndToEnd(options), options));
  }
  const heapTokens = num('BENCH_HEAP_TOKENS', 1_000_000);
  if (sections.has('heap') && heapTokens > 0) parts.push(await heapSection(heapTokens));
  if (sections.has('micro')) parts.push(await runMicro());
  const missed = parts.reduce((n, p) => n + p.missed, 0);
  console.log(parts.map((p) => p.text).join('\n\n'));
  console.log(`\n${missed ? `${missed} goal(s) missed.` : 'Every goal met.'}`);
  process.exitCode = missed ? 1 : 0;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 2;
});
