import { Validator } from '@seriousme/openapi-schema-validator';
import { expect } from 'chai';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import {
  LoginConfigurationError,
  LoginManager,
  type OpenApiSecurityRequirement,
  withLoginSecurity,
} from 'routing-controllers-login';
import { routingControllersToSpec } from 'routing-controllers-openapi';
import request from 'supertest';
import { appWith } from '../helpers/app';
import { HS256_SECRET } from '../helpers/keys';
import { accountLoader } from '../helpers/users';
import { CONTROLLERS, generatedSpec, storageOf } from './fixture';

interface Operation {
  operationId?: string;
  security?: OpenApiSecurityRequirement[];
  responses: Record<string, { description: string; headers?: Record<string, unknown> }>;
}
type Document = ReturnType<typeof generatedSpec>;

const storage = storageOf(CONTROLLERS);
const SCOPES = { 'items:read': 'Read items', 'items:write': 'Write items' };
const manager = new LoginManager({
  secret: HS256_SECRET,
  tokenUrl: '/auth/token',
  scopes: SCOPES,
  userLoader: accountLoader().load,
});
const documented = (spec: Document = generatedSpec(storage)) => withLoginSecurity(spec, manager, { storage });
const operation = (spec: Document, path: string, method: string) =>
  (spec.paths[path] as Record<string, Operation> | undefined)?.[method] as Operation;
const operations = (spec: Document) =>
  Object.entries(spec.paths).flatMap(([path, item]) =>
    Object.entries(item as Record<string, Operation>).map(([method, op]) => ({ path, method, op })),
  );

/** The alternatives of a route needing a login, `oauth2` with these scopes. */
const loginWith = (...scopes: string[]): OpenApiSecurityRequirement[] => [{ oauth2: scopes }, { bearer: [] }];

describe('openapi: withLoginSecurity on a routing-controllers-openapi document', () => {
  const spec = documented();

  it('validates against the OpenAPI 3 schema', async () => {
    const result = await new Validator().validate(structuredClone(spec) as unknown as Record<string, unknown>);
    expect(result.errors, JSON.stringify(result.errors, null, 2)).to.equal(undefined);
    expect(result.valid).to.equal(true);
  });

  it("adds the manager's schemes: the password flow with every scope, bearer, and refreshToken for refresh routes", () => {
    expect(spec.components?.securitySchemes).to.deep.equal({
      oauth2: {
        type: 'oauth2',
        description: 'Log in with a username and password.',
        flows: {
          password: { tokenUrl: '/auth/token', scopes: { ...SCOPES, admin: '', audit: '' } },
        },
      },
      bearer: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'An access token, as `Authorization: Bearer <token>`.',
      },
      refreshToken: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'A refresh token, as `Authorization: Bearer <refresh token>` (refresh routes only).',
      },
    });
  });

  const table: Array<[string, string, string, OpenApiSecurityRequirement[] | undefined]> = [
    ['class-level @LoggedIn()', '/items/', 'get', loginWith()],
    ['class + method scopes', '/items/', 'post', loginWith('items:write')],
    ['stacked @Authorized + @LoggedIn', '/items/{id}', 'delete', loginWith('items:write', 'items:read')],
    ['optional @User({ required: false })', '/feed/', 'get', [{}, ...loginWith()]],
    ['unprotected', '/feed/public', 'get', undefined],
    ['@User() alone', '/feed/mine', 'get', loginWith()],
    ['@CurrentUser() (optional)', '/feed/current', 'get', [{}, ...loginWith()]],
    ['the token endpoint', '/auth/token', 'post', undefined],
    ['refresh route', '/auth/refresh', 'post', [{ refreshToken: [] }]],
    ['fresh route', '/auth/password', 'post', loginWith()],
    ['class @Authorized([..]) + method @LoggedIn', '/admin/audit', 'get', loginWith('admin', 'audit')],
  ];
  for (const [what, path, method, security] of table) {
    it(`documents ${what}: ${method.toUpperCase()} ${path}`, () => {
      expect(operation(spec, path, method).security).to.deep.equal(security);
    });
  }

  it('covers every operation of the fixture in the table above', () => {
    const listed = table.map(([, path, method]) => `${method} ${path}`).sort();
    expect(
      operations(spec)
        .map(({ path, method }) => `${method} ${path}`)
        .sort(),
    ).to.deep.equal(listed);
  });

  it('documents 401 with WWW-Authenticate where a login is required, and 403 where scopes are', () => {
    const items = operation(spec, '/items/{id}', 'delete').responses;
    expect(items['401']?.headers).to.have.key('WWW-Authenticate');
    expect(items['403']?.description).to.include('items:write, items:read');
    expect(JSON.stringify(items['403']?.headers)).to.include('insufficient_scope');
    expect(operation(spec, '/items/', 'get').responses).to.have.keys('200', '401');
    expect(operation(spec, '/feed/', 'get').responses).to.have.keys('200');
    expect(operation(spec, '/feed/public', 'get').responses).to.have.keys('200');
    expect(operation(spec, '/auth/refresh', 'post').responses['401']?.description).to.include('refresh token');
    expect(operation(spec, '/auth/password', 'post').responses['401']?.description).to.include('password login');
  });

  it('tells the truth: the real app answers each operation as its security says', async () => {
    const app = appWith(manager, { controllers: CONTROLLERS });
    const data = { sub: 'john@example.com' };
    const access = manager.createAccessToken({ data, fresh: true });
    const refresh = manager.createRefreshToken({ data });
    const call = (method: string, path: string, token?: string) => {
      const pending = request(app)[method as 'get'](path.replace('{id}', '1')).send({ username: 'u', password: 'p' });
      return token ? pending.set('authorization', `Bearer ${token}`) : pending;
    };
    for (const { path, method, op } of operations(spec)) {
      const security = op.security ?? [];
      const where = `${method} ${path}`;
      const needsLogin = security.length > 0 && !security.some((way) => Object.keys(way).length === 0);
      const refreshOnly = security.some((way) => 'refreshToken' in way);
      const scoped = security.some((way) => (way.oauth2?.length ?? 0) > 0);
      expect((await call(method, path)).status, `${where} anonymous`).to.equal(needsLogin ? 401 : 200);
      const withAccess = refreshOnly ? 401 : scoped ? 403 : 200;
      expect((await call(method, path, access)).status, `${where} access token`).to.equal(withAccess);
      if (refreshOnly) expect((await call(method, path, refresh)).status, `${where} refresh token`).to.equal(200);
    }
  });
});

