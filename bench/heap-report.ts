import { join } from 'node:path';
import { Child } from './e2e/child';
import type { GoalLine } from './e2e/report';
import { markdownTable } from './stats';

/** The verified-token cache's size in this check (the default `tokenCacheSize`), set explicitly to tie them. */
export const CACHE_SIZE = 10_000;

export interface HeapResult {
  tokens: number;
  /** [tokens so far, heap used after GC in MB] */
  samples: Array<[number, number]>;
  seconds: number;
}

/** Heap after GC must be flat once the cache is full: from then to the end it may grow this much. */
const FLAT_MB = 4;

/** Runs the million-token check in a child process of its own (a clean heap) and reports it. */
export async function heapSection(tokens: number): Promise<{ text: string; goals: GoalLine[] }> {
  const child = new Child(join(__dirname, 'heap.js'), [], { nodeFlags: ['--expose-gc'] });
  try {
    const result = await child.request<HeapResult>({ cmd: 'run', tokens });
    const [, start] = result.samples[0] as [number, number];
    const [fullAt, full] = result.samples.find(([n]) => n >= 2 * CACHE_SIZE) ?? (result.samples[1] as [number, number]);
    const [, end] = result.samples[result.samples.length - 1] as [number, number];
    const growth = end - full;
    const met = growth <= FLAT_MB;
    const text = [
      `## Memory: ${tokens.toLocaleString('en')} distinct tokens through the checkers`,
      '',
      `Heap after GC: ${start.toFixed(1)} MB at start; ${full.toFixed(1)} MB after ${fullAt.toLocaleString('en')} ` +
        `tokens, the cache of ${CACHE_SIZE.toLocaleString('en')} full (${(full - start).toFixed(1)} MB for the cache); ` +
        `${end.toFixed(1)} MB at the end (${result.seconds.toFixed(0)} s). Growth after the cache filled: ` +
        `${growth.toFixed(1)} MB: ${met ? 'met' : '**missed**'} (flat: ≤ ${FLAT_MB} MB).`,
      '',
      markdownTable(
        ['tokens', 'heap MB'],
        result.samples.map(([n, mb]) => [n.toLocaleString('en'), mb.toFixed(1)]),
      ),
    ].join('\n');
    const name = `heap flat for ${tokens.toLocaleString('en')} distinct tokens (≤ ${FLAT_MB} MB growth once the cache is full)`;
    return { text, goals: [{ name, verdict: met ? 'met' : 'missed' }] };
  } finally {
    await child.stop();
  }
}
