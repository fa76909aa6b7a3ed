import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { describeWithBrowser, type OpenBrowser, openBrowser } from '../helpers/browser';
import { type Started, startServer } from '../helpers/spawn';

/**
 * Another site's page with the demo's three forms, minus the CSRF value it cannot know. It
 * is served from localhost too, on another port: the same site for cookies, so the browser
 * sends the demo's SameSite=Lax cookies with these posts and only the CSRF check stands.
 */
function attackerPage(demo: string): string {
  const form = (action: string, fields: string, label: string) =>
    `<form method="post" action="${demo}${action}">${fields}<button>${label}</button></form>`;
  return `<!doctype html><title>Win a prize</title>
${form('/logout', '', 'Forged logout')}
${form('/logout-everywhere', '', 'Forged logout everywhere')}
${form('/login', '<input type="hidden" name="username" value="johndoe@e.mail"><input type="hidden" name="password" value="hunter2">', 'Forged login')}`;
}

async function listen(html: string): Promise<{ server: Server; url: string }> {
  const server = createServer((_request, response) =>
    response.writeHead(200, { 'content-type': 'text/html' }).end(html),
  );
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  return { server, url: `http://localhost:${(server.address() as AddressInfo).port}` };
}

const heading = (page: Page) => page.locator('h1').textContent();

describeWithBrowser('the demo in Chromium with JavaScript off', function () {
  this.timeout(60_000);
  let demo: Started;
  let attacker: { server: Server; url: string };
  let browser: OpenBrowser;
  let page: Page;
  const requested: string[] = [];

  before(async () => {
    demo = await startServer(join(__dirname, '../../demo/main.js'));
    attacker = await listen(attackerPage(demo.url));
    browser = await openBrowser({ javaScriptEnabled: false });
    page = browser.page;
    page.on('request', (request) => void requested.push(new URL(request.url()).pathname));
  });
  after(async () => {
    await browser?.close();
    attacker?.server.close();
    await demo?.stop();
  });

  it('logs in with the plain form: the email stays after a wrong password, remember me sits on one line', async () => {
    await page.goto(`${demo.url}/login`);
    const box = await page.locator('input[name=remember]').boundingBox();
    const label = await page.locator('label.check').boundingBox();
    expect(box && label, 'the checkbox and its label are laid out').to.not.equal(null);
    expect((label?.height ?? 0) < 2 * (box?.height ?? 0) + 12, 'one line').to.equal(true);

    await page.fill('input[name=username]', 'johndoe@e.mail');
    await page.fill('input[name=password]', 'wrong');
    await page.click('button');
    expect(await page.locator('[role=alert]').textContent()).to.equal('Wrong email or password.');
    expect(await page.inputValue('input[name=username]')).to.equal('johndoe@e.mail');

    await page.fill('input[name=password]', 'hunter2');
    await page.check('input[name=remember]');
    await page.click('button');
    await page.waitForURL(`${demo.url}/`);
    expect(await heading(page)).to.equal('Hello, John Doe');
    expect(requested).not.to.include('/favicon.ico');
  });

  it('refuses each form posted from another site, says so, and stays logged in', async () => {
    for (const [button, title] of [
      ['Forged logout', 'Not logged out'],
      ['Forged logout everywhere', 'Not logged out'],
      ['Forged login', 'Not logged in'],
    ] as const) {
      await page.goto(attacker.url);
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        page.click(`text=${button}`),
      ]);
      expect(response.status(), button).to.equal(403);
      expect(await heading(page), button).to.equal(title);
      await page.goto(`${demo.url}/`);
      expect(await heading(page), button).to.equal('Hello, John Doe');
    }
  });

  it('remembers the login when the browser has forgotten the access cookie', async () => {
    await browser.context.clearCookies({ name: 'access-token' });
    await browser.context.clearCookies({ name: 'csrf-token' });
    await page.goto(`${demo.url}/`);
    expect(await heading(page)).to.equal('Hello, John Doe');
    const names = (await browser.context.cookies()).map((cookie) => cookie.name).sort();
    expect(names).to.deep.equal(['access-token', 'csrf-token', 'refresh-token']);
  });

  it('logs out with the form, and Back does not show the private page again', async () => {
    await page.getByRole('button', { name: 'Log out', exact: true }).click();
    await page.waitForURL(`${demo.url}/login`);
    // Only the login form's new CSRF cookie is left.
    expect((await browser.context.cookies()).map((cookie) => cookie.name)).to.deep.equal(['csrf-token']);
    await page.goBack();
    expect(await heading(page)).to.equal('Log in');
  });

  it('logs out everywhere with the form', async () => {
    await page.goto(`${demo.url}/login`);
    await page.fill('input[name=username]', 'johndoe@e.mail');
    await page.fill('input[name=password]', 'hunter2');
    await page.click('button');
    await page.waitForURL(`${demo.url}/`);
    await page.getByRole('button', { name: 'Log out everywhere' }).click();
    await page.waitForURL(`${demo.url}/login`);
    await page.goto(`${demo.url}/`);
    expect(page.url(), 'loginPage: sent to the login form, next the page asked for').to.equal(
      `${demo.url}/login?next=%2F`,
    );
  });

  it('sends a page asked for without a login to the form, and back to that page once logged in', async () => {
    await page.goto(`${demo.url}/devices`);
    expect(page.url()).to.equal(`${demo.url}/login?next=%2Fdevices`);
    await page.fill('input[name=username]', 'johndoe@e.mail');
    await page.fill('input[name=password]', 'hunter2');
    await page.click('button');
    await page.waitForURL(`${demo.url}/devices`);
    expect(await heading(page)).to.equal('Your devices');
  });

  it('lands on the home page, not another site, for a next off this site', async () => {
    await browser.context.clearCookies();
    await page.goto(`${demo.url}/login?next=${encodeURIComponent('/\\\\evil.example')}`);
    await page.fill('input[name=username]', 'johndoe@e.mail');
    await page.fill('input[name=password]', 'hunter2');
    await page.click('button');
    await page.waitForURL(`${demo.url}/`);
    expect(await heading(page)).to.equal('Hello, John Doe');
  });
});
