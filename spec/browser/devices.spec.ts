import { join } from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { describeWithBrowser, type OpenBrowser, openBrowser } from '../helpers/browser';
import { type Started, startServer } from '../helpers/spawn';

/**
 * The demo's "Your devices" page in two Chromiums with JavaScript off, each its own profile
 * (two devices of one user): one ends the other's login with a plain form post.
 */
describeWithBrowser('the demo\'s "Your devices" page in Chromium with JavaScript off', function () {
  this.timeout(60_000);
  let demo: Started;
  let laptop: OpenBrowser;
  let phone: OpenBrowser;

  before(async () => {
    demo = await startServer(join(__dirname, '../../demo/main.js'));
    [laptop, phone] = await Promise.all([
      openBrowser({ javaScriptEnabled: false, userAgent: 'Laptop browser' }),
      openBrowser({ javaScriptEnabled: false, userAgent: 'Phone browser' }),
    ]);
  });
  after(async () => {
    await Promise.all([laptop?.close(), phone?.close()]);
    await demo?.stop();
  });

  async function logIn(page: Page): Promise<void> {
    await page.goto(`${demo.url}/login`);
    await page.fill('input[name=username]', 'johndoe@e.mail');
    await page.fill('input[name=password]', 'hunter2');
    await page.click('button');
    await page.waitForURL(`${demo.url}/`);
  }

  /** The page's list: each device's label, and whether it is marked as this one. */
  async function devices(page: Page): Promise<{ label: string | null; current: boolean }[]> {
    const items = page.locator('li.device');
    const listed = [];
    for (let i = 0; i < (await items.count()); i += 1) {
      const item = items.nth(i);
      const current = (await item.getAttribute('class'))?.split(' ').includes('current') ?? false;
      listed.push({ label: await item.locator('.label').textContent(), current });
      expect(await item.locator('.this').count(), 'the "this device" marker').to.equal(current ? 1 : 0);
    }
    return listed;
  }

  it('lists both logins, this one marked; ends the other with its button, and the other lands on /login', async () => {
    await logIn(phone.page);
    await logIn(laptop.page);
    const { page } = laptop;
    await page.getByRole('link', { name: 'Your devices' }).click();
    await page.waitForURL(`${demo.url}/devices`);
    expect(await devices(page)).to.deep.equal([
      { label: 'Laptop browser', current: true },
      { label: 'Phone browser', current: false },
    ]);

    await page.locator('li.device', { hasText: 'Phone browser' }).getByRole('button').click();
    await page.waitForURL(`${demo.url}/devices`);
    expect(await devices(page)).to.deep.equal([{ label: 'Laptop browser', current: true }]);

    await phone.page.goto(`${demo.url}/`);
    expect(phone.page.url()).to.equal(`${demo.url}/login?next=%2F`);
    await phone.page.goto(`${demo.url}/devices`);
    expect(phone.page.url()).to.equal(`${demo.url}/login?next=%2Fdevices`);
    await page.goto(`${demo.url}/`);
    expect(await page.locator('h1').textContent()).to.equal('Hello, John Doe');
  });

  it('ends this device from its own page: logged out, on /login', async () => {
    const { page } = laptop;
    await page.goto(`${demo.url}/devices`);
    await page.locator('li.device.current').getByRole('button').click();
    await page.waitForURL(`${demo.url}/login`);
    await page.goto(`${demo.url}/devices`);
    expect(page.url()).to.equal(`${demo.url}/login?next=%2Fdevices`);
  });
});
