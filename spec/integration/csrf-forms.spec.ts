import { expect } from 'chai';
import type { Request, Response } from 'express';
import express from 'express';
import type { Context } from 'koa';
import bodyParser from 'koa-bodyparser';
import multer from 'multer';
import { Ctx, Get, JsonController, Post, Req, Res } from 'routing-controllers';
import { CSRF_FIELD, LoggedIn, LoginManager, RequireCsrf, User } from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { appWith } from '../helpers/app';
import { CSRF_VALUE, csrfFor } from '../helpers/csrf';
import { HS256_SECRET } from '../helpers/keys';
import { koaAppWith } from '../helpers/koa';
import { type Account, accountLoader } from '../helpers/users';

const users = accountLoader();
const manager = new LoginManager<Account>({
  secret: HS256_SECRET,
  tokenUrl: '/t',
  useCookie: true,
  userLoader: users.load,
});

@Service()
@JsonController('/forms')
class FormsController {
  @LoggedIn()
  @Post('/notes')
  create(@User() user: Account) {
    return { created: user.email };
  }

  /** The login page: hands out a CSRF value before anyone is logged in. */
  @Get('/login')
  page(@Req() req: Request, @Res() res: Response) {
    return { csrf: manager.csrfValue(req, res), again: manager.csrfValue(req, res) };
  }

  /** The login form's POST: no login needed, the CSRF value is. */
  @RequireCsrf()
  @Post('/login')
  login() {
    return { loggedIn: true };
  }

  @RequireCsrf()
  @Get('/login-check')
  readOnly() {
    return { read: true };
  }
}

@Service()
@JsonController('/koa-forms')
class KoaFormsController {
  @LoggedIn()
  @Post('/notes')
  create(@User() user: Account) {
    return { created: user.email };
  }

  @Get('/login')
  page(@Ctx() ctx: Context) {
    return { csrf: manager.csrfValue(ctx) };
  }

  @RequireCsrf()
  @Post('/login')
  login() {
    return { loggedIn: true };
  }
}

const token = manager.createAccessToken({ data: { sub: 'john@example.com' } });
const claim = csrfFor(manager, token);
const session = `access-token=${token}; csrf-token=${claim}`;
const MESSAGE =
  'CSRF token missing or invalid: send the value of the csrf-token cookie in the X-CSRF-Token header or the _csrf form field';

const UNPARSED = {
  name: 'BodyNotParsedError',
  message:
    'The request body was not parsed, so its _csrf field could not be read: parse its content type before the routes ' +
    '(express.urlencoded(), express.json(), multer().none() for multipart; @koa/multer on Koa), ' +
    'or send the X-CSRF-Token header',
  code: 'body_not_parsed',
};

const setCookies = (response: request.Response): string[] =>
  (response.headers['set-cookie'] as unknown as string[] | undefined) ?? [];

describe('CSRF without JavaScript: the _csrf form field', () => {
  const app = appWith(manager, { controllers: [FormsController] }, (a) => {
    a.use(express.urlencoded({ extended: false }));
    a.use(multer().none());
  });

  it('accepts the value in a urlencoded form field, as a plain form post sends it', async () => {
    await request(app)
      .post('/forms/notes')
      .set('Cookie', session)
      .type('form')
      .send({ [CSRF_FIELD]: claim, title: 'x' })
      .expect(200, { created: 'john@example.com' });
  });

  it('accepts it in a multipart form field (parsed before the login check)', async () => {
    await request(app)
      .post('/forms/notes')
      .set('Cookie', session)
      .field(CSRF_FIELD, claim)
      .field('title', 'x')
      .expect(200, { created: 'john@example.com' });
  });

  it('still accepts the header, and lets the header decide when both are sent', async () => {
    await request(app).post('/forms/notes').set('Cookie', session).set('X-CSRF-Token', claim).expect(200);
    await request(app)
      .post('/forms/notes')
      .set('Cookie', session)
      .set('X-CSRF-Token', 'wrong')
      .type('form')
      .send({ [CSRF_FIELD]: claim })
      .expect(403);
  });

  it('refuses a missing, wrong or repeated field with a 403 naming the header, the field and the cookie', async () => {
    for (const body of [
      { title: 'x' },
      { [CSRF_FIELD]: `${claim.slice(0, -1)}${claim.endsWith('A') ? 'B' : 'A'}` },
      { [CSRF_FIELD]: '' },
    ]) {
      const response = await request(app).post('/forms/notes').set('Cookie', session).type('form').send(body);
      expect(response.status, JSON.stringify(body)).to.equal(403);
      expect(response.body).to.deep.equal({ name: 'CsrfError', message: MESSAGE, code: 'csrf_failed' });
    }
    const repeated = `${CSRF_FIELD}=${claim}&${CSRF_FIELD}=${claim}`;
    await request(app).post('/forms/notes').set('Cookie', session).type('form').send(repeated).expect(403);
  });
});

