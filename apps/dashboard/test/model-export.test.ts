// The standalone page's download menu (issue 16): besides the deltaflow model file, the trained model downloads
// as ONNX, PyTorch (safetensors + model.py) and a standalone JavaScript module, in chromium. Each download is
// checked against the downloaded model file run by the library, as `deltaflow predict` runs it: the .onnx in
// onnxruntime-node, the .js module imported from a temporary folder. A plugin activation without an ONNX lowering
// shows the exporter's sentence in the controls' message area, and nothing downloads; its standalone module
// downloads under the page's Content-Security-Policy (no eval: the exporter checks the plugin's f by parsing).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { decodeSafetensors } from '@deltaflow/interop';
import { denseLayers, installPlugin, modelFromJSON, modelToJSON } from '@deltaflow/network';
import type { Plugin } from '@deltaflow/network';
import type { ModelJSON } from '@deltaflow/network';
import { predict } from '@deltaflow/trainer';
import { Tensor } from '@deltaflow/tensor';
import * as ort from 'onnxruntime-node';
import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshot, waitForEpoch, waitForState } from './helpers/browser.js';
import type { Browser } from './helpers/browser.js';
import { startPlaygroundServer } from '../src/server/index.js';
import type { DashboardServer } from '../src/server/index.js';

// Served from the built page's folder: the page's Content-Security-Policy allows same-origin modules only.
const pluginDir = fileURLToPath(new URL('../dist/page/test-plugins-export/', import.meta.url));
const plugin = `export default {
  name: 'export-plugin',
  activations: [{ name: 'isru-export', f: (x) => x / Math.sqrt(1 + x * x), df: (x) => (1 + x * x) ** -1.5 }],
};
`;

let browser: Browser;
let server: DashboardServer;
let dir: string;

