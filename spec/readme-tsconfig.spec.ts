import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { appFiles } from './readme/blocks';
import { block, root } from './readme/source';

const workdir = join(root, 'build/readme-tsconfig');

/** The repository's compiler (TypeScript 7), and the pinned TypeScript 5.9 of tools/ once installed. */
const TYPESCRIPT_7 = join(root, 'node_modules/.bin/tsc');
const TYPESCRIPT_5 = join(root, 'tools/node_modules/.bin/tsc');

/**
 * A project outside the repository, as a user's is: its own package.json, and in node_modules only
 * this package (a link to the repository) and `@types/node`, so nothing else pulls in Node's types.
 * The README's tsconfig as written; `.ci/consumers/node-types-app.ts` as `app.ts`.
 */
function nodeTypesProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'readme-tsconfig-'));
  mkdirSync(join(dir, 'node_modules/@types'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  symlinkSync(root, join(dir, 'node_modules/routing-controllers-login'), 'dir');
  symlinkSync(join(root, 'node_modules/@types/node'), join(dir, 'node_modules/@types/node'), 'dir');
  copyFileSync(join(root, '.ci/consumers/node-types-app.ts'), join(dir, 'app.ts'));
  writeFileSync(join(dir, 'tsconfig.json'), block('tsconfig', 'json'));
  writeFileSync(join(dir, 'secret.txt'), 'readme-tsconfig-spec-secret-Zp4Wq8Jm2Kx6Rv9Tb3Ny7');
  return dir;
}

/** Compiles the project with `tsc` and runs its output: it prints the user of a token it made and verified. */
function compileAndRun(tsc: string): void {
  const dir = nodeTypesProject();
  try {
    const compiled = spawnSync(tsc, ['-p', dir], { encoding: 'utf8' });
    expect(`${compiled.stdout}${compiled.stderr}`.trim(), `${tsc} -p ${dir}`).to.equal('');
    expect(compiled.status).to.equal(0);
    const printed = execFileSync(process.execPath, ['dist/app.js'], { cwd: dir, encoding: 'utf8' });
    expect(JSON.parse(printed)).to.deep.equal({ sub: 'ada' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("the README's minimal tsconfig", function () {
  this.timeout(60_000);

  it('compiles the quickstart as written (its three files), to dist/app.js', () => {
    rmSync(workdir, { recursive: true, force: true });
    mkdirSync(workdir, { recursive: true });
    for (const [file, source] of Object.entries(appFiles('quickstart'))) writeFileSync(join(workdir, file), source);
    writeFileSync(join(workdir, 'tsconfig.json'), block('tsconfig', 'json'));
    execFileSync(TYPESCRIPT_7, ['-p', workdir], { stdio: 'pipe' });
    expect(readFileSync(join(workdir, 'dist/app.js'), 'utf8')).to.include('__decorate');
  });

  it('compiles a file importing only the library and node:fs under TypeScript 7, which names no types by itself', () => {
    compileAndRun(TYPESCRIPT_7);
  });

  it('compiles the same file under TypeScript 5.9 (tools/)', function () {
    // tools/ is installed by `npm run docs` or `node tools/run.cjs tsc -v`; CI checks 5.9 in .ci/consumers either way.
    if (!existsSync(TYPESCRIPT_5)) this.skip();
    compileAndRun(TYPESCRIPT_5);
  });
});
