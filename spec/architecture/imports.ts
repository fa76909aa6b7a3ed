import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** The repository root, from the compiled spec's folder (build/spec/architecture) or the source's. */
export const ROOT = resolve(__dirname, __dirname.includes(`${join('build', 'spec')}`) ? '../../..' : '../..');
export const SRC = join(ROOT, 'src');

/** Every `.ts` file under `dir`, as paths relative to `src/` with `/` separators. */
export function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [relative(SRC, path).split('\\').join('/')] : [];
  });
}

/** `import`/`export ... from`, side-effect `import '...'` and `import('...')`, type-only ones included. */
const SPECIFIERS = [
  /(?:^|\n)\s*(?:import|export)\b[^'"`;]*?\bfrom\s*'([^']+)'/g,
  /(?:^|\n)\s*import\s*'([^']+)'/g,
  /\bimport\s*\(\s*'([^']+)'\s*\)/g,
];

/** The `src/` files `file` imports (relative specifiers only), as paths relative to `src/`. */
export function importsOf(file: string, known: ReadonlySet<string>): string[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  const found = new Set<string>();
  for (const pattern of SPECIFIERS) {
    for (const match of text.matchAll(pattern)) {
      const specifier = match[1] as string;
      if (!specifier.startsWith('.')) continue;
      const base = join(dirname(file), specifier).split('\\').join('/');
      const target = [`${base}.ts`, `${base}/index.ts`].find((candidate) => known.has(candidate));
      if (target) found.add(target);
    }
  }
  return [...found];
}

/** The import graph of `src/`: file → the files it imports. */
export function importGraph(): Map<string, string[]> {
  const files = sourceFiles();
  const known = new Set(files);
  return new Map(files.map((file) => [file, importsOf(file, known)]));
}

/** Every import circle (strongly connected component of more than one file, or a file importing itself). */
export function circles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    indices.set(node, index);
    low.set(node, index++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) as number, indices.get(next) as number));
      }
    }
    if (low.get(node) !== indices.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || graph.get(node)?.includes(node)) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!indices.has(node)) visit(node);
  return found;
}

/** The layers, outermost first: an import may only point to its own layer or one further down. */
export const LAYERS = ['face', 'config', 'core', 'parts', 'shared'] as const;
export type Layer = (typeof LAYERS)[number];

/** Which layer a file of `src/` belongs to, by its folder. */
export function layerOf(file: string): Layer {
  const folder = file.includes('/') ? (file.split('/')[0] as string) : '';
  if (folder === '' || folder === 'decorators' || folder === 'openapi') return 'face';
  if (folder === 'config' || folder === 'core' || folder === 'shared') return folder;
  return 'parts';
}

/** Imports that point up a layer (`from → to`). */
export function upwardImports(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const rank = (file: string) => LAYERS.indexOf(layerOf(file));
  return [...graph].flatMap(([from, targets]) =>
    targets.filter((to) => rank(to) < rank(from)).map((to) => `${from} → ${to}`),
  );
}
