// Runs a command of the pinned TypeScript 5 toolchain (tools/package.json), installing it
// first with `npm ci` when tools/node_modules is missing or older than the lockfile.
// Usage: node tools/run.cjs <bin> [args...]   (from the repository root)
const { execFileSync, spawnSync } = require('node:child_process');
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const tools = __dirname;
const lockfile = join(tools, 'package-lock.json');
const stamp = join(tools, 'node_modules', '.installed-from-lockfile');

function ensureInstalled() {
  const wanted = readFileSync(lockfile, 'utf8');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return;
  console.error('tools: installing the pinned toolchain (npm ci in tools/)');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: tools, stdio: 'inherit' });
  writeFileSync(stamp, wanted);
}

const [bin, ...args] = process.argv.slice(2);
if (!bin) {
  console.error('usage: node tools/run.cjs <bin> [args...]');
  process.exit(2);
}
ensureInstalled();
const result = spawnSync(join(tools, 'node_modules', '.bin', bin), args, { stdio: 'inherit' });
if (result.error) throw result.error;
process.exit(result.status ?? 1);
