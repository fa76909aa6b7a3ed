import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { expect } from 'chai';
import type { Response } from 'playwright-core';
import { describeWithBrowser, type OpenBrowser, openBrowser } from '../helpers/browser';
import { type Started, startServer } from '../helpers/spawn';

const DEMO = join(__dirname, '../../demo/main.js');

describe('the demo API docs: GET /openapi.json and /docs', () => {
  let demo: Started;
  before(async () => {
    demo = await startServer(DEMO);
  });
  after(() => demo?.stop());

  it('serves an OpenAPI document that validates, with /me locked and the password flow at /auth/token', async () => {
    const spec = (await (await fetch(`${demo.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { security?: unknown }>>;
      components: { securitySchemes: Record<string, { flows?: unknown }> };
    };
    const result = await new Validator().validate(structuredClone(spec));
    expect(result.errors, JSON.stringify(result.errors)).to.equal(undefined);
    // The demo allows DPoP: a dpop scheme beside bearer on protected and refresh routes.
    expect(spec.paths['/me/']?.get?.security).to.deep.equal([
      { oauth2: [] },
      { bearer: [] },
      { dpop: [] },
      { cookie: [] },
    ]);
    expect(spec.paths['/auth/token']?.post?.security).to.equal(undefined);
    expect(spec.paths['/auth/refresh']?.post?.security).to.deep.equal([
      { refreshToken: [] },
      { dpop: [] },
      { cookie: [] },
    ]);
    expect(spec.components.securitySchemes.oauth2?.flows).to.deep.equal({
      password: { tokenUrl: '/auth/token', scopes: { 'items:read': 'Read items' } },
    });
  });

  it('serves Swagger UI and every file its page loads itself, with no CDN', async () => {
    const docs = await fetch(`${demo.url}/docs`);
    expect(docs.status).to.equal(200);
    const assets = [...(await docs.text()).matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] as string);
    expect(assets).to.include.members(['./swagger-ui.css', './swagger-ui-bundle.js', './swagger-ui-init.js']);
    for (const asset of assets) {
      const url = new URL(asset, docs.url);
      expect(url.origin, asset).to.equal(demo.url);
      const response = await fetch(url);
      expect(response.status, asset).to.equal(200);
      await response.arrayBuffer();
    }
  });

  describeWithBrowser('in Chromium', function () {
    this.timeout(60_000);
    let browser: OpenBrowser | undefined;
    afterEach(() => browser?.close());

    it('shows locks, authorizes through the password flow, and "Try it out" on GET /me answers 200 with the user', async () => {
      browser = await openBrowser();
      const { page } = browser;
      const offsite: string[] = [];
      page.on('request', (request) => {
        if (!request.url().startsWith(demo.url)) offsite.push(request.url());
      });
      await page.goto(`${demo.url}/docs/`);
      const me = page.locator('.opblock-get', { has: page.locator('[data-path="/me/"]') });
      await me.waitFor();
      expect(await me.locator('.authorization__btn').count(), 'the lock on GET /me').to.equal(1);
      expect(
        await page
          .locator('.opblock-post', { has: page.locator('[data-path="/auth/token"]') })
          .locator('.authorization__btn')
          .count(),
      ).to.equal(0);

      await page.click('.auth-wrapper .authorize');
      const oauth2 = page.locator('.auth-container', { has: page.locator('h4', { hasText: 'oauth2' }) });
      await oauth2.locator('#oauth_username').fill('johndoe@e.mail');
      await oauth2.locator('#oauth_password').fill('hunter2');
      // Client credentials in the form too, so the post carries every field Swagger UI can send.
      await oauth2.locator('#password_type').selectOption('request-body');
      await oauth2.locator('#client_id_password').fill('swagger-ui');
      await oauth2.locator('#client_secret_password').fill('not-checked');
      await oauth2.locator('label[for="items:read-password-checkbox-oauth2"]').click();
      const tokenResponse = page.waitForResponse((response) => response.url().endsWith('/auth/token'));
      await oauth2.locator('button.authorize').click();
      const token = await tokenResponse;
      expect(token.status(), 'POST /auth/token from the Authorize dialog').to.equal(200);
      const form = new URLSearchParams(token.request().postData() ?? '');
      expect([...form.keys()].sort()).to.deep.equal([
        'client_id',
        'client_secret',
        'grant_type',
        'password',
        'scope',
        'username',
      ]);
      expect(form.get('grant_type')).to.equal('password');
      expect(form.get('scope')).to.equal('items:read');
      await oauth2.locator('h6', { hasText: 'Authorized' }).waitFor();
      await page.click('.dialog-ux .close-modal');

      await me.locator('.opblock-summary').click();
      await me.locator('.try-out__btn').click();
      const meResponse = page.waitForResponse((response: Response) => new URL(response.url()).pathname === '/me/');
      await me.locator('.execute').click();
      const answered = await meResponse;
      expect(answered.status()).to.equal(200);
      expect(answered.request().headers().authorization).to.match(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
      expect(await answered.json()).to.deep.equal({
        email: 'johndoe@e.mail',
        name: 'John Doe',
        scopes: ['items:read'],
      });
      const shown = me.locator('.live-responses-table .response');
      await shown.waitFor();
      expect(await shown.locator('.response-col_status').textContent()).to.equal('200');
      expect(await shown.locator('.response-col_description pre').first().textContent()).to.include(
        '"email": "johndoe@e.mail"',
      );
      expect(offsite).to.deep.equal([]);
    });
  });
});
