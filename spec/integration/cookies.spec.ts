import { expect } from 'chai';
import { Get, JsonController, Post, Res } from 'routing-controllers';
import { type HttpExchange, LoggedIn, LoginManager, User } from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { onEveryServer } from '../helpers/drivers';
import { HS256_SECRET } from '../helpers/keys';
import { type Account, accountLoader } from '../helpers/users';

const users = accountLoader();
const manager = new LoginManager<Account>({
  secret: HS256_SECRET,
  tokenUrl: '/t',
  useCookie: true,
  userLoader: users.load,
});

@Service()
@JsonController('/session')
class SessionController {
  @Post('/login')
  login(@Res() response: HttpExchange) {
    manager.setCookie(response, manager.createAccessToken({ data: { sub: 'john@example.com' } }));
    return { ok: true };
  }

  @Post('/logout')
  logout(@Res() response: HttpExchange) {
    manager.clearCookie(response);
    return { ok: true };
  }

  @LoggedIn()
  @Get('/me')
  me(@User() user: Account) {
    return { email: user.email };
  }
}

onEveryServer('cookie mode', (server) => {
  const app = server.app(manager, { controllers: [SessionController] });
  const john = manager.createAccessToken({ data: { sub: 'john@example.com' } });
  const jane = manager.createAccessToken({ data: { sub: 'jane@example.com' } });

  it('sets the cookie HttpOnly, SameSite=Lax, Path=/, as a session cookie', async () => {
    const response = await request(app).post('/session/login').expect(200);
    const [cookie] = response.headers['set-cookie'] as unknown as string[];
    expect(cookie).to.match(/^access-token=[\w-]+\.[\w-]+\.[\w-]+; Path=\/; HttpOnly; SameSite=Lax$/);
  });

  it('logs in with the cookie the login set', async () => {
    const agent = request.agent(app);
    await agent.post('/session/login').expect(200);
    await agent.get('/session/me').expect(200, { email: 'john@example.com' });
  });

  it('clears the cookie on logout, after which the browser sends none', async () => {
    const response = await request(app).post('/session/logout').expect(200);
    const [cookie] = response.headers['set-cookie'] as unknown as string[];
    expect(cookie).to.equal(
      'access-token=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax',
    );
    const agent = request.agent(app);
    await agent.post('/session/login').expect(200);
    await agent.post('/session/logout').expect(200);
    await agent.get('/session/me').expect(401);
  });

  it('reads the cookie before the header: a valid cookie wins over a bad header', async () => {
    await request(app)
      .get('/session/me')
      .set('Cookie', `access-token=${jane}`)
      .set('Authorization', 'Bearer garbage')
      .expect(200, { email: 'jane@example.com' });
  });

  it('refuses a present but invalid cookie even when the header is valid', async () => {
    const response = await request(app)
      .get('/session/me')
      .set('Cookie', 'access-token=garbage')
      .set('Authorization', `Bearer ${john}`)
      .expect(401);
    expect(response.headers['www-authenticate']).to.equal('Bearer error="invalid_token"');
  });

  it('falls back to the header when there is no cookie', async () => {
    await request(app)
      .get('/session/me')
      .set('Authorization', `Bearer ${john}`)
      .expect(200, { email: 'john@example.com' });
    await request(app)
      .get('/session/me')
      .set('Cookie', 'other=1; theme=dark')
      .set('Authorization', `Bearer ${john}`)
      .expect(200);
  });

  it('ignores the header when useHeader is false', async () => {
    const cookieOnly = new LoginManager<Account>({
      secret: HS256_SECRET,
      tokenUrl: '/t',
      useCookie: true,
      useHeader: false,
      userLoader: users.load,
    });
    const cookieApp = server.app(cookieOnly, { controllers: [SessionController] });
    await request(cookieApp).get('/session/me').set('Authorization', `Bearer ${john}`).expect(401);
    await request(cookieApp).get('/session/me').set('Cookie', `access-token=${john}`).expect(200);
  });

  it('ignores the cookie when useCookie is false (the default)', async () => {
    const headerOnly = new LoginManager<Account>({ secret: HS256_SECRET, tokenUrl: '/t', userLoader: users.load });
    const headerApp = server.app(headerOnly, { controllers: [SessionController] });
    await request(headerApp).get('/session/me').set('Cookie', `access-token=${john}`).expect(401);
  });

  it('uses cookieName', async () => {
    const named = new LoginManager<Account>({
      secret: HS256_SECRET,
      tokenUrl: '/t',
      useCookie: true,
      cookieName: 'session',
      userLoader: users.load,
    });
    const namedApp = server.app(named, { controllers: [SessionController] });
    await request(namedApp).get('/session/me').set('Cookie', `access-token=${john}`).expect(401);
    await request(namedApp).get('/session/me').set('Cookie', `session=${john}`).expect(200);
  });
});
