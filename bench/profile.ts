/**
 * Where a bench server's time goes, per request, from the profiles `BENCH_PROFILE=a,b npm run bench`
 * writes to bench-profiles/. Usage: npm run bench:profile -- <variant> [<baseline variant>]
 * One variant: its self time by module and function, in µs per request. Two: the difference,
 * so what the first costs beyond the second (e.g. `header-hs256-repeated none`) stands out.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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

/** Self time per request, µs, keyed by module and by function. */
interface Costs {
  modules: Map<string, number>;
  functions: Map<string, number>;
  /** Time with one of our functions (dist/) anywhere on the stack, µs per request. */
  oursInclusive: number;
  total: number;
}

function moduleOf(url: string): string {
  if (url === '') return '(native/vm)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] as string;
  const ours = /\/dist\/(.*)$/.exec(url);
  if (ours) return `ours: ${ours[1]}`;
  if (url.startsWith('node:'))
    return url
      .replace(/^node:(internal\/)?/, 'node:')
      .split('/')
      .slice(0, 2)
      .join('/');
  return url;
}

function costs(dir: string, variant: string): Costs {
  const profile = JSON.parse(readFileSync(join(dir, `${variant}.cpuprofile`), 'utf8')) as Profile;
  const { requests } = JSON.parse(readFileSync(join(dir, `${variant}.json`), 'utf8')) as { requests: number };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const result: Costs = { modules: new Map(), functions: new Map(), oursInclusive: 0, total: 0 };
  const add = (map: Map<string, number>, key: string, t: number) => map.set(key, (map.get(key) ?? 0) + t);
  const stackOf = (id: number) => {
    const urls: string[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      urls.push((byId.get(at) as ProfileNode).callFrame.url);
    }
    return urls;
  };
  profile.samples.forEach((id, i) => {
    const { functionName, url, lineNumber } = (byId.get(id) as ProfileNode).callFrame;
    const stack = stackOf(id);
    // Idle time, and the profiler starting itself, are not the server's work.
    if (functionName === '(idle)' || stack.some((u) => u.endsWith('e2e/profiler.js'))) return;
    const t = (profile.timeDeltas[i] ?? 0) / requests;
    result.total += t;
    add(result.modules, moduleOf(url), t);
    add(result.functions, `${functionName || '(anonymous)'} ${moduleOf(url)}:${lineNumber + 1}`, t);
    if (stack.some((u) => moduleOf(u).startsWith('ours:'))) result.oursInclusive += t;
  });
  return result;
}

function table(head: string, map: Map<string, number>, base: Map<string, number> | undefined, n: number): string {
  const keys = new Set([...map.keys(), ...(base?.keys() ?? [])]);
  const rows = [...keys]
    .map((k) => [k, (map.get(k) ?? 0) - (base?.get(k) ?? 0)] as const)
    .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
    .slice(0, n)
    .map(([k, t]) => [k, t.toFixed(2)]);
  return markdownTable([head, base ? 'µs/request, difference' : 'µs/request'], rows);
}

function main(): void {
  const [variant, baseline] = process.argv.slice(2);
  if (!variant) throw new Error('usage: npm run bench:profile -- <variant> [<baseline variant>]');
  const dir = join(process.cwd(), 'bench-profiles');
  const a = costs(dir, variant);
  const b = baseline ? costs(dir, baseline) : undefined;
  const what = b ? `${variant} minus ${baseline}` : variant;
  console.log(`${what}: ${(a.total - (b?.total ?? 0)).toFixed(1)} µs of CPU per request (sampled)`);
  console.log(`with our code on the stack: ${a.oursInclusive.toFixed(1)} µs per request\n`);
  console.log(table('module (self time)', a.modules, b?.modules, 20), '\n');
  console.log(table('function (self time)', a.functions, b?.functions, 40));
}

main();
