import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { expect } from 'chai';
import { type Started, startServer } from '../helpers/spawn';
import { compileApps } from '../readme/blocks';

describe('the README OpenAPI section, added to the quickstart and run', function () {
  this.timeout(60_000);
  let app: Started;

  // The quickstart with docs.ts and the app.ts lines the section gives, applied as its Guides say (spec/readme/blocks.ts).
  before(async () => {
    const { workdir, diagnostics } = compileApps();
    expect(diagnostics).to.equal('');
    const script = join(workdir, 'out/openapi/app.js');
    app = await startServer(script, { SECRET: 'readme-spec-secret-Qx7Lk2Vb9Tz4Hw8Rj5Nc3' });
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

  it('serves a document that validates: every reference resolves, PasswordForm included', async () => {
    const spec = (await (await fetch(`${app.url}/openapi.json`)).json()) as Record<string, unknown>;
    const result = await new Validator().validate(spec);
    expect(result.errors, JSON.stringify(result.errors, null, 2)).to.equal(undefined);
    expect(result.valid).to.equal(true);
  });

  it('serves Swagger UI at /docs', async () => {
    const docs = await fetch(`${app.url}/docs`);
    expect(docs.status).to.equal(200);
    expect(await docs.text()).to.include('swagger-ui-bundle.js');
  });
});