beforeAll(async () => {
  mkdirSync(pluginDir, { recursive: true });
  writeFileSync(`${pluginDir}isru.mjs`, plugin);
  dir = mkdtempSync(join(tmpdir(), 'deltaflow-dashboard-export-'));
  // the standalone module is an ES module with a .js name
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  server = await startPlaygroundServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(pluginDir, { recursive: true, force: true });
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Chooses `format` in the menu, clicks "download model" and saves the `count` downloads: their paths by name. */
async function downloadAs(page: Page, format: string, count: number): Promise<Map<string, string>> {
  await page.selectOption('#model-format', format);
  const got: Download[] = [];
  const take = (download: Download): void => void got.push(download);
  page.on('download', take);
  await page.click('#download-model');
  await expect.poll(() => got.length, { timeout: 30_000 }).toBe(count);
  page.off('download', take);
  const files = new Map<string, string>();
  for (const download of got) {
    const path = join(dir, download.suggestedFilename());
    await download.saveAs(path);
    files.set(download.suggestedFilename(), path);
  }
  return files;
}

/** The largest |a - b| / max(1, |b|) over two tables of one shape. */
function maxError(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): number {
  let worst = 0;
  a.forEach((row, r) =>
    row.forEach((v, j) => {
      const w = b[r]![j]!;
      worst = Math.max(worst, Math.abs(v - w) / Math.max(1, Math.abs(w)));
    }),
  );
  return worst;
}

/** Runs the ONNX model in onnxruntime-node (CPU) on `rows`. */
async function runOnnx(bytes: Uint8Array, dtype: string, rows: number[][]): Promise<number[][]> {
  const session = await ort.InferenceSession.create(bytes);
  const data = dtype === 'float64' ? Float64Array.from(rows.flat()) : Float32Array.from(rows.flat());
  const result = await session.run({
    [session.inputNames[0]!]: new ort.Tensor(dtype === 'float64' ? 'float64' : 'float32', data, [
      rows.length,
      rows[0]!.length,
    ]),
  });
  const output = result[session.outputNames[0]!]!;
  const cols = output.dims[1]!;
  const values = Array.from(output.data as Float32Array | Float64Array);
  await session.release();
  return rows.map((_, r) => values.slice(r * cols, r * cols + cols));
}

/** Seeded raw input rows in [-6, 6), float32-exact (ONNX Runtime receives a float32 model's input as float32). */
function rowsOf(count: number, width: number): number[][] {
  let s = 12345;
  const next = (): number => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return Math.fround(((s >>> 8) / 2 ** 24 - 0.5) * 12);
  };
  return Array.from({ length: count }, () => Array.from({ length: width }, next));
}

describe('the download menu', () => {
  it('downloads the trained model as a model file, ONNX, PyTorch and a standalone module that agree', async () => {
    const { page, errors } = await openPage(
      browser.context,
      `${server.url}?dataset=circle&layers=5,3&activation=tanh&seed=4`,
    );
    await waitForState(page, 'paused');
    await page.click('#play');
    await waitForEpoch(page, 5);
    await page.click('#pause');
    await waitForState(page, 'paused');
    await screenshot(page, 'model-export-controls');
    expect(await page.inputValue('#model-format')).toBe('json'); // the default, as before

    const [jsonName, jsonPath] = [...(await downloadAs(page, 'json', 1))][0]!;
    expect(jsonName).toMatch(/^deltaflow-circle-epoch-\d+\.json$/);
    const base = jsonName.replace(/\.json$/, '');
    const json = JSON.parse(readFileSync(jsonPath, 'utf8')) as ModelJSON;
    const model = modelFromJSON(json, jsonName);
    const dtype = model.dtype;
    const dense = denseLayers(json);
    expect(dense.length).toBeGreaterThan(1);
    const width = dense[0]!.inputs;
    const rows = rowsOf(32, width);
    // what `deltaflow predict --model` computes (the stored scaler, then the forward pass)
    const expected = predict(model, Tensor.fromNested(rows as [number[], ...number[][]], 'float64')).outputs;

    const onnx = await downloadAs(page, 'onnx', 1);
    expect([...onnx.keys()]).toEqual([`${base}.onnx`]);
    const fromOnnx = await runOnnx(readFileSync(onnx.get(`${base}.onnx`)!), dtype, rows);
    expect(maxError(fromOnnx, expected)).toBeLessThanOrEqual(dtype === 'float64' ? 1e-12 : 1e-6);

    const js = await downloadAs(page, 'js', 2);
    expect([...js.keys()].sort()).toEqual([`${base}.d.ts`, `${base}.js`]);
    expect(readFileSync(js.get(`${base}.d.ts`)!, 'utf8')).toContain('predictBatch');
    const standalone = (await import(pathToFileURL(js.get(`${base}.js`)!).href)) as {
      predictBatch(inputs: number[][]): number[][];
    };
    const fromJs = standalone.predictBatch(rows);
    if (dtype === 'float64') expect(fromJs).toEqual(expected);
    else expect(maxError(fromJs, expected)).toBeLessThanOrEqual(1e-6);

    const torch = await downloadAs(page, 'torch', 2);
    const py = base.replace(/-/g, '_');
    expect([...torch.keys()].sort()).toEqual([`${py}.py`, `${py}.safetensors`]);
    expect(readFileSync(torch.get(`${py}.py`)!, 'utf8')).toContain('def load(');
    const { tensors } = decodeSafetensors(readFileSync(torch.get(`${py}.safetensors`)!));
    expect([...tensors.keys()].filter((k) => k.endsWith('.weight'))).toHaveLength(dense.length);
    const weights = [...tensors.entries()].filter(([k]) => k.endsWith('.weight')).map(([, t]) => t.shape);
    expect(weights).toEqual(dense.map((layer) => [layer.units, layer.inputs]));

    expect(await page.getAttribute('#model-message', 'class')).not.toContain('error');
    expect(await page.textContent('#model-message')).toContain(`${py}.safetensors`);
    // choosing a format is no change of the configuration: the run is the same one
    expect(Number(await page.textContent('#epoch'))).toBeGreaterThanOrEqual(5);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("downloads a plugin activation's model as a standalone module under the page's CSP, with its f inside", async () => {
    const { page, errors } = await openPage(
      browser.context,
      `${server.url}?dataset=circle&layers=4&activation=isru-export&seed=2&plugin=test-plugins-export/isru.mjs`,
    );
    await waitForState(page, 'paused');
    await page.click('#play');
    await waitForEpoch(page, 3);
    await page.click('#pause');
    await waitForState(page, 'paused');
    const [jsonName, jsonPath] = [...(await downloadAs(page, 'json', 1))][0]!;
    const base = jsonName.replace(/\.json$/, '');
    const js = await downloadAs(page, 'js', 2);
    expect(await page.getAttribute('#model-message', 'class')).not.toContain('error');
    const source = readFileSync(js.get(`${base}.js`)!, 'utf8');
    expect(source).toContain("the plugin activation 'isru-export'");
    expect(source).toContain('x / Math.sqrt(1 + x * x)');
    // the module needs no plugin; the model file does, as `deltaflow predict --plugin` would install it
    const standalone = (await import(pathToFileURL(js.get(`${base}.js`)!).href)) as {
      predictBatch(inputs: number[][]): number[][];
    };
    installPlugin((await import(pathToFileURL(`${pluginDir}isru.mjs`).href)).default as Plugin);
    const model = modelFromJSON(JSON.parse(readFileSync(jsonPath, 'utf8')) as ModelJSON, jsonName);
    const rows = rowsOf(32, denseLayers(modelToJSON(model))[0]!.inputs);
    const expected = predict(model, Tensor.fromNested(rows as [number[], ...number[][]], 'float64')).outputs;
    const fromJs = standalone.predictBatch(rows);
    if (model.dtype === 'float64') expect(fromJs).toEqual(expected);
    else expect(maxError(fromJs, expected)).toBeLessThanOrEqual(1e-6);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows the exporter's sentence for a plugin activation without an ONNX lowering", async () => {
    const { page, errors } = await openPage(
      browser.context,
      `${server.url}?dataset=circle&layers=4&activation=isru-export&seed=2&plugin=test-plugins-export/isru.mjs`,
    );
    await waitForState(page, 'paused');
    await page.selectOption('#model-format', 'onnx');
    let downloads = 0;
    page.on('download', () => void downloads++);
    await page.click('#download-model');
    await page.waitForFunction(() => document.getElementById('model-message')?.classList.contains('error'));
    const said = (await page.textContent('#model-message'))!;
    // the exporter's own sentence: the page installed the plugin (?plugin=) for the export, as the worker did
    expect(said).toContain("The activation 'isru-export' has no ONNX lowering");
    expect(said.split(/\.\s/)).toHaveLength(1); // one sentence
    expect(downloads).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
