import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fromOnnx, toOnnx } from '@deltaflow/interop';
import { mlp } from '@deltaflow/network';
import { launchBrowser } from '@deltaflow/test-browser';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { root } from './support/workspace.js';

// toOnnx and fromOnnx are browser-safe: bundled by Vite from the built @deltaflow/interop (with onnx-proto and
// protobufjs inside) and run in headless chromium (@deltaflow/test-browser), they give the same bytes as in Node.

const dir = join(root, 'tools/package-tests/.interop-browser');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The page's program, and the same model in this process. */
const PROGRAM = `
import { fromOnnx, toOnnx } from '@deltaflow/interop';
import { mlp } from '@deltaflow/network';
const model = mlp({ inputs: 3, layers: [{ units: 4, activation: 'gelu', dropout: 0.1 }, { units: 2, activation: 'softmax' }], seed: 9 });
model.meta = { classNames: ['a', 'b'], scaler: { kind: 'standard', offset: [1, 2, 3], scale: [4, 5, 6] } };
const bytes = toOnnx(model, { dtype: 'float64' });
globalThis.result = { bytes: Array.from(bytes), file: fromOnnx(bytes) };
`;

describe('@deltaflow/interop in a browser', () => {
  it('bundles with Vite and writes the same ONNX bytes in chromium as in Node, and reads them back', async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'entry.js'), PROGRAM);
    await build({
      root: dir,
      logLevel: 'silent',
      configFile: false,
      build: {
        outDir: join(dir, 'dist'),
        minify: false,
        lib: { entry: join(dir, 'entry.js'), formats: ['es'], fileName: 'page' },
      },
    });
    const js = readFileSync(join(dir, 'dist', 'page.js'));
    const server = createServer((request, response) => {
      const script = request.url === '/page.js';
      response.setHeader('content-type', script ? 'text/javascript' : 'text/html');
      response.end(
        script
          ? js
          : '<!doctype html><link rel="icon" href="data:,"><script type="module" src="/page.js"></script>',
      );
    }).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      await page.waitForFunction(() => (globalThis as { result?: unknown }).result !== undefined, null, {
        timeout: 60_000,
      });
      const result = (await page.evaluate(() => (globalThis as { result?: unknown }).result)) as {
        bytes: number[];
        file: unknown;
      };
      expect(errors).toEqual([]);
      const model = mlp({
        inputs: 3,
        layers: [
          { units: 4, activation: 'gelu', dropout: 0.1 },
          { units: 2, activation: 'softmax' },
        ],
        seed: 9,
      });
      model.meta = {
        classNames: ['a', 'b'],
        scaler: { kind: 'standard', offset: [1, 2, 3], scale: [4, 5, 6] },
      };
      const bytes = toOnnx(model, { dtype: 'float64' });
      expect(result.bytes).toEqual(Array.from(bytes));
      expect(result.file).toEqual(fromOnnx(bytes));
    } finally {
      await browser.close();
      server.close();
    }
  }, 180_000);
});
