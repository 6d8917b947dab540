// The shared browser: Debian's chromium when present, else the npm package's; both really render a page and run
// a worker, with the project's flags (not the serverless ones).
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, SYSTEM_CHROMIUM, browserExecutable, findBrowser, launchBrowser } from './index.js';

const page = `<!doctype html><title>t</title><p id="out">waiting</p><script>
  const worker = new Worker(URL.createObjectURL(new Blob(['postMessage(6 * 7)'], { type: 'text/javascript' })));
  worker.onmessage = (e) => { document.getElementById('out').textContent = 'worker says ' + e.data; };
</script>`;
const server = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'text/html' }).end(page);
});
let url = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('findBrowser', () => {
  it("picks Debian's chromium exactly when it is installed", async () => {
    const found = await findBrowser();
    if (existsSync(SYSTEM_CHROMIUM))
      expect(found).toMatchObject({ executable: SYSTEM_CHROMIUM, source: 'system' });
    else expect(found.source).toBe('npm');
    expect(await browserExecutable()).toBe(found.executable);
  });

  it("falls back to the npm package's chromium, unpacked into the temporary folder", async () => {
    const found = await findBrowser({ system: '/nonexistent/chromium' });
    expect(found.source).toBe('npm');
    expect(found.executable).toMatch(/deltaflow-chromium-[\d.]+\/chromium$/);
    expect(existsSync(found.executable)).toBe(true);
  });

  it('launches with our flags only, never the serverless ones', () => {
    expect(CHROMIUM_ARGS).toContain('--disable-background-networking');
    expect(CHROMIUM_ARGS.join(' ')).not.toMatch(/single-process|disable-web-security|no-zygote/);
  });
});

describe.each([
  ['the default chromium', undefined],
  ["the npm package's chromium", '/nonexistent/chromium'],
])('launchBrowser with %s', (_name, system) => {
  it('renders a page served on loopback and runs its worker', async () => {
    const browser = await launchBrowser({ system });
    try {
      expect(browser.source).toBe(system || !existsSync(SYSTEM_CHROMIUM) ? 'npm' : 'system');
      const tab = await browser.context.newPage();
      await tab.goto(url);
      await tab.waitForFunction(() => document.getElementById('out')?.textContent === 'worker says 42');
      expect(await tab.evaluate(() => navigator.userAgent)).toMatch(/Chrom/);
      // LANG=C.UTF-8 must not leave the headless shell with the invalid default locale en-US@posix.
      expect(await tab.evaluate(() => new Intl.NumberFormat().resolvedOptions().locale)).toBe('en-US');
      expect(await tab.evaluate(() => (1234.5).toLocaleString())).toBe('1,234.5');
    } finally {
      await browser.close();
    }
  });
});
