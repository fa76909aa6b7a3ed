import { join } from 'node:path';
import { expect } from 'chai';
import { navigate } from '../helpers/navigate';
import { type Started, startServer } from '../helpers/spawn';

describe('the demo (npm run demo)', () => {
  let demo: Started;
  /** A page (Accept: text/html) as a browser's navigation, anything else as a script's fetch(). */
  const get = (path: string, headers: Record<string, string> = {}) =>
    headers.accept?.includes('text/html')
      ? navigate(`${demo.url}${path}`, 'GET', headers)
      : fetch(`${demo.url}${path}`, { headers, redirect: 'manual' });
  const post = (path: string, body: string, type: string, headers: Record<string, string> = {}) =>
    fetch(`${demo.url}${path}`, {
      method: 'POST',
      body,
      headers: { 'content-type': type, ...headers },
      redirect: 'manual',
    });
  const form = 'application/x-www-form-urlencoded';
  const credentials = 'username=johndoe%40e.mail&password=hunter2';
  /** The token cookie to send back, and the csrf-token cookie's value for X-CSRF-Token. */
  const sessionOf = (response: Response) => {
    const cookies = response.headers.getSetCookie();
    const token = cookies.find((c) => c.startsWith('access-token='))?.split(';')[0] as string;
    const csrf = cookies
      .find((c) => c.startsWith('csrf-token='))
      ?.split(';')[0]
      ?.slice('csrf-token='.length) as string;
    expect(token).to.match(/^access-token=.+/);
    expect(csrf).to.match(/^[\w-]{22}\.[\w-]{43}$/);
    return { cookie: token, csrf };
  };

  /** What a browser gets from GET /login: the csrf-token cookie, and the same value in the form's hidden field. */
  const loginForm = async (url = demo.url) => {
    const page = await fetch(`${url}/login`);
    const cookie = page.headers.getSetCookie()[0]?.split(';')[0] as string;
    const csrf = /name="_csrf" value="([\w-]{22}\.[\w-]{43})"/.exec(await page.text())?.[1] as string;
    expect(cookie).to.equal(`csrf-token=${csrf}`);
    return { cookie, csrf };
  };
  /** Posts the login form as a browser would: its cookie, and its fields plus the hidden _csrf. */
  const postLogin = async (fields: string, url = demo.url) => {
    const { cookie, csrf } = await loginForm(url);
    return fetch(`${url}/login`, {
      method: 'POST',
      body: `${fields}&_csrf=${csrf}`,
      headers: { 'content-type': form, cookie },
      redirect: 'manual',
    });
  };

  before(async () => {
    demo = await startServer(join(__dirname, '../../demo/main.js'));
  });
  after(() => demo?.stop());

  it('prints one line saying where it listens and how to log in', () => {
    expect(demo.output().trim().split('\n')).to.have.length(1);
    expect(demo.output()).to.match(/listening on http:\/\/localhost:\d+.*johndoe@e\.mail.*hunter2/);
  });

  it('issues a bearer token for JSON and form credentials, and refuses wrong ones', async () => {
    const json = await post(
      '/auth/token',
      JSON.stringify({ username: 'johndoe@e.mail', password: 'hunter2' }),
      'application/json',
    );
    expect(json.status).to.equal(200);
    expect(json.headers.get('cache-control')).to.equal('no-store');
    expect(json.headers.get('pragma')).to.equal('no-cache');
    const body = (await json.json()) as Record<string, unknown>;
    expect(Object.keys(body)).to.have.members(['access_token', 'token_type', 'expires_in', 'refresh_token']);
    expect(body).to.include({ token_type: 'Bearer', expires_in: 15 * 60 });
    expect((body.access_token as string).split('.')).to.have.length(3);
    expect((await post('/auth/token', credentials, form)).status).to.equal(200);
    expect((await post('/auth/token', 'username=johndoe%40e.mail&password=wrong', form)).status).to.equal(401);
    expect((await post('/auth/token', 'username=nobody%40e.mail&password=hunter2', form)).status).to.equal(401);
  });

  it('serves /me to a bearer token, without the password hash', async () => {
    const { access_token } = (await (await post('/auth/token', credentials, form)).json()) as { access_token: string };
    const me = await get('/me', { authorization: `Bearer ${access_token}` });
    expect(me.status).to.equal(200);
    const user = (await me.json()) as Record<string, unknown>;
    expect(user).to.deep.equal({ email: 'johndoe@e.mail', name: 'John Doe', scopes: ['items:read'] });
    const anonymous = await get('/me', { accept: 'application/json' });
    expect(anonymous.status).to.equal(401);
    expect(anonymous.headers.get('www-authenticate')).to.match(/^Bearer, DPoP algs="/); // DPoP is allowed
  });

  it('refreshes with rotation: new tokens at /auth/refresh, nothing at /me, and a reused one ends the login', async () => {
    const issued = (await (await post('/auth/token', credentials, form)).json()) as {
      refresh_token: string;
      access_token: string;
    };
    const refreshed = await post('/auth/refresh', '', form, { authorization: `Bearer ${issued.refresh_token}` });
    expect(refreshed.status).to.equal(200);
    const { access_token, refresh_token } = (await refreshed.json()) as { access_token: string; refresh_token: string };
    expect((await get('/me', { authorization: `Bearer ${access_token}` })).status).to.equal(200);
    expect(refresh_token).to.be.a('string').and.not.equal(issued.refresh_token);
    expect((await get('/me', { authorization: `Bearer ${issued.refresh_token}` })).status).to.equal(401);
    expect((await post('/auth/refresh', '', form, { authorization: `Bearer ${issued.access_token}` })).status).to.equal(
      401,
    );
    // Within refreshGrace (15 s) the token just rotated away refreshes again (a second tab); once the
    // login has moved on past it, it is reuse and ends the login.
    const again = await post('/auth/refresh', '', form, { authorization: `Bearer ${issued.refresh_token}` });
    expect(again.status).to.equal(200);
    expect((await post('/auth/refresh', '', form, { authorization: `Bearer ${refresh_token}` })).status).to.equal(200);
    const reused = await post('/auth/refresh', '', form, { authorization: `Bearer ${issued.refresh_token}` });
    expect(reused.status).to.equal(401);
    expect((await get('/me', { authorization: `Bearer ${access_token}` })).status).to.equal(401);
  });

  it('runs the browser flow without JavaScript: login form, cookie, home page, logout by form post', async () => {
    const page = await get('/login');
    expect(page.headers.get('content-type')).to.match(/text\/html/);
    const loginHtml = await page.text();
    expect(loginHtml).to.include('<form method="post" action="/login"><input type="hidden" name="_csrf"');
    expect(loginHtml).to.include('<link rel="icon" href="data:,">').and.not.include('<script');

    const login = await postLogin(credentials);
    expect(login.status).to.equal(303);
    expect(login.headers.get('location')).to.equal('/');
    const { cookie, csrf } = sessionOf(login);

    // As a browser sends them: the token cookie and the csrf-token cookie, whose value the page reuses.
    const home = await get('/', { cookie: `${cookie}; csrf-token=${csrf}`, accept: 'text/html' });
    expect(home.status).to.equal(200);
    expect(home.headers.get('cache-control')).to.equal('no-store');
    const html = await home.text();
    expect(html).to.include('Hello, John Doe');
    expect(html).to.include(`<form method="post" action="/logout"><input type="hidden" name="_csrf" value="${csrf}">`);
    expect(html).not.to.include('<script');

    const logout = await post('/logout', `_csrf=${csrf}`, form, { cookie, accept: 'text/html' });
    expect(logout.status).to.equal(303);
    expect(logout.headers.get('location')).to.equal('/login');
    expect(logout.headers.get('set-cookie')).to.match(/^access-token=; .*Max-Age=0/);
    expect((await get('/', { cookie, accept: 'text/html' })).status).to.equal(303);
  });

  it('refuses each of its forms posted from another site with a 403 page saying nothing changed', async () => {
    const { cookie, csrf } = sessionOf(await postLogin(credentials));
    const victim = `${cookie}; csrf-token=${csrf}`;
    const crossSite = { cookie: victim, accept: 'text/html', origin: 'https://evil.example' };
    for (const [path, title] of [
      ['/logout', 'Not logged out'],
      ['/logout-everywhere', 'Not logged out'],
      ['/login', 'Not logged in'],
    ] as const) {
      const forged = await post(path, path === '/login' ? credentials : '', form, crossSite);
      expect(forged.status, path).to.equal(403);
      const text = await forged.text();
      expect(text, path).to.include(`<h1>${title}</h1>`).and.include('Nothing changed');
      expect(forged.headers.get('set-cookie'), path).to.equal(null);
    }
    expect((await get('/', { cookie, accept: 'text/html' })).status).to.equal(200);
  });

  it("ends another device from /devices only with the form's CSRF value, and shows each label escaped", async () => {
    const loginAs = async (agent: string) => {
      const { cookie, csrf } = await loginForm();
      const login = await post('/login', `${credentials}&_csrf=${csrf}`, form, { cookie, 'user-agent': agent });
      const session = sessionOf(login);
      return { ...session, cookie: `${session.cookie}; csrf-token=${session.csrf}` };
    };
    const phone = await loginAs('<b>Phone</b>');
    const laptop = await loginAs('Laptop');
    const page = await (await get('/devices', { cookie: laptop.cookie, accept: 'text/html' })).text();
    expect(page).to.include('&#60;b&#62;Phone&#60;/b&#62;').and.not.include('<b>Phone');
    const phoneId = /<li class="device">[\s\S]*?name="id" value="([\w-]+)"/.exec(page)?.[1] as string;
    expect(phoneId).to.be.a('string');
    const forged = await post('/devices/end', `id=${phoneId}`, form, { cookie: laptop.cookie, accept: 'text/html' });
    expect(forged.status, 'without _csrf').to.equal(403);
    expect((await get('/', { cookie: phone.cookie, accept: 'text/html' })).status).to.equal(200);
    const ended = await post('/devices/end', `id=${phoneId}&_csrf=${laptop.csrf}`, form, { cookie: laptop.cookie });
    expect([ended.status, ended.headers.get('location')]).to.deep.equal([303, '/devices']);
    const after = await get('/', { cookie: phone.cookie, accept: 'text/html' });
    expect([after.status, after.headers.get('location')], 'the ended device').to.deep.equal([303, '/login?next=%2F']);
    expect((await get('/', { cookie: laptop.cookie, accept: 'text/html' })).status).to.equal(200);
  });

  it('remembers the login for 30 days with a refresh cookie when asked', async () => {
    const login = await postLogin(`${credentials}&remember=on`);
    const cookies = login.headers.getSetCookie();
    expect(cookies.find((c) => c.startsWith('access-token='))).to.match(/Max-Age=900;/);
    expect(cookies.find((c) => c.startsWith('refresh-token='))).to.match(/Max-Age=2592000; HttpOnly/);
    const refresh = cookies.find((c) => c.startsWith('refresh-token='))?.split(';')[0] as string;
    const renewed = await get('/', { cookie: refresh, accept: 'text/html' });
    expect(renewed.status).to.equal(200);
    expect(await renewed.text()).to.include('Hello, John Doe');
  });

  it('logs out everywhere: every token of the user is refused', async () => {
    const { access_token } = (await (await post('/auth/token', credentials, form)).json()) as { access_token: string };
    const { cookie, csrf } = sessionOf(await postLogin(credentials));
    await new Promise((resolve) => setTimeout(resolve, 2));
    const everywhere = await post('/logout-everywhere', `_csrf=${csrf}`, form, { cookie });
    expect(everywhere.status).to.equal(303);
    expect((await get('/me', { authorization: `Bearer ${access_token}` })).status).to.equal(401);
    await new Promise((resolve) => setTimeout(resolve, 2));
    const { access_token: fresh } = (await (await post('/auth/token', credentials, form)).json()) as {
      access_token: string;
    };
    expect((await get('/me', { authorization: `Bearer ${fresh}` })).status).to.equal(200);
  });

  it('redirects a browser without a login from / to /login (loginPage); a script keeps the 401', async () => {
    const home = await get('/', { accept: 'text/html,application/xhtml+xml' });
    expect(home.status).to.equal(303);
    expect(home.headers.get('location')).to.equal('/login?next=%2F');
    const script = await fetch(`${demo.url}/`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect([script.status, script.headers.get('location')], "a page's fetch()").to.deep.equal([401, null]);
  });

  it('sends a browser back to the page it asked for after the login form, never off the site', async () => {
    const sent = await get('/devices', { accept: 'text/html' });
    expect([sent.status, sent.headers.get('location')]).to.deep.equal([303, '/login?next=%2Fdevices']);
    const { cookie, csrf } = await loginForm();
    const form = await (await get('/login?next=%2Fdevices', { cookie, accept: 'text/html' })).text();
    expect(form).to.include('<form method="post" action="/login?next=%2Fdevices">');
    const submit = (next: string) =>
      fetch(`${demo.url}/login?next=${encodeURIComponent(next)}`, {
        method: 'POST',
        body: `${credentials}&_csrf=${csrf}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        redirect: 'manual',
      });
    expect((await submit('/devices')).headers.get('location')).to.equal('/devices');
    for (const next of ['//evil.example', 'https://evil.example', '/\\evil.example', '/%2F%2Fevil.example']) {
      expect((await submit(next)).headers.get('location'), next).to.equal('/');
    }
  });

  it('shows the form again, with a 401, after a wrong password', async () => {
    const login = await postLogin('username=johndoe%40e.mail&password=nope');
    expect(login.status).to.equal(401);
    const html = await login.text();
    expect(html).to.include('Wrong email or password.');
    expect(html).to.include('value="johndoe@e.mail"');
  });

  it('throttles password guessing on both password endpoints: the 6th try is a 429 with Retry-After', async () => {
    const guess = 'username=mallory%40e.mail&password=guess';
    for (let i = 0; i < 3; i += 1) expect((await post('/auth/token', guess, form)).status).to.equal(401);
    for (let i = 0; i < 2; i += 1) expect((await postLogin(guess)).status).to.equal(401);
    const page = await postLogin(guess);
    expect(page.status).to.equal(429);
    expect(Number(page.headers.get('retry-after'))).to.be.within(1, 30);
    expect(await page.text()).to.match(/Too many attempts: try again in \d+ seconds/);
    const api = await post('/auth/token', guess, form);
    expect(api.status).to.equal(429);
    expect(api.headers.get('retry-after')).to.match(/^\d+$/);
    expect(await api.json()).to.include({ code: 'login_throttled' });
  });

  it('answers a bad form 400 without echoing the password, in development and production mode', async () => {
    const production = await startServer(join(__dirname, '../../demo/main.js'), { NODE_ENV: 'production' });
    try {
      for (const url of [demo.url, production.url]) {
        const token = await fetch(`${url}/auth/token`, {
          method: 'POST',
          body: 'username=&password=MySecretPassw0rd',
          headers: { 'content-type': form },
        });
        const page = await postLogin('username=johndoe%40e.mail&password=MySecretPassw0rd&remember=yes', url);
        for (const response of [token, page]) {
          expect(response.status, `${url} ${response.url}`).to.equal(400);
          expect(await response.text()).not.to.include('MySecretPassw0rd');
        }
      }
    } finally {
      await production.stop();
    }
  });
});
