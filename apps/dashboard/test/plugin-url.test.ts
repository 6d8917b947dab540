// A plugin loaded by URL into the standalone page (`?plugin=URL`, repeatable), as `deltaflow --plugin` loads one:
// a plain module with no imports, its activation offered in the selector and trained with in the worker.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, waitForEpoch, waitForState } from './helpers/browser.js';
import type { Browser } from './helpers/browser.js';
import { startPlaygroundServer } from '../src/server/index.js';
import type { DashboardServer } from '../src/server/index.js';

// Served from the built page's folder: the page's Content-Security-Policy allows same-origin modules only.
const pluginDir = fileURLToPath(new URL('../dist/page/test-plugins/', import.meta.url));
const plugin = `export default {
  name: 'url-plugin',
  activations: [{ name: 'isru-url', f: (x) => x / Math.sqrt(1 + x * x), df: (x) => (1 + x * x) ** -1.5 }],
};
`;

let browser: Browser;
let server: DashboardServer;

beforeAll(async () => {
  mkdirSync(pluginDir, { recursive: true });
  writeFileSync(`${pluginDir}isru.mjs`, plugin);
  server = await startPlaygroundServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(pluginDir, { recursive: true, force: true });
});

describe('plugins by URL', () => {
  it('installs a plugin module named in the URL and trains with its activation', async () => {
    const { page, errors } = await openPage(
      browser.context,
      `${server.url}?dataset=circle&layers=4&activation=isru-url&plugin=test-plugins/isru.mjs`,
    );
    await waitForState(page, 'paused');
    expect(await page.$$eval('#activation option', (options) => options.map((o) => o.textContent))).toContain(
      'isru-url',
    );
    expect(await page.inputValue('#activation')).toBe('isru-url');
    await page.click('#play');
    await waitForEpoch(page, 5);
    expect(new URL(page.url()).searchParams.getAll('plugin')).toEqual(['test-plugins/isru.mjs']);
    expect(errors).toEqual([]);
  });

  it('says which plugin could not be installed, and trains with the rest', async () => {
    const { page } = await openPage(browser.context, `${server.url}?plugin=test-plugins/missing.mjs`);
    await waitForState(page, 'paused');
    await page.waitForFunction(() => /could not be installed/.test(document.body.innerText));
    expect(await page.evaluate(() => document.body.innerText)).toMatch(
      /The plugin .*missing\.mjs could not be installed/,
    );
  });
});
