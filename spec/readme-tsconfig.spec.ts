import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';

const root = join(__dirname, '../..');
const workdir = join(root, 'build/readme-tsconfig');

/** The README block between `<!-- name:start -->` and `<!-- name:end -->`, exactly as a reader copies it. */
function block(name: string, language: string): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const found = new RegExp(
    `<!-- ${name}:start -->\\s*\`\`\`${language}\\n([\\s\\S]*?)\`\`\`\\s*<!-- ${name}:end -->`,
  ).exec(readme);
  if (!found?.[1]) throw new Error(`README.md has no ${name} block between the ${name} markers`);
  return found[1];
}

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
