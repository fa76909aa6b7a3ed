#!/usr/bin/env node
// Consumer checks (issue 7 item 5): pack the package, install the tarball in throwaway projects
// outside the repository as a user would (`npm install routing-controllers-login routing-controllers
// express ...`, no flags, so a peer range that refuses a stack fails here), compile each app with
// TypeScript 5 and `skipLibCheck: false`, run it, and ask for 401 without a token, 200 with one.
// The readme-tsconfig consumer compiles with the README's own tsconfig (issue 17 item 2), under
// TypeScript 5.9 and under the repository's TypeScript 7, a file that imports only the library and node:fs.
//
// npm runs with --prefer-offline: packages the CI install already put in the npm cache (TypeScript 5.9
// comes from tools/'s lockfile) are not downloaded again. When a package is neither cached nor
// reachable, that consumer is skipped with the reason, never failed and never passed.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
const typescript = JSON.parse(readFileSync(join(root, 'tools/package.json'), 'utf8')).devDependencies.typescript;
/** The repository's own compiler: TypeScript 7, what `npm i -D typescript` installs today. */
const typescript7 = join(root, 'node_modules/.bin/tsc');

const COMMON = [
  'routing-controllers@~0.11.3',
  'typedi@^0.10.0',
  'class-validator@~0.14.1',
  'class-transformer@^0.5.1',
  'reflect-metadata@^0.2.2',
  `typescript@${typescript}`,
];
// The oldest @types/node we support, and the newest: the README's `npm install --save-dev @types/node`
// gets the latest, whose node:crypto no longer exports JsonWebKey (our .d.ts once imported it).
const OLDEST_NODE_TYPES = '@types/node@^20.19.0';
const NEWEST_NODE_TYPES = '@types/node@latest';

// Our .d.ts are type-checked (skipLibCheck: false) as CommonJS and as ESM. The express 4 app checks
// what differs there, the peer ranges, the app's types and the runtime, so it skips the library check.
// The Koa app keeps it, as the README's tsconfig does: when express was a required peer, npm installed
// express 5 into Koa apps, hoisting its content-disposition 2, whose own types @types/koa 3 does not
// compile against (TS2694).
const CONSUMERS = [
  {
    name: 'commonjs-typescript5',
    type: 'commonjs',
    app: 'express-app.ts',
    skipLibCheck: false,
    packages: ['express@^5', '@types/express@^5', OLDEST_NODE_TYPES],
  },
  {
    name: 'esm',
    type: 'module',
    app: 'express-app.ts',
    skipLibCheck: false,
    packages: ['express@^5', '@types/express@^5', NEWEST_NODE_TYPES],
  },
  {
    name: 'express4',
    type: 'commonjs',
    app: 'express-app.ts',
    skipLibCheck: true,
    packages: ['express@^4.21.2', '@types/express@^4', OLDEST_NODE_TYPES],
  },
  {
    name: 'koa',
    type: 'commonjs',
    app: 'koa-app.ts',
    skipLibCheck: false,
    packages: ['koa@^3', '@koa/router@^13', 'koa-bodyparser@^4', '@types/koa@^3', OLDEST_NODE_TYPES],
  },
  // The README's tsconfig as written (skipLibCheck unset: false), and the README's `npm install --save-dev
  // @types/node` (the newest); no express, whose types would bring Node's along.
  {
    name: 'readme-tsconfig',
    type: 'commonjs',
    app: 'node-types-app.ts',
    tsconfig: 'readme',
    packages: [NEWEST_NODE_TYPES],
  },
];

/** The README's tsconfig block (between `<!-- tsconfig:start -->` and `<!-- tsconfig:end -->`), parsed. */
function readmeTsconfig() {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const json = /<!-- tsconfig:start -->\n```json\n([\s\S]*?)\n```\n<!-- tsconfig:end -->/.exec(readme)?.[1];
  if (!json) throw new Error('README.md has no ```json block between the tsconfig markers');
  return JSON.parse(json);
}

/** Errors that mean "neither the registry nor the cache could provide a package", not "this is broken". */
const UNREACHABLE = /\b(ENOTCACHED|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH)\b/;