describe('login CSRF: csrfValue() and @RequireCsrf()', () => {
  const app = appWith(manager, { controllers: [FormsController] }, (a) =>
    a.use(express.urlencoded({ extended: false })),
  );

  it('hands out one value per page before login, setting the readable csrf-token cookie once', async () => {
    const page = await request(app).get('/forms/login').expect(200);
    expect(page.body.csrf).to.match(CSRF_VALUE);
    expect(page.body.again).to.equal(page.body.csrf);
    const cookies = setCookies(page);
    expect(cookies).to.have.length(1);
    expect(cookies[0]).to.equal(`csrf-token=${page.body.csrf}; Path=/; SameSite=Lax`);
  });

  it('returns the cookie value a browser already holds, and sets nothing', async () => {
    const page = await request(app).get('/forms/login').set('Cookie', session).expect(200);
    expect(page.body.csrf).to.equal(claim);
    expect(setCookies(page)).to.deep.equal([]);
    const odd = await request(app).get('/forms/login').set('Cookie', 'csrf-token=<script>').expect(200);
    expect(odd.body.csrf).to.match(CSRF_VALUE);
  });

  it('accepts the login form post with the field equal to the cookie, without any login', async () => {
    const { csrf } = (await request(app).get('/forms/login')).body as { csrf: string };
    await request(app)
      .post('/forms/login')
      .set('Cookie', `csrf-token=${csrf}`)
      .type('form')
      .send({ [CSRF_FIELD]: csrf, username: 'john@example.com' })
      .expect(200, { loggedIn: true });
  });

  it('refuses a cross-site login post: no cookie, no field, or a value of its own', async () => {
    const { csrf } = (await request(app).get('/forms/login')).body as { csrf: string };
    const attempts = [
      { cookie: undefined, field: csrf },
      { cookie: `csrf-token=${csrf}`, field: undefined },
      { cookie: `csrf-token=${csrf}`, field: 'AAAAAAAAAAAAAAAAAAAAAA' },
    ];
    for (const { cookie, field } of attempts) {
      const post = request(app).post('/forms/login').set('Origin', 'https://evil.example');
      if (cookie) post.set('Cookie', cookie);
      const response = await post.type('form').send(field ? { [CSRF_FIELD]: field } : { username: 'x' });
      expect(response.status, JSON.stringify({ cookie, field })).to.equal(403);
      expect(response.body.message).to.equal(MESSAGE);
    }
  });

  it('leaves safe methods alone', async () => {
    await request(app).get('/forms/login-check').expect(200, { read: true });
  });

  it('answers a login post whose body no parser read 400 body_not_parsed, not 403 csrf_failed', async () => {
    const { csrf } = (await request(app).get('/forms/login')).body as { csrf: string };
    const multipart = await request(app) // this app parses urlencoded forms only: no multer
      .post('/forms/login')
      .set('Cookie', `csrf-token=${csrf}`)
      .field(CSRF_FIELD, csrf)
      .field('username', 'john@example.com');
    expect(multipart.status).to.equal(400);
    expect(multipart.body).to.deep.equal(UNPARSED);
    const json = await request(app)
      .post('/forms/login')
      .set('Cookie', `csrf-token=${csrf}`)
      .send({ [CSRF_FIELD]: csrf });
    expect(json.status).to.equal(400);
    expect(json.body).to.deep.equal(UNPARSED);
  });

  it('still decides by the header when one is sent with an unread body, and by 403 when no body came', async () => {
    const { csrf } = (await request(app).get('/forms/login')).body as { csrf: string };
    const post = () => request(app).post('/forms/login').set('Cookie', `csrf-token=${csrf}`);
    await post().set('X-CSRF-Token', csrf).field('username', 'x').expect(200, { loggedIn: true });
    await post().set('X-CSRF-Token', 'wrong').field('username', 'x').expect(403);
    const empty = await post();
    expect(empty.status).to.equal(403);
    expect(empty.body.code).to.equal('csrf_failed');
  });
});

describe('CSRF forms on Koa', () => {
  const server = koaAppWith(manager, { controllers: [KoaFormsController] }, (koa) => koa.use(bodyParser())).callback();

  it('reads the _csrf field of a body koa-bodyparser parsed', async () => {
    await request(server)
      .post('/koa-forms/notes')
      .set('Cookie', session)
      .type('form')
      .send({ [CSRF_FIELD]: claim })
      .expect(200, { created: 'john@example.com' });
    await request(server).post('/koa-forms/notes').set('Cookie', session).type('form').send({}).expect(403);
  });

  it('hands out a login CSRF value from the Koa context and requires it on the login post', async () => {
    const page = await request(server).get('/koa-forms/login').expect(200);
    const { csrf } = page.body as { csrf: string };
    expect(setCookies(page)[0]).to.match(new RegExp(`^csrf-token=${csrf}; Path=/; SameSite=Lax$`));
    await request(server)
      .post('/koa-forms/login')
      .set('Cookie', `csrf-token=${csrf}`)
      .type('form')
      .send({ [CSRF_FIELD]: csrf })
      .expect(200, { loggedIn: true });
    await request(server)
      .post('/koa-forms/login')
      .type('form')
      .send({ [CSRF_FIELD]: csrf })
      .expect(403);
  });

  it('answers a multipart login post that koa-bodyparser does not parse 400 body_not_parsed, not 403', async () => {
    const { csrf } = (await request(server).get('/koa-forms/login')).body as { csrf: string };
    const response = await request(server)
      .post('/koa-forms/login')
      .set('Cookie', `csrf-token=${csrf}`)
      .field(CSRF_FIELD, csrf);
    expect(response.status).to.equal(400);
    expect(response.body).to.deep.equal(UNPARSED);
  });
});
