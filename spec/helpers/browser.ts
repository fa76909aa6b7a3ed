import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core';

/** The Chromium the browser specs drive: the system's (`.ci/run` installs it with apt), or `$CHROMIUM`. */
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/**
 * Flags for a machine without internet access: without them Chromium keeps trying to reach
 * Google's services (updates, sync, field trials, QUIC probes), and the closed network refuses it.
 */
const OFFLINE_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Why no browser can run here, or `undefined` when one can. */
export function browserUnavailable(): string | undefined {
  try {
    accessSync(CHROMIUM, constants.X_OK);
  } catch {
    return `pending: no Chromium at ${CHROMIUM} (apt-get install chromium, set CHROMIUM=<path>, or run .ci/run)`;
  }
  return undefined;
}

/**
 * `describe` when a browser can run, otherwise `describe.skip` with the reason in the title,
 * so the run reports the specs pending and says why.
 */
export function describeWithBrowser(title: string, specs: (this: Mocha.Suite) => void): void {
  const reason = browserUnavailable();
  if (reason) describe.skip(`${title} (${reason})`, specs);
  else describe(title, specs);
}

/** A headless Chromium with a fresh profile: one context, one page. `close()` removes it all. */
export interface OpenBrowser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/**
 * Launches headless Chromium with a fresh `--user-data-dir` and opens a page. `options` are
 * Playwright's context options, e.g. `{ javaScriptEnabled: false }` or `{ baseURL }`.
 * A missing browser is the caller's to report (see `describeWithBrowser`); a browser that is
 * there but fails to start is an error.
 */
export async function openBrowser(options: BrowserContextOptions = {}): Promise<OpenBrowser> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'rcl-chromium-'));
  let context: BrowserContext;
  try {
    // A persistent context is how Playwright takes our own --user-data-dir.
    context = await chromium.launchPersistentContext(profile, {
      ...options,
      executablePath: CHROMIUM,
      headless: true,
      args: OFFLINE_FLAGS,
    });
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