const work = mkdtempSync(join(tmpdir(), 'rcl-consumers-'));
const log = (message) => console.log(`ci: consumers: ${message}`);
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)}s`;

/**
 * Why npm could not get a package, if that is why it failed. npm reports an unreachable registry as
 * such, or, when it happens while resolving peers, as an ERESOLVE naming `x@undefined`; its debug
 * log holds the network error either way.
 */
function unreachable(output) {
  const logFile = /A complete log of this run can be found in: (\S+)/.exec(output)?.[1];
  const debugLog = logFile ? readFileSync(logFile, 'utf8') : '';
  return (UNREACHABLE.exec(output) ?? UNREACHABLE.exec(debugLog))?.[1];
}

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

/** Builds as `npm publish` would (the prepack script), then packs; returns the tarball's path. */
function pack() {
  const built = run('npm', ['run', 'prepack'], root);
  if (!built.ok) throw new Error(`npm run prepack failed:\n${built.output}`);
  const packed = spawnSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {
    cwd: root,
    encoding: 'utf8',
  });
  if (packed.status !== 0) throw new Error(`npm pack failed:\n${packed.stderr}`);
  const [{ filename }] = JSON.parse(packed.stdout);
  return join(work, filename);
}

/** Runs the compiled file to its end: it prints the user of the token it made and verified. */
function printsUser(file, dir) {
  const result = run(process.execPath, [file], dir);
  if (!result.ok || result.output.trim() !== JSON.stringify({ sub: 'ada' })) {
    throw new Error(`node ${file}: ${result.output}`);
  }
}

/** Starts the compiled app, reads the `{ port, token }` line it prints, asks each path for 401 and 200. */
async function answers(dir, paths) {
  const app = spawn(process.execPath, ['out/app.js'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  // express's final handler logs every error it answers, 401s included: shown only if the check fails.
  let stderr = '';
  app.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  try {
    const line = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the app printed nothing within 20s')), 20_000);
      app.once('exit', (code) => reject(new Error(`the app exited with ${code}`)));
      createInterface({ input: app.stdout }).once('line', (first) => {
        clearTimeout(timer);
        resolve(first);
      });
    });
    const { port, token } = JSON.parse(line);
    for (const path of paths) {
      const url = `http://127.0.0.1:${port}${path}`;
      const anonymous = await fetch(url);
      if (anonymous.status !== 401 || anonymous.headers.get('www-authenticate') !== 'Bearer') {
        throw new Error(`${path} without a token: ${anonymous.status} ${anonymous.headers.get('www-authenticate')}`);
      }
      const loggedIn = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      const body = await loggedIn.text();
      if (loggedIn.status !== 200 || body !== JSON.stringify({ sub: 'ada', name: 'Ada' })) {
        throw new Error(`${path} with a token: ${loggedIn.status} ${body}`);
      }
    }
  } catch (error) {
    throw new Error(`${error.message}\nthe app's stderr:\n${stderr}`);
  } finally {
    app.kill();
  }
}

/** 'passed', 'skipped' (with the reason logged), or throws with what went wrong. */
async function check(consumer, tarball) {
  const dir = join(work, consumer.name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: consumer.name, private: true, type: consumer.type }));
  copyFileSync(join(here, consumer.app), join(dir, 'app.ts'));
  if (consumer.tsconfig === 'readme') {
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(readmeTsconfig()));
    writeFileSync(join(dir, 'secret.txt'), 'consumer-check-Qx7Lk2Vb9Tz4Hw8Rj5Nc3Pm6');
  } else {
    const tsconfig = JSON.parse(readFileSync(join(here, 'tsconfig.json'), 'utf8'));
    tsconfig.compilerOptions.skipLibCheck = consumer.skipLibCheck;
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
  }

  let started = Date.now();
  const packages = [tarball, ...COMMON, ...consumer.packages];
  const install = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...packages], dir);
  const networkError = install.ok ? undefined : unreachable(install.output);
  if (networkError) {
    log(
      `${consumer.name}: SKIPPED: npm could not get a package (${networkError}): neither the registry nor the cache has it`,
    );
    return 'skipped';
  }
  if (!install.ok) throw new Error(`npm install ${packages.join(' ')} failed:\n${install.output}`);
  const installed = seconds(started);

  if (consumer.tsconfig === 'readme') return compileWithBoth(consumer, dir, installed);

  started = Date.now();
  const compile = run(join(dir, 'node_modules/.bin/tsc'), ['-p', dir], dir);
  const compiler = `TypeScript ${typescript} (skipLibCheck: ${consumer.skipLibCheck})`;
  if (!compile.ok) throw new Error(`${compiler} failed:\n${compile.output}`);
  const compiled = seconds(started);

  const paths = consumer.app === 'koa-app.ts' ? ['/me'] : ['/me', '/plain'];
  await answers(dir, paths);
  log(
    `${consumer.name}: installed in ${installed}, compiled by ${compiler} in ${compiled}, ${paths.join(' and ')}: 401 then 200`,
  );
  return 'passed';
}

/** The README's tsconfig under the project's TypeScript 5.9, then under the repository's TypeScript 7; each build runs. */
function compileWithBoth(consumer, dir, installed) {
  const outDir = readmeTsconfig().compilerOptions.outDir;
  for (const [compiler, tsc] of [
    [`TypeScript ${typescript}`, join(dir, 'node_modules/.bin/tsc')],
    ["TypeScript 7 (the repository's)", typescript7],
  ]) {
    rmSync(join(dir, outDir), { recursive: true, force: true });
    const compile = run(tsc, ['-p', dir], dir);
    if (!compile.ok) throw new Error(`${compiler} with the README's tsconfig failed:\n${compile.output}`);
    printsUser(join(outDir, 'app.js'), dir);
  }
  log(
    `${consumer.name}: installed in ${installed}, the README's tsconfig compiled by TypeScript ${typescript} and 7, ran`,
  );
  return 'passed';
}

let failed = 0;
try {
  const started = Date.now();
  const tarball = pack();
  log(`packed ${tarball} in ${seconds(started)}`);
  // CONSUMERS=koa,esm runs only those (while working on one).
  const only = process.env.CONSUMERS?.split(',');
  for (const consumer of CONSUMERS.filter(({ name }) => !only || only.includes(name))) {
    try {
      await check(consumer, tarball);
    } catch (error) {
      failed += 1;
      log(`${consumer.name}: FAILED: ${error.message}`);
    }
  }
} finally {
  if (process.env.KEEP_CONSUMERS) log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
