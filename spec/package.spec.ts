import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';

const root = join(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
/** Optional integrations (devDependencies here): the core import and its types must not need them. */
const OPTIONAL_PACKAGE =
  /node_modules[\\/](openapi3-ts|routing-controllers-openapi|class-validator-jsonschema|swagger-ui-dist|express|koa|@koa[\\/]router|koa-bodyparser)[\\/]|['"](openapi3-ts|routing-controllers-openapi|class-validator-jsonschema|express|koa|@koa\/router|koa-bodyparser)['"/]/;
/** The opt-in entry points whose types may name an optional package: only their users import them. */
const OPT_IN_TYPES = new Set(['express.d.ts']);

describe('the published package', () => {
  it('points main, types and the exports map at built files', () => {
    const entry = pkg.exports['.'];
    for (const file of [pkg.main, pkg.types, entry.types, entry.default]) {
      expect(existsSync(join(root, file)), file).to.equal(true);
    }
  });

  it('exports the curated public surface, and only it', () => {
    const exported = Object.keys(require('routing-controllers-login')).sort();
    expect(exported).to.deep.equal(
      [
        'ALGORITHMS',
        'BodyNotParsedError',
        'CSRF_COOKIE',
        'CSRF_FIELD',
        'CSRF_HEADER',
        'CsrfError',
        'HmacNonces',
        'LoginStoreUnavailableError',
        'MemoryRevocationStore',
        'RedisRevocationStore',
        'InsufficientScopeError',
        'InvalidCredentialsError',
        'KeySourceUnavailableError',
        'LOGIN_EVENTS',
        'LoggedIn',
        'LoginConfigurationError',
        'LoginError',
        'LoginManager',
        'LoginRedirect',
        'PasswordForm',
        'Public',
        'User',
        'UserLoader',
        'UserLoaderError',
        'bearerChallenge',
        'loginConfig',
        'LoginThrottle',
        'MemoryThrottleStore',
        'RedisThrottleStore',
        'TooManyLoginAttemptsError',
        'loginSecuritySchemes',
        'withLoginSecurity',
        'RequireCsrf',
      ].sort(),
    );
  });

  it('loads no optional integration on import: the OpenAPI helpers work on plain objects', () => {
    const script = "require('routing-controllers-login'); console.log(JSON.stringify(Object.keys(require.cache)))";
    const loaded = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' }));
    expect(loaded.filter((file: string) => OPTIONAL_PACKAGE.test(file))).to.deep.equal([]);
    expect(loaded.some((file: string) => file.endsWith('dist/openapi/index.js'))).to.equal(true);
  });

  it('names no optional package in the published types, but in opt-in entry points', () => {
    const declarations = readdirSync(join(root, 'dist'), { recursive: true, encoding: 'utf8' }).filter(
      (file) => file.endsWith('.d.ts') && !OPT_IN_TYPES.has(file),
    );
    expect(declarations).to.include('index.d.ts');
    const mentions = declarations.filter((file) =>
      OPTIONAL_PACKAGE.test(readFileSync(join(root, 'dist', file), 'utf8')),
    );
    expect(mentions).to.deep.equal([]);
  });

  // `npm install --save-dev @types/node` (the README's line) gives @types/node 26, whose node:crypto no
  // longer exports JsonWebKey: a published type importing it fails to compile with skipLibCheck: false.
  it('names from node:crypto in the published types only what every @types/node since 20 exports', () => {
    const declarations = readdirSync(join(root, 'dist'), { recursive: true, encoding: 'utf8' }).filter((file) =>
      file.endsWith('.d.ts'),
    );
    const imported = declarations.flatMap((file) =>
      [
        ...readFileSync(join(root, 'dist', file), 'utf8').matchAll(
          /import (?:type )?\{([^}]*)\} from '(?:node:)?crypto'/g,
        ),
      ]
        .flatMap((match) => (match[1] ?? '').split(','))
        .map((name) => name.replace(/\btype\b/, '').trim())
        .filter(Boolean),
    );
    expect(imported).to.include('KeyObject');
    expect([...new Set(imported)]).to.deep.equal(['KeyObject']);
  });

  // A required peer is installed by npm 7+ when missing: express 5 landed in every Koa app, and its
  // content-disposition 2 types break @types/koa with skipLibCheck: false. Only routing-controllers is required.
  it('requires no server framework: express, like Koa, is an optional peer', () => {
    const frameworks = ['express', 'koa', '@koa/router', 'koa-bodyparser'];
    for (const name of frameworks) expect(pkg.peerDependencies, name).to.have.property(name);
    const required = Object.keys(pkg.peerDependencies).filter((name) => !pkg.peerDependenciesMeta[name]?.optional);
    expect(required.filter((name) => frameworks.includes(name))).to.deep.equal([]);
  });

  it('exposes the opt-in express typing entry point', () => {
    const entry = pkg.exports['./express'];
    for (const file of [entry.types, entry.default]) expect(existsSync(join(root, file)), file).to.equal(true);
    expect(readFileSync(join(root, entry.types), 'utf8')).to.match(/from 'express'/);
  });

  it('keeps internal modules unreachable', () => {
    expect(() => require('routing-controllers-login/dist/authenticator')).to.throw(
      /ERR_PACKAGE_PATH_NOT_EXPORTED|not defined by "exports"/,
    );
  });

  it('strips @internal members from the published types', () => {
    const types = readFileSync(join(root, 'dist/login-manager.d.ts'), 'utf8');
    expect(types).to.include('createAccessToken');
    expect(types).not.to.match(/\bauth\b\s*:/);
  });

  it('packs dist, the README, SECURITY.md, CHANGELOG.md and LICENSE, not the sources or specs', () => {
    const files = packedFiles();
    expect(files).to.include.members([
      'dist/index.js',
      'dist/index.d.ts',
      'README.md',
      'SECURITY.md',
      'CHANGELOG.md',
      'LICENSE',
      'package.json',
    ]);
    expect(files.filter((file) => /^(src|spec|demo|bench|build)\//.test(file) || file.endsWith('.map'))).to.deep.equal(
      [],
    );
  });

  it('ships no source-map comments pointing at files it does not ship', () => {
    const dangling = packedFiles().filter(
      (file) => /\.(js|d\.ts)$/.test(file) && readFileSync(join(root, file), 'utf8').includes('sourceMappingURL'),
    );
    expect(dangling).to.deep.equal([]);
  });
});

function packedFiles(): string[] {
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }),
  ) as Array<{ files: Array<{ path: string }> }>;
  return (packed?.files ?? []).map((file) => file.path);
}
