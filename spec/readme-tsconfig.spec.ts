import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { block, root } from './readme/source';

const workdir = join(root, 'build/readme-tsconfig');

describe("the README's minimal tsconfig", function () {
  this.timeout(60_000);

  it('compiles the quickstart as written, to dist/app.js', () => {
    rmSync(workdir, { recursive: true, force: true });
    mkdirSync(workdir, { recursive: true });
    writeFileSync(join(workdir, 'app.ts'), block('quickstart', 'ts'));
    writeFileSync(join(workdir, 'tsconfig.json'), block('tsconfig', 'json'));
    execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', workdir], { stdio: 'pipe' });
    expect(readFileSync(join(workdir, 'dist/app.js'), 'utf8')).to.include('__decorate');
  });
});
