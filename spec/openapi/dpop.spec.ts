import { randomBytes } from 'node:crypto';
import { Validator } from '@seriousme/openapi-schema-validator';
import { expect } from 'chai';
import {
  HmacNonces,
  LoginManager,
  type LoginOptions,
  loginSecuritySchemes,
  type OpenApiSecurityRequirement,
  withLoginSecurity,
} from 'routing-controllers-login';
import request from 'supertest';
import { appWith } from '../helpers/app';
import { HS256_SECRET } from '../helpers/keys';
import { accountLoader } from '../helpers/users';
import { CONTROLLERS, generatedSpec, storageOf } from './fixture';

interface Header {
  description: string;
}
interface Operation {
  security?: OpenApiSecurityRequirement[];
  responses: Record<string, { description: string; headers?: Record<string, Header> }>;
}
type Document = ReturnType<typeof generatedSpec>;

const storage = storageOf(CONTROLLERS);
const ALGS = 'algs="ES256 EdDSA Ed25519 PS256 RS256"';
const managerWith = (dpop: LoginOptions<unknown>['dpop']) =>
  new LoginManager({ secret: HS256_SECRET, tokenUrl: '/auth/token', dpop, userLoader: accountLoader().load });
const nonces = () => new HmacNonces({ secret: randomBytes(32) });
const documented = (manager: LoginManager<unknown>) => withLoginSecurity(generatedSpec(storage), manager, { storage });
const operation = (spec: Document, path: string, method: string) =>
  (spec.paths[path] as Record<string, Operation>)[method] as Operation;