describe('openapi: withLoginSecurity details', () => {
  it('leaves its input alone and returns the same document when applied twice', () => {
    const input = generatedSpec(storage);
    const before = structuredClone(input);
    const once = documented(input);
    expect(input).to.deep.equal(before);
    expect(withLoginSecurity(once, manager, { storage })).to.deep.equal(once);
  });

  it('keeps a security an operation already has (set with @OpenAPI)', () => {
    const input = generatedSpec(storage);
    operation(input, '/items/', 'get').security = [{ partnerKey: [] }];
    expect(operation(documented(input), '/items/', 'get').security).to.deep.equal([{ partnerKey: [] }]);
  });

  it('finds operations renamed with @OpenAPI by method and path, under a routePrefix', () => {
    const input = generatedSpec(storage, '/api/v1');
    for (const { op } of operations(input)) op.operationId = `renamed${op.operationId}`;
    const spec = documented(input);
    expect(operation(spec, '/api/v1/items/{id}', 'delete').security).to.deep.equal(
      loginWith('items:write', 'items:read'),
    );
    expect(operation(spec, '/api/v1/feed/public', 'get').security).to.equal(undefined);
  });

  it('refuses a document missing a protected route, rather than showing it unprotected', () => {
    const input = generatedSpec(storage);
    delete (input.paths as Record<string, unknown>)['/admin/audit'];
    expect(() => documented(input)).to.throw(LoginConfigurationError, /no operation for AdminController\.audit/);
  });

  it('refuses to replace a different scheme of the same name, and what is not an OpenAPI 3 document', () => {
    const input = generatedSpec(storage);
    input.components = { ...input.components, securitySchemes: { bearer: { type: 'http', scheme: 'basic' } } };
    expect(() => documented(input)).to.throw(LoginConfigurationError, /different security scheme named "bearer"/);
    const swagger2 = { swagger: '2.0', openapi: undefined } as unknown as Document;
    expect(() => withLoginSecurity(swagger2, manager)).to.throw(TypeError, /OpenAPI 3 document/);
  });

  // The README's five lines install routing-controllers-openapi without class-validator-jsonschema: its
  // document refers to #/components/schemas/PasswordForm and defines nothing (Swagger UI: resolver error).
  it('defines a PasswordForm body the document refers to without schemas, as class-validator-jsonschema would', async () => {
    const bare = routingControllersToSpec(storage, {}, { info: { title: 'bare', version: '1' } });
    expect(bare.components?.schemas ?? {}).not.to.have.property('PasswordForm');
    const spec = documented(bare);
    const result = await new Validator().validate(structuredClone(spec) as unknown as Record<string, unknown>);
    expect(result.errors, JSON.stringify(result.errors, null, 2)).to.equal(undefined);
    const derived = validationMetadatasToSchemas({ refPointerPrefix: '#/components/schemas/' }).PasswordForm;
    expect(spec.components?.schemas?.PasswordForm).to.deep.equal(derived);
    const own = generatedSpec(storage);
    (own.components?.schemas as Record<string, unknown>).PasswordForm = { type: 'object' };
    expect(documented(own).components?.schemas?.PasswordForm).to.deep.equal({ type: 'object' });
  });

  it('in cookie mode adds the cookie scheme and the CSRF 403 on cookie-authenticated writes', () => {
    const cookies = new LoginManager({ secret: HS256_SECRET, tokenUrl: '/auth/token', useCookie: true });
    const spec = withLoginSecurity(generatedSpec(storage), cookies, { storage });
    expect(spec.components?.securitySchemes?.cookie).to.include({ type: 'apiKey', in: 'cookie', name: 'access-token' });
    expect(operation(spec, '/items/', 'get').security).to.deep.equal([...loginWith(), { cookie: [] }]);
    expect(operation(spec, '/items/', 'get').responses).not.to.have.key('403');
    expect(operation(spec, '/auth/password', 'post').responses['403']?.description).to.include('X-CSRF-Token');
    expect(operation(spec, '/auth/refresh', 'post').security).to.deep.equal([{ refreshToken: [] }, { cookie: [] }]);
  });
});
