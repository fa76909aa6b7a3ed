import { join } from 'node:path';
import { expect } from 'chai';
import { type Started, startServer } from './helpers/spawn';
import { appFiles } from './readme/blocks';
import { compile } from './readme/source';

describe('the README quickstart, compiled and run as written', function () {
  this.timeout(60_000);
  let app: Started;
  const secret = 'readme-spec-secret-Qx7Lk2Vb9Tz4Hw8Rj5Nc3';

  before(async () => {
    // The repository's strict settings (unused names are errors), not the examples' relaxed ones.
    const { workdir, diagnostics } = compile('readme-quickstart', appFiles('quickstart'));
    expect(diagnostics).to.equal('');
    app = await startServer(join(workdir, 'out/app.js'), { SECRET: secret });
  });
  after(() => app?.stop());

  it('answers 401 with a Bearer challenge without a token', async () => {
    const response = await fetch(`${app.url}/me`);
    expect(response.status).to.equal(401);
    expect(response.headers.get('www-authenticate')).to.equal('Bearer');
  });

  it('issues a token for a form post and serves /me with it', async () => {
    const issued = await fetch(`${app.url}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=ada%40example.com&password=let-me-in',
    });
    expect(issued.status).to.equal(200);
    const { access_token } = (await issued.json()) as { access_token: string };
    const me = await fetch(`${app.url}/me`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(me.status).to.equal(200);
    expect(await me.json()).to.deep.equal({ email: 'ada@example.com', name: 'Ada', scopes: ['items:write'] });
  });

  it('refuses a wrong password with a 401', async () => {
    const response = await fetch(`${app.url}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'ada@example.com', password: 'wrong' }),
    });
    expect(response.status).to.equal(401);
  });

  it('answers a form with an empty username 400, without echoing the password', async () => {
    const response = await fetch(`${app.url}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=&password=MySecretPassw0rd',
    });
    expect(response.status).to.equal(400);
    expect(await response.text())
      .to.include('username')
      .and.not.include('MySecretPassw0rd');
  });

  it('answers a JSON body that does not parse 400, echoing the password neither in the body nor in its log', async () => {
    const response = await fetch(`${app.url}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // Short enough that V8's JSON.parse message quotes all of it.
      body: '{"password": hunter2}',
    });
    expect(response.status).to.equal(400);
    expect(await response.json()).to.deep.equal({ message: 'Bad Request' });
    expect(app.output()).not.to.include('hunter2');
  });
});
