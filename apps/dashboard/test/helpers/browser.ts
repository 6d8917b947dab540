// Drives the shared headless chromium (@deltaflow/test-browser: Debian's chromium when present, else the
// one the npm package @sparticuz/chromium ships) with playwright-core, a fresh profile folder per launch.
// Collects console errors and page errors of every page opened.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser as launchSharedBrowser } from '@deltaflow/test-browser';
import type { Browser } from '@deltaflow/test-browser';
import type { BrowserContext, Page } from 'playwright-core';

/** Where screenshots go (git-ignored). */
export const OUTPUT_DIR = fileURLToPath(new URL('../../test-output/', import.meta.url));

/** A running chromium with its own profile folder (from the shared helper, tools/browser). */
export type { Browser };

/** Launches the shared chromium (Debian's, else the npm package's) in a fresh temporary profile. */
export function launchBrowser(): Promise<Browser> {
  return launchSharedBrowser();
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
