import { expect } from 'chai';
import type { Request } from 'express';
import express from 'express';
import { Body, JsonController, Post, Req } from 'routing-controllers';
import { InvalidCredentialsError, LoginManager, LoginThrottle, PasswordForm } from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { appWith } from '../helpers/app';
import { HS256_SECRET } from '../helpers/keys';

@Service()
@JsonController('/form')
class FormController {
  @Post('/token')
  token(@Body({ validate: true }) form: PasswordForm) {
    return {
      username: form.username,
      password: form.password,
      scopes: form.scopes,
      isForm: form instanceof PasswordForm,
    };
  }
}

const throttle = new LoginThrottle();

@Service()
@JsonController('/throttled')
class ThrottledController {
  /** The README's throttled token route, with a password check that never matches. */
  @Post('/token')
  async token(@Body({ validate: true }) form: PasswordForm, @Req() req: Request) {
    const user = await throttle.attempt(form.username, req, () => form.password === 'right' && { sub: form.username });
    if (!user) throw new InvalidCredentialsError();
    return { ok: true };
  }
}

describe('PasswordForm', () => {
  const manager = new LoginManager({ secret: HS256_SECRET, tokenUrl: '/form/token', userLoader: () => null });
  const app = appWith(manager, { controllers: [FormController] }, (a) =>
    a.use(express.urlencoded({ extended: false })),
  );

  it('reads a JSON body and splits scope into scopes', async () => {
    const response = await request(app)
      .post('/form/token')
      .send({ username: 'john', password: 'secret', scope: 'read  write read' })
      .expect(200);
    expect(response.body).to.deep.equal({
      username: 'john',
      password: 'secret',
      scopes: ['read', 'write'],
      isForm: true,
    });
  });

  it('reads an application/x-www-form-urlencoded body, as OAuth2 clients send it', async () => {
    const response = await request(app)
      .post('/form/token')
      .type('form')
      .send({ grant_type: 'password', username: 'john', password: 'secret' })
      .expect(200);
    expect(response.body).to.deep.equal({ username: 'john', password: 'secret', scopes: [], isForm: true });
  });

  it('answers 400 for a missing password, a wrong grant_type or an oversized field', async () => {
    await request(app).post('/form/token').send({ username: 'john' }).expect(400);
    await request(app)
      .post('/form/token')
      .send({ username: 'john', password: 'x', grant_type: 'client_credentials' })
      .expect(400);
    await request(app)
      .post('/form/token')
      .send({ username: 'john', password: 'x'.repeat(1025) })
      .expect(400);
    await request(app).post('/form/token').send({ username: 'john', password: 42 }).expect(400);
  });

  it("accepts Swagger UI's Authorize post (grant_type, scope, client_id, client_secret), even when unknown fields are refused", async () => {
    const strict = appWith(
      manager,
      { controllers: [FormController], validation: { whitelist: true, forbidNonWhitelisted: true } },
      (a) => a.use(express.urlencoded({ extended: false })),
    );
    const swaggerUi = {
      grant_type: 'password',
      username: 'john',
      password: 'secret',
      scope: 'read',
      client_id: 'docs',
      client_secret: 'shh',
    };
    const response = await request(strict).post('/form/token').type('form').send(swaggerUi).expect(200);
    expect(response.body).to.deep.equal({ username: 'john', password: 'secret', scopes: ['read'], isForm: true });
    await request(strict)
      .post('/form/token')
      .type('form')
      .send({ ...swaggerUi, extra: 'field' })
      .expect(400);
  });

  // routing-controllers returns an array body as it is, unvalidated: a PasswordForm parameter may be an Array.
  it('answers a JSON array body on a throttled token route 401, not a 500 from LoginThrottle.attempt', async () => {
    const throttled = appWith(manager, { controllers: [ThrottledController], development: false });
    for (const body of [['MySecretPassw0rd'], [{ username: 'john', password: 'MySecretPassw0rd' }]]) {
      const response = await request(throttled).post('/throttled/token').send(body).expect(401);
      expect(response.text).not.to.include('MySecretPassw0rd');
    }
  });

  it('keeps the client secret out of toJSON, like the password', () => {
    const form = Object.assign(new PasswordForm(), {
      username: 'john',
      password: 'pw',
      client_id: 'c',
      client_secret: 's',
    });
    expect(JSON.stringify(form)).to.equal('{"username":"john","client_id":"c"}');
  });
});
