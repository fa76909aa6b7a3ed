import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';

const root = join(__dirname, '../..');
const workdir = join(root, 'build/reference-probe');

/** What a reference table lists, by the header of its first column. */
type Column = 'export' | 'option' | 'member' | 'code';

/** The README's "## Reference" section, up to the next top-level heading. */
function referenceSection(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Reference\n');
  if (start < 0) throw new Error('README.md has no "## Reference" section');
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** The cells of a Markdown table row; `\|` and pipes inside backticks stay in their cell. */
function cells(row: string): string[] {
  return row
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|(?=(?:[^`]*`[^`]*`)*[^`]*$)/)
    .map((cell) => cell.trim());
}

/**
 * Names in the first column of every reference table whose first header is `column`:
 * the identifier at the start of each backticked span, so `` `@LoggedIn(options?)` ``
 * names `LoggedIn` and `` `authorizationChecker`, `currentUserChecker` `` names both.
 */
function documented(column: Column): string[] {
  const names: string[] = [];
  let table: 'none' | 'listed' | 'other' = 'none';
  for (const line of referenceSection().split('\n')) {
    if (!line.startsWith('|')) {
      table = 'none';
      continue;
    }
    const first = cells(line)[0] ?? '';
    if (table === 'none') {
      table = first === column ? 'listed' : 'other';
      continue;
    }
    if (table === 'other' || /^-+$/.test(first)) continue;
    for (const [, span] of first.matchAll(/`([^`]+)`/g)) {
      const name = /^@?([A-Za-z_$][\w$]*)/.exec(span ?? '')?.[1];
      if (name) names.push(name);
    }
  }
  return names;
}

/** The `.d.ts` of every entry point in package.json `exports` (`.`, `./express`, ...). */
function entryPointTypes(): string[] {
  const { exports } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    exports: Record<string, string | { types?: string }>;
  };
  return Object.values(exports).flatMap((target) => (typeof target === 'object' && target.types ? [target.types] : []));
}

/** Every name the entry points export, values and types alike. */
function exportedNames(): string[] {
  const names: string[] = [];
  for (const file of entryPointTypes()) {
    const types = readFileSync(join(root, file), 'utf8');
    if (/^export \*/m.test(types)) {
      throw new Error(`${file} has \`export *\`: export names one by one, so the reference can list them`);
    }
    for (const [, list] of types.matchAll(/^export (?:type )?\{([^}]*)\}/gm)) {
      for (const item of (list ?? '').split(',')) {
        const name = item
          .trim()
          .replace(/^type\s+/, '')
          .split(/\s+as\s+/)
          .pop();
        if (name) names.push(name);
      }
    }
    for (const [, name] of types.matchAll(
      /^export (?:declare )?(?:const|function|class|interface|type|enum) (\w+)/gm,
    )) {
      if (name) names.push(name);
    }
  }
  return names;
}

/** What is listed but not there, and what is there but not listed. */
function compare(listed: string[], actual: string[]) {
  const sorted = (names: Iterable<string>) => [...new Set(names)].sort();
  return {
    missingFromReference: sorted(actual.filter((name) => !listed.includes(name))),
    notInThePackage: sorted(listed.filter((name) => !actual.includes(name))),
  };
}

/**
 * Option keys, members and codes are types, so the compiler checks the lists: a probe
 * gives `Record<keyof LoginOptions, true>` (and the like) exactly the README's names,
 * which fails to compile, naming the key, when one is missing or does not exist.
 */
function typeProbe(): { exitCode: number | null; output: string } {
  const record = (type: string, names: string[]) =>
    `{\n${[...new Set(names)].map((name) => `  ${JSON.stringify(name)}: true,`).join('\n')}\n} satisfies Record<${type}, true>`;
  const source = [
    "import type { LoginErrorCode, LoginManager, LoginOptions } from 'routing-controllers-login';",
    `export const options = ${record('keyof LoginOptions', documented('option'))};`,
    `export const members = ${record('keyof LoginManager', documented('member'))};`,
    `export const codes = ${record('LoginErrorCode', documented('code'))};`,
    '',
  ].join('\n');
  rmSync(workdir, { recursive: true, force: true });
  mkdirSync(workdir, { recursive: true });
  writeFileSync(join(workdir, 'reference.ts'), source);
  writeFileSync(
    join(workdir, 'tsconfig.json'),
    JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { noEmit: true }, files: ['reference.ts'] }),
  );
  const tsc = spawnSync(join(root, 'node_modules/.bin/tsc'), ['-p', workdir], { encoding: 'utf8' });
  return { exitCode: tsc.status, output: `${tsc.stdout}${tsc.stderr}` };
}

describe("the README's Reference section", function () {
  this.timeout(60_000);

  it('lists every export of every entry point of the package, and nothing else', () => {
    const runtime = Object.keys(require('routing-controllers-login'));
    const exported = exportedNames();
    expect(entryPointTypes()).to.include('./dist/index.d.ts');
    expect(exported, 'dist/index.d.ts exports every runtime export').to.include.members(runtime);
    expect(compare(documented('export'), exported)).to.deep.equal({ missingFromReference: [], notInThePackage: [] });
  });

  it('lists the LoginOptions keys, LoginManager members and LoginErrorCodes, each once', () => {
    for (const column of ['option', 'member', 'code'] as const) {
      const names = documented(column);
      expect(names, `${column} table`).not.to.be.empty;
      expect(
        names.filter((name, i) => names.indexOf(name) !== i),
        `${column}s listed twice`,
      ).to.deep.equal([]);
    }
  });

  it('lists every LoginOptions key, LoginManager member and LoginErrorCode, and nothing else (checked by tsc)', () => {
    const { exitCode, output } = typeProbe();
    expect(output.trim(), 'the README names a key, member or code the types lack, or misses one').to.equal('');
    expect(exitCode).to.equal(0);
  });
});
