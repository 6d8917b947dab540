// Drives Debian's chromium with playwright-core, as TOOLCHAIN.md says: a fresh profile folder per launch,
// headless, no sandbox, nothing downloaded. Collects console errors and page errors of every page opened.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';

/** Where screenshots go (git-ignored). */
export const OUTPUT_DIR = fileURLToPath(new URL('../../test-output/', import.meta.url));

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A running chromium with its own profile folder. */
export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Launches chromium in a fresh temporary profile. */
export async function launchBrowser(): Promise<Browser> {
  const dir = await mkdtemp(join(tmpdir(), 'deltaflow-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ARGS,
    viewport: { width: 1500, height: 950 },
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A page and the errors it logged (console errors and uncaught exceptions). */
export interface WatchedPage {
  page: Page;
  errors: string[];
}

/** Opens `url` in a new tab, collecting errors from the start; `init` runs in the page before its scripts. */
export async function openPage(
  context: BrowserContext,
  url: string,
  init?: () => void,
): Promise<WatchedPage> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  if (init) await page.addInitScript(init);
  await page.goto(url);
  return { page, errors };
}

/** Saves a full-page screenshot as test-output/NAME.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(OUTPUT_DIR, { recursive: true });
  await page.screenshot({ path: join(OUTPUT_DIR, `${name}.png`), fullPage: true });
}

/** The epoch counter the page shows. */
export async function epochOf(page: Page): Promise<number> {
  return Number(await page.textContent('#epoch'));
}

/** Waits until the epoch counter is at least `n`. */
export async function waitForEpoch(page: Page, n: number, timeout = 30_000): Promise<void> {
  await page.waitForFunction((min) => Number(document.getElementById('epoch')?.textContent) >= min, n, {
    timeout,
  });
}

/** Waits until the page shows the run in `state` (paused, running, ended). */
export async function waitForState(page: Page, state: string): Promise<void> {
  await page.waitForSelector(`#state[data-state="${state}"]`);
}
