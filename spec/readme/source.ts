import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root (specs run from `build/spec/...`). */
export const root = join(__dirname, '../../..');

/** One fenced block of README.md: its language, the name of the markers around it (if any), its text. */
export interface FencedBlock {
  language: string;
  name: string | undefined;
  code: string;
  /** 1-based line of the opening fence, for messages. */
  line: number;
}

export function readme(): string {
  return readFileSync(join(root, 'README.md'), 'utf8');
}

/** Every fenced block, in order; `name` is set when it sits between `<!-- name:start -->` and `<!-- name:end -->`. */
export function fencedBlocks(text = readme()): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  const lines = text.split('\n');
  let open: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const marker = /^<!-- ([\w-]+):(start|end) -->$/.exec(line);
    if (marker) {
      open = marker[2] === 'start' ? marker[1] : undefined;
      continue;
    }
    const fence = /^```(\w*)$/.exec(line);
    if (!fence) continue;
    const end = lines.indexOf('```', i + 1);
    if (end < 0) throw new Error(`README.md line ${i + 1}: a fenced block that never closes`);
    blocks.push({ language: fence[1] ?? '', name: open, code: `${lines.slice(i + 1, end).join('\n')}\n`, line: i + 1 });
    i = end;
  }
  return blocks;
}

/** The README block between `<!-- name:start -->` and `<!-- name:end -->`, exactly as a reader copies it. */
export function block(name: string, language = 'ts'): string {
  const found = fencedBlocks().filter((candidate) => candidate.name === name && candidate.language === language);
  if (found.length !== 1)
    throw new Error(`README.md has ${found.length} ${language} blocks between the ${name} markers`);
  return (found[0] as FencedBlock).code;
}

/** The compiler options of the README's tsconfig block, as a reader's project has them. */
export function readmeTsconfig(): { compilerOptions: Record<string, unknown> } {
  return JSON.parse(block('tsconfig', 'json')) as { compilerOptions: Record<string, unknown> };
}

/**
 * Compiles `files` (name → source; names may have folders) with the repository's `tsc` in
 * `build/<dir>`, against the built package (`routing-controllers-login` resolves to this
 * repository by its own name), with the repository's strict settings or, given `tsconfig`,
 * with those. Returns tsc's diagnostics, empty when it compiled; the output goes to `build/<dir>/out`.
 */
export function compile(
  dir: string,
  files: Record<string, string>,
  tsconfig?: { compilerOptions: Record<string, unknown> },
): { workdir: string; diagnostics: string } {
  const workdir = join(root, 'build', dir);
  rmSync(workdir, { recursive: true, force: true });
  for (const [name, source] of Object.entries(files)) {
    mkdirSync(dirname(join(workdir, name)), { recursive: true });
    writeFileSync(join(workdir, name), source);
  }
  const base = tsconfig ?? { extends: '../../tsconfig.base.json', compilerOptions: {} };
  writeFileSync(
    join(workdir, 'tsconfig.json'),
    JSON.stringify({
      ...base,
      compilerOptions: { ...base.compilerOptions, rootDir: '.', outDir: 'out' },
      include: Object.keys(files),
    }),
  );
  const tsc = spawnSync(join(root, 'node_modules/.bin/tsc'), ['-p', workdir], { encoding: 'utf8' });
  return { workdir, diagnostics: `${tsc.stdout}${tsc.stderr}`.trim() };
}

/** The lines of the sh block of "Keys and rotation", the one that makes keys with openssl, as written. */
export function keyCommands(): string[] {
  const keys = fencedBlocks().filter((found) => found.language === 'sh' && found.code.includes('openssl genpkey'));
  if (keys.length !== 1) throw new Error(`README.md has ${keys.length} sh blocks with openssl genpkey, not 1`);
  return (keys[0] as FencedBlock).code.split('\n').filter((line) => line.trim() !== '');
}
