import type { IncomingMessage } from 'node:http';
import { expect } from 'chai';
import { Get, JsonController } from 'routing-controllers';
import {
  type AuthFailureHook,
  InvalidCredentialsError,
  LoggedIn,
  type LoginErrorCode,
  LoginManager,
  type LoginOptions,
  User,
} from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { onEveryServer, type Server } from '../helpers/drivers';
import { forge, HS256_SECRET, hmac, nowSeconds } from '../helpers/keys';

@Service()
@JsonController('/reasons')
class ReasonsController {
  @LoggedIn({ scopes: ['admin'] })
  @Get('/admin')
  admin() {
    return { ok: true };
  }

  @Get('/optional')
  optional(@User({ required: false }) user: unknown) {
    return { user: user ?? null };
  }
}

function setup(server: Server, options: Partial<LoginOptions> = {}) {
  const reports: Array<{ code: LoginErrorCode; path: string | undefined }> = [];
  const manager = new LoginManager({
    secret: HS256_SECRET,
    tokenUrl: '/t',
    userLoader: (sub) => ({ sub }),
    onAuthFailure: (code, req?: IncomingMessage) => void reports.push({ code, path: req?.url }),
    ...options,
  } as LoginOptions);
  return { manager, reports, app: server.app(manager, { controllers: [ReasonsController] }) };
}

const expired = () => forge({ alg: 'HS256' }, { sub: 'u', exp: nowSeconds() - 5 }, hmac(HS256_SECRET));

onEveryServer('reasons: codes, descriptions and onAuthFailure', (server) => {
  it('keeps reasons private by default: bare RFC 6750 header, no code in the body', async () => {
    const { app } = setup(server);
    const response = await request(app).get('/reasons/admin').set('Authorization', `Bearer ${expired()}`).expect(401);
    expect(response.headers['www-authenticate']).to.equal('Bearer error="invalid_token"');
    expect(response.body).to.deep.equal({ name: 'InvalidCredentialsError', message: 'Invalid credentials' });
  });

  it('exposes them with exposeErrorDescriptions: error_description in the header, code (and claim) in the body', async () => {
    const { app } = setup(server, { exposeErrorDescriptions: true });
    const late = await request(app).get('/reasons/admin').set('Authorization', `Bearer ${expired()}`).expect(401);
    expect(late.headers['www-authenticate']).to.equal(
      'Bearer error="invalid_token", error_description="The token expired"',
    );
    expect(late.body).to.deep.equal({
      name: 'InvalidCredentialsError',
      message: 'Invalid credentials',
      code: 'token_expired',
    });

    const noExp = forge({ alg: 'HS256' }, { sub: 'u' }, hmac(HS256_SECRET));
    const claim = await request(app).get('/reasons/admin').set('Authorization', `Bearer ${noExp}`).expect(401);
    expect(claim.headers['www-authenticate']).to.include(
      'error_description="The token claim exp is missing or invalid"',
    );
    expect(claim.body).to.deep.include({ code: 'claim_invalid', claim: 'exp' });

    const missing = await request(app).get('/reasons/admin').expect(401);
    expect(missing.headers['www-authenticate']).to.equal('Bearer');
  });

  it('reports each refusal once, with its request, including scope failures', async () => {
    const { app, manager, reports } = setup(server);
    await request(app).get('/reasons/admin').expect(401);
    await request(app).get('/reasons/admin').set('Authorization', `Bearer ${expired()}`).expect(401);
    const token = manager.createAccessToken({ data: { sub: 'u' } });
    await request(app).get('/reasons/admin').set('Authorization', `Bearer ${token}`).expect(403);
    expect(reports).to.deep.equal([
      { code: 'token_missing', path: '/reasons/admin' },
      { code: 'token_expired', path: '/reasons/admin' },
      { code: 'insufficient_scope', path: '/reasons/admin' },
    ]);
  });

  it('does not report accepted requests or optional routes that stay anonymous', async () => {
    const { app, manager, reports } = setup(server);
    await request(app).get('/reasons/optional').expect(200, { user: null });
    await request(app).get('/reasons/optional').set('Authorization', `Bearer ${expired()}`).expect(200, { user: null });
    const admin = manager.createAccessToken({ data: { sub: 'u' }, scopes: ['admin'] });
    await request(app).get('/reasons/admin').set('Authorization', `Bearer ${admin}`).expect(200);
    expect(reports).to.deep.equal([]);
  });

  it('reports getCurrentUser failures without a request', async () => {
    const { manager, reports } = setup(server);
    await manager.getCurrentUser(expired()).catch(() => undefined);
    expect(reports).to.deep.equal([{ code: 'token_expired', path: undefined }]);
  });

  it('cannot turn a failure into a success: a throwing or rejecting hook changes nothing', async () => {
    const logged: unknown[] = [];
    const logger = { error: (...args: unknown[]) => void logged.push(args), warn: () => {} };
    for (const onAuthFailure of [
      () => {
        throw new Error('hook bug');
      },
      async () => {
        throw new Error('async hook bug');
      },
      (() => true) as AuthFailureHook,
    ]) {
      const { app } = setup(server, { onAuthFailure, logger });
      await request(app).get('/reasons/admin').set('Authorization', `Bearer ${expired()}`).expect(401);
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(logged).to.have.length(2);
  });

  it('puts the claim name on the error for claim_invalid', async () => {
    const { manager } = setup(server);
    const error = await manager
      .getCurrentUser(forge({ alg: 'HS256' }, { sub: 'u' }, hmac(HS256_SECRET)))
      .catch((e) => e);
    expect(error).to.be.instanceOf(InvalidCredentialsError).and.include({ code: 'claim_invalid', claim: 'exp' });
  });
});
