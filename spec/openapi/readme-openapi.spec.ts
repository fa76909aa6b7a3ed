import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { type Started, startServer } from '../helpers/spawn';

const root = join(__dirname, '../../..');
const workdir = join(root, 'build/readme-openapi');

function block(name: string): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const found = new RegExp(`<!-- ${name}:start -->\\s*\`\`\`ts\\n([\\s\\S]*?)\`\`\`\\s*<!-- ${name}:end -->`).exec(
    readme,
  );
  if (!found?.[1]) throw new Error(`README.md has no ${name} block between its markers`);
  return found[1];
}

/** The quickstart with the OpenAPI section's lines added where it says: imports on top, the rest before listen. */
function quickstartWithOpenApi(): string {
  const lines = block('openapi').split('\n');
  const imports = lines.filter((line) => line.startsWith('import '));
  const code = lines.filter((line) => line.trim() !== '' && !line.startsWith('import '));
  const joined = [
    "import { getMetadataArgsStorage } from 'routing-controllers';",
    "import { withLoginSecurity } from 'routing-controllers-login';",
    ...imports,
  ];
  const quickstart = block('quickstart');
  const listen = quickstart.indexOf('const server = app.listen(');
  expect(listen, 'the quickstart starts its server with `const server = app.listen(`').to.be.greaterThan(0);
  return `${joined.join('\n')}\n${quickstart.slice(0, listen)}${code.join('\n')}\n${quickstart.slice(listen)}`;
}

describe('the README OpenAPI section, added to the quickstart and run', function () {
  this.timeout(60_000);
  let app: Started;

  before(async () => {
    rmSync(workdir, { recursive: true, force: true });
    mkdirSync(workdir, { recursive: true });
    writeFileSync(join(workdir, 'app.ts'), quickstartWithOpenApi());
    writeFileSync(
      join(workdir, 'tsconfig.json'),
      JSON.stringify({
        extends: '../../tsconfig.base.json',
        compilerOptions: { rootDir: '.', outDir: 'out' },
        include: ['app.ts'],
      }),
    );
    execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', workdir], { stdio: 'pipe' });
    app = await startServer(join(workdir, 'out/app.js'), { SECRET: 'readme-secret-readme-secret-readme-secret' });
  });
  after(() => app?.stop());

  it('serves /openapi.json with the lock on GET /me and none on the token endpoint', async () => {
    const spec = (await (await fetch(`${app.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { security?: unknown }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(spec.paths['/me/']?.get?.security).to.deep.equal([{ oauth2: [] }, { bearer: [] }]);
    expect(spec.paths['/auth/token']?.post?.security).to.equal(undefined);
    expect(spec.components.securitySchemes).to.have.keys('oauth2', 'bearer');
  });

  it('serves Swagger UI at /docs', async () => {
    const docs = await fetch(`${app.url}/docs`);
    expect(docs.status).to.equal(200);
    expect(await docs.text()).to.include('swagger-ui-bundle.js');
  });
});
