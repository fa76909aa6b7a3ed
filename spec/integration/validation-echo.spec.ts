import { expect } from 'chai';
import { IsIn, IsOptional } from 'class-validator';
import express from 'express';
import { Body, JsonController, Post, type RoutingControllersOptions } from 'routing-controllers';
import { LoginManager, loginConfig, PasswordForm } from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { appWith } from '../helpers/app';
import { HS256_SECRET } from '../helpers/keys';

const PASSWORD = 'MySecretPassw0rd';

/** A login page's form: the password grant plus a checkbox, as the demo has. */
class RememberForm extends PasswordForm {
  @IsOptional()
  @IsIn(['on'])
  remember?: string;
}

@Service()
@JsonController('/echo')
class EchoFormController {
  @Post('/token')
  token(@Body({ validate: true }) form: PasswordForm) {
    return { username: form.username };
  }

  @Post('/login')
  login(@Body({ validate: true }) form: RememberForm) {
    return { username: form.username };
  }
}

/** Bodies with one bad field beside the password, and a password that is itself invalid. */
const BAD_BODIES: [string, string, Record<string, unknown>][] = [
  ['an empty username', '/echo/token', { username: '', password: PASSWORD }],
  ['a wrong grant_type', '/echo/token', { username: 'john', password: PASSWORD, grant_type: 'client_credentials' }],
  ['remember=yes', '/echo/login', { username: 'john', password: PASSWORD, remember: 'yes' }],
  ['an oversized password', '/echo/token', { username: 'john', password: PASSWORD.repeat(100) }],
];

const manager = new LoginManager({ secret: HS256_SECRET, tokenUrl: '/echo/token', userLoader: () => null });
const appFor = (options: RoutingControllersOptions) =>
  appWith(manager, { controllers: [EchoFormController], ...options }, (a) =>
    a.use(express.urlencoded({ extended: false })),
  );

/** Posts each bad body as JSON and urlencoded; every answer is a 400 without the password. */
async function expectNoEcho(app: express.Express): Promise<string[]> {
  const bodies: string[] = [];
  for (const [, path, body] of BAD_BODIES) {
    for (const type of ['json', 'form'] as const) {
      const response = await request(app).post(path).type(type).send(body);
      expect(response.status, `${path} ${JSON.stringify(body)} as ${type}`).to.equal(400);
      expect(response.text).not.to.include(PASSWORD);
      bodies.push(response.text);
    }
  }
  return bodies;
}

describe('validation errors never echo the request body (loginConfig)', () => {
  it('answers 400 naming the bad field, without target, value or password, in development mode', async () => {
    const bodies = await expectNoEcho(appFor({ development: true }));
    const first = JSON.parse(bodies[0] as string) as { errors: Record<string, unknown>[] };
    expect(first.errors[0]).to.include({ property: 'username' });
    expect(first.errors[0]).not.to.have.any.keys('target', 'value');
  });

  it('does the same in production mode (development: false)', async () => {
    await expectNoEcho(appFor({ development: false }));
  });

  it('does the same with NODE_ENV=production when the app was set up', async () => {
    const before = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await expectNoEcho(appFor({}));
    } finally {
      if (before === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = before;
    }
  });

  it('puts no stack trace in the 400 with NODE_ENV unset, unless the app sets development: true', async () => {
    const before = process.env.NODE_ENV;
    delete process.env.NODE_ENV; // routing-controllers' default is then development mode
    try {
      for (const text of await expectNoEcho(appFor({}))) {
        expect(text).not.to.match(/"stack"|node_modules|\bat .*\.js:\d+/);
      }
      const developing = await request(appFor({ development: true }))
        .post('/echo/token')
        .send({ username: '' });
      expect(developing.status).to.equal(400);
      expect(developing.body).to.have.property('stack');
    } finally {
      if (before !== undefined) process.env.NODE_ENV = before;
    }
  });

  it('keeps the app’s own validation options, and validation on, with `validation: true` or an object', async () => {
    await expectNoEcho(appFor({ validation: true }));
    const config = loginConfig({ validation: { whitelist: true, forbidNonWhitelisted: true } }, manager);
    expect(config.validation).to.deep.equal({
      whitelist: true,
      forbidNonWhitelisted: true,
      validationError: { target: false, value: false },
    });
    const app = appFor({ validation: { whitelist: true, forbidNonWhitelisted: true } });
    const response = await request(app).post('/echo/token').send({ username: 'john', password: PASSWORD, extra: 1 });
    expect(response.status).to.equal(400);
    expect(response.text).to.include('extra').and.not.include(PASSWORD);
  });

  it('lets validationError set explicitly by the app win', () => {
    const config = loginConfig({ validation: { validationError: { target: true } } }, manager);
    expect(config.validation).to.deep.equal({ validationError: { target: true, value: false } });
  });

  it('leaves `validation: false` off (an object would turn validation on for every parameter)', () => {
    expect(loginConfig({ validation: false }, manager).validation).to.equal(false);
  });

  it('keeps the password out of the target even with validation: false and @Body({ validate: true })', async () => {
    const app = appFor({ validation: false });
    for (const [, path, body] of BAD_BODIES.slice(0, 3)) {
      const response = await request(app).post(path).send(body);
      expect(response.status).to.equal(400);
      expect(response.text).to.include('"target"').and.not.include(PASSWORD);
    }
  });

  it('PasswordForm serialises without its password, and still reads it', () => {
    const form = Object.assign(new PasswordForm(), { username: 'john', password: PASSWORD, scope: 'a b' });
    expect(JSON.parse(JSON.stringify(form))).to.deep.equal({ username: 'john', scope: 'a b' });
    expect(form.password).to.equal(PASSWORD);
  });
});
