import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { LoginManager } from 'routing-controllers-login';
import { APPS, BLOCKS, compileApps, fileName } from './blocks';
import { fencedBlocks, keyCommands, root } from './source';

const scripts = Object.keys(
  (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts,
);
const shellLines = () =>
  fencedBlocks()
    .filter((block) => block.language === 'sh')
    .flatMap((block) => block.code.split('\n').map((line) => ({ line, at: block.line })))
    .filter(({ line }) => line.trim() !== '');

describe('README examples: every TypeScript block compiles', function () {
  this.timeout(120_000);

  it('names every ts block with markers, and spec/readme/blocks.ts knows each name', () => {
    const ts = fencedBlocks().filter((block) => block.language === 'ts');
    expect(
      ts.filter((block) => block.name === undefined).map((block) => `line ${block.line}`),
      'ts blocks outside <!-- name:start --> / <!-- name:end --> markers',
    ).to.deep.equal([]);
    const names = ts.map((block) => block.name);
    expect([...names].sort(), 'README ts blocks vs spec/readme/blocks.ts').to.deep.equal(Object.keys(BLOCKS).sort());
  });

  it('builds every block that is not a fragment into an app, which a spec runs', () => {
    const used = new Set(Object.values(APPS).flat());
    const unused = Object.entries(BLOCKS).filter(([name, example]) => example.kind !== 'fragment' && !used.has(name));
    expect(unused.map(([name]) => name)).to.deep.equal([]);
  });

  it('names each file a file block is, on its first line, as the reader saves it', () => {
    for (const [name, example] of Object.entries(BLOCKS)) {
      if (example.kind === 'file') expect(fileName(name), name).to.match(/^[\w-]+\.ts$/);
    }
  });

  it('refers to no file outside the package (demo/, spec/, src/) from any TypeScript block', () => {
    const ts = fencedBlocks().filter((block) => block.language === 'ts');
    const outside = ts.filter((block) => /\b(demo|spec|src|bench)\/\w/.test(block.code));
    expect(outside.map((block) => `${block.name ?? block.language} (line ${block.line})`)).to.deep.equal([]);
  });

  it('has no code block in a language the specs do not check', () => {
    const languages = new Set(fencedBlocks().map((block) => block.language));
    expect([...languages].sort()).to.deep.equal(['json', 'sh', 'text', 'ts']);
  });

  for (const app of Object.keys(APPS)) {
    it(`compiles the app "${app}" (${APPS[app]?.join(' + ')}) with the README's tsconfig`, () => {
      const { diagnostics } = compileApps();
      const mine = diagnostics.split('\n').filter((line) => line.startsWith(`${app}/`));
      expect(mine, `tsc on README app ${app}`).to.deep.equal([]);
    });
  }

  it('compiles with no diagnostics at all (fragments included)', () => {
    expect(compileApps().diagnostics).to.equal('');
  });
});

describe('README examples: every sh command exists and works as written', function () {
  this.timeout(120_000);

  it('runs only npm scripts that package.json has', () => {
    const used = shellLines().flatMap(({ line }) => [...line.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]));
    expect(used).not.to.be.empty;
    expect(used.filter((script) => !scripts.includes(script as string))).to.deep.equal([]);
  });

  it('names only files of this repository that exist', () => {
    const paths = shellLines().flatMap(({ line }) => [
      ...line.matchAll(/(?:^|\s)((?:\.ci|spec|demo|bench|src|tools|build\/spec)\/[\w./-]+)/g),
    ]);
    const missing = paths
      .map((m) => (m[1] as string).replace(/^build\/(spec\/.*)\.js$/, '$1.ts'))
      .filter((path) => !existsSync(join(root, path)));
    expect(paths).not.to.be.empty;
    expect(missing).to.deep.equal([]);
  });

  it('installs only packages this one depends on, is a peer of, or tests with', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const known = new Set(Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies, ...pkg.devDependencies }));
    known.add('routing-controllers-login');
    const installed = shellLines()
      .filter(({ line }) => line.startsWith('npm install '))
      .flatMap(({ line }) => line.split(/\s+/).slice(2))
      .filter((word) => !word.startsWith('-'))
      .map((word) => word.replace(/(.)@[^@]*$/, '$1'));
    expect(installed).to.include.members(['routing-controllers-login', 'typescript', '@types/express']);
    expect(installed.filter((name) => !known.has(name))).to.deep.equal([]);
  });

  it('makes keys that LoginManager accepts with the commands of "Keys and rotation", the public key included', function () {
    const commands = keyCommands();
    expect(commands.filter((line) => line.startsWith('openssl pkey'))).to.have.length(1);
    if (spawnSync('openssl', ['version']).status !== 0) this.skip();
    const dir = mkdtempSync(join(tmpdir(), 'readme-keys-'));
    try {
      const outputs = commands.map((command) =>
        execFileSync('bash', ['-c', command], { cwd: dir, encoding: 'utf8', stdio: 'pipe' }),
      );
      const secret = (outputs[0] as string).trim();
      new LoginManager({ secret, tokenUrl: '/t' });
      const es256 = readFileSync(join(dir, 'es256-2026-05.pem'));
      const keys = { audience: 'api', tokenUrl: '/t' };
      const signer = new LoginManager({ keys: [{ kid: 'k', algorithm: 'ES256', privateKey: es256 }], ...keys });
      const publicKey = readFileSync(join(dir, 'es256-2026-05.pub.pem'));
      const verifier = new LoginManager({ keys: [{ kid: 'k', algorithm: 'ES256', publicKey }], ...keys });
      expect(verifier.hasScopes(signer.createAccessToken({ data: { sub: 'u' }, scopes: ['a'] }), ['a'])).to.equal(true);
      new LoginManager({ secret: readFileSync(join(dir, 'rs256.pem')), algorithm: 'RS256', tokenUrl: '/t' });
      new LoginManager({ secret: readFileSync(join(dir, 'rs256.pem')), algorithm: 'PS256', tokenUrl: '/t' });
      new LoginManager({ secret: readFileSync(join(dir, 'ed25519.pem')), algorithm: 'EdDSA', tokenUrl: '/t' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
