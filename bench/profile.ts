/**
 * Summarises a `.cpuprofile` (from `BENCH_PROFILE=<variant> npm run bench`): self time by
 * module and by function, and the inclusive time of the functions named on the command line.
 * Usage: node build/bench/profile.js <file.cpuprofile> [functionName...]
 */
import { readFileSync } from 'node:fs';
import { markdownTable } from './stats';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function moduleOf(url: string): string {
  if (url === '') return '(native/vm)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] as string;
  const ours = /\/(dist|build)\/(.*)$/.exec(url);
  if (ours) return `ours: ${ours[2]}`;
  if (url.startsWith('node:'))
    return url
      .replace(/^node:(internal\/)?/, 'node:')
      .split('/')
      .slice(0, 2)
      .join('/');
  return url;
}

function main(): void {
  const [file, ...named] = process.argv.slice(2);
  if (!file) throw new Error('usage: profile.js <file.cpuprofile> [functionName...]');
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = [...self]
    .filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)')
    .reduce((a, [, t]) => a + t, 0);
  const busy = total - idle;
  const pct = (t: number) => `${((t / busy) * 100).toFixed(1)}%`;
  const add = (map: Map<string, number>, key: string, t: number) => map.set(key, (map.get(key) ?? 0) + t);

  const modules = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, t] of self) {
    const { functionName, url, lineNumber } = (byId.get(id) as ProfileNode).callFrame;
    if (functionName === '(idle)') continue;
    add(modules, moduleOf(url), t);
    add(functions, `${functionName || '(anonymous)'} ${moduleOf(url)}:${lineNumber + 1}`, t);
  }
  const top = (map: Map<string, number>, n: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, t]) => [k, pct(t)]);
  console.log(`busy ${(busy / 1e6).toFixed(1)} s of ${(total / 1e6).toFixed(1)} s sampled\n`);
  console.log(markdownTable(['module (self time)', 'share of busy'], top(modules, 25)), '\n');
  console.log(markdownTable(['function (self time)', 'share of busy'], top(functions, 40)), '\n');

  // Inclusive time: a sample counts once for a named function anywhere on its stack.
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map<string, number>();
  for (const [id, t] of self) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = (byId.get(at) as ProfileNode).callFrame.functionName;
      if (named.includes(name) && !seen.has(name)) {
        seen.add(name);
        add(inclusive, name, t);
      }
    }
  }
  if (named.length) console.log(markdownTable(['function (inclusive)', 'share of busy'], top(inclusive, named.length)));
}

main();
