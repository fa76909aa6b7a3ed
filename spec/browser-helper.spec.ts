import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { describeWithBrowser, type OpenBrowser, openBrowser } from './helpers/browser';

/** A page whose heading says whether its script ran. */
const PAGE =
  '<!doctype html><h1 id="js">no script</h1><script>document.getElementById("js").textContent = "script ran"</script>';

describeWithBrowser('the browser helper (spec/helpers/browser.ts)', function () {
  this.timeout(30_000);
  let server: Server;
  let url: string;
  let browser: OpenBrowser | undefined;

  before(async () => {
    server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterEach(async () => {
    await browser?.close();
    browser = undefined;
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  it('opens a page in headless Chromium and runs its scripts', async () => {
    browser = await openBrowser();
    await browser.page.goto(url);
    expect(await browser.page.textContent('#js')).to.equal('script ran');
  });

  it('turns scripts off with { javaScriptEnabled: false }', async () => {
    browser = await openBrowser({ javaScriptEnabled: false });
    await browser.page.goto(url);
    expect(await browser.page.textContent('#js')).to.equal('no script');
  });
});