/** The challenges a response's `WWW-Authenticate` description gives as examples, in backquotes. */
const examples = (response: { headers?: Record<string, Header> } | undefined): string[] =>
  [...(response?.headers?.['WWW-Authenticate']?.description ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);

describe('openapi: the DPoP scheme (RFC 9449)', () => {
  it("describes dpop: 'allowed' as an http DPoP scheme beside bearer, with the proof header and its algorithms", () => {
    const schemes = loginSecuritySchemes(managerWith('allowed'));
    expect(schemes).to.have.keys('oauth2', 'bearer', 'dpop');
    expect(schemes.dpop).to.include({ type: 'http', scheme: 'DPoP' });
    const { description } = schemes.dpop as { description: string };
    expect(description).to.include('`Authorization: DPoP <token>`');
    expect(description).to.include('`DPoP` header');
    expect(description).to.include('RFC 9449');
    expect(description).to.include('ES256, EdDSA, Ed25519, PS256, RS256');
    expect(description).not.to.include('DPoP-Nonce');
  });

  it("leaves bearer out with dpop: 'required', where a bearer token is always refused", () => {
    expect(loginSecuritySchemes(managerWith('required'))).to.have.keys('oauth2', 'dpop');
    expect(loginSecuritySchemes(managerWith(undefined))).to.have.keys('oauth2', 'bearer');
  });

  it('says proofs carry the DPoP-Nonce with server nonces, and names the algorithms configured', () => {
    const { description } = loginSecuritySchemes(managerWith({ nonces: nonces(), algorithms: ['EdDSA'] })).dpop as {
      description: string;
    };
    expect(description).to.include('`DPoP-Nonce`');
    expect(description).to.include('one of EdDSA');
  });

  describe("dpop: 'allowed'", () => {
    const manager = managerWith('allowed');
    const spec = documented(manager);

    it('validates against the OpenAPI 3 schema', async () => {
      const result = await new Validator().validate(structuredClone(spec) as unknown as Record<string, unknown>);
      expect(result.errors, JSON.stringify(result.errors, null, 2)).to.equal(undefined);
    });

    it('lists DPoP as an alternative to bearer on protected routes, refresh routes too', () => {
      const login = [{ oauth2: [] }, { bearer: [] }, { dpop: [] }];
      expect(operation(spec, '/items/', 'get').security).to.deep.equal(login);
      expect(operation(spec, '/items/', 'post').security).to.deep.equal([
        { oauth2: ['items:write'] },
        { bearer: [] },
        { dpop: [] },
      ]);
      expect(operation(spec, '/feed/', 'get').security).to.deep.equal([{}, ...login]);
      expect(operation(spec, '/auth/refresh', 'post').security).to.deep.equal([{ refreshToken: [] }, { dpop: [] }]);
      expect(operation(spec, '/feed/public', 'get').security).to.equal(undefined);
    });

    it('gives the DPoP challenge in the 401 and 403, as the app sends it', async () => {
      const unauthorized = operation(spec, '/items/', 'get').responses['401'];
      expect(unauthorized?.description).to.include('sent as DPoP without a valid `DPoP` proof');
      expect(examples(unauthorized)).to.deep.equal([
        `Bearer error="invalid_token", DPoP ${ALGS}`,
        `Bearer, DPoP error="invalid_token", ${ALGS}`,
        `Bearer, DPoP error="invalid_dpop_proof", ${ALGS}`,
      ]);
      const forbidden = operation(spec, '/items/', 'post').responses['403'];
      expect(examples(forbidden)).to.deep.equal([
        `Bearer error="insufficient_scope", scope="items:write", DPoP ${ALGS}`,
        `Bearer, DPoP error="insufficient_scope", scope="items:write", ${ALGS}`,
      ]);
      const app = appWith(manager, { controllers: CONTROLLERS });
      const refused = await request(app).get('/items/').set('authorization', 'Bearer not.a.token').expect(401);
      expect(examples(unauthorized)).to.include(refused.headers['www-authenticate']);
      const noProof = await request(app).get('/items/').set('authorization', 'DPoP not.a.token').expect(401);
      expect(examples(unauthorized)).to.include(noProof.headers['www-authenticate']);
      const token = manager.createAccessToken({ data: { sub: 'john@example.com' } });
      const scoped = await request(app).post('/items/').set('authorization', `Bearer ${token}`).expect(403);
      expect(examples(forbidden)).to.include(scoped.headers['www-authenticate']);
    });
  });

  describe("dpop: 'required'", () => {
    const manager = managerWith('required');
    const spec = documented(manager);

    it('validates against the OpenAPI 3 schema', async () => {
      const result = await new Validator().validate(structuredClone(spec) as unknown as Record<string, unknown>);
      expect(result.errors, JSON.stringify(result.errors, null, 2)).to.equal(undefined);
    });

    it('lists DPoP as the only way in, refresh routes too', () => {
      expect(operation(spec, '/items/', 'get').security).to.deep.equal([{ dpop: [] }]);
      expect(operation(spec, '/items/{id}', 'delete').security).to.deep.equal([{ dpop: [] }]);
      expect(operation(spec, '/feed/', 'get').security).to.deep.equal([{}, { dpop: [] }]);
      expect(operation(spec, '/auth/refresh', 'post').security).to.deep.equal([{ dpop: [] }]);
      expect(spec.components?.securitySchemes).to.have.keys('oauth2', 'dpop');
    });

    it('gives the DPoP challenge alone in the 401, as the app sends it', async () => {
      const unauthorized = operation(spec, '/items/', 'get').responses['401'];
      expect(examples(unauthorized)).to.deep.equal([
        `DPoP error="invalid_token", ${ALGS}`,
        `DPoP error="invalid_dpop_proof", ${ALGS}`,
      ]);
      const app = appWith(manager, { controllers: CONTROLLERS });
      const refused = await request(app).get('/items/').set('authorization', 'Bearer not.a.token').expect(401);
      expect(examples(unauthorized)).to.include(refused.headers['www-authenticate']);
      const forbidden = operation(spec, '/items/', 'post').responses['403'];
      expect(examples(forbidden)).to.deep.equal([`DPoP error="insufficient_scope", scope="items:write", ${ALGS}`]);
    });
  });

  it('documents the DPoP-Nonce header of the 401 with server nonces', () => {
    const spec = documented(managerWith({ nonces: nonces() }));
    const unauthorized = operation(spec, '/items/', 'get').responses['401'];
    expect(unauthorized?.headers).to.have.keys('WWW-Authenticate', 'DPoP-Nonce');
    expect(examples(unauthorized)).to.include(`Bearer, DPoP error="use_dpop_nonce", ${ALGS}`);
    const without = operation(documented(managerWith('allowed')), '/items/', 'get').responses['401'];
    expect(without?.headers).to.have.keys('WWW-Authenticate');
  });
});
