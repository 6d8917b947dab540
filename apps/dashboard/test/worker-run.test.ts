// @deltaflow/trainer's createWorkerRun in a Web Worker, in chromium (issue 15, Must show 4): a page bundled by
// Vite from the packages' sources (the trainer's default worker module included, as any app's bundler would
// build it) runs the same description in the page and in the worker on the same kernels, steers a worker run
// (pause, step, learning rate, resume, stop), loads a plugin by module URL in the worker, and reports a bad
// description's error.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TrainingEvent } from '@deltaflow/trainer';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage } from './helpers/browser.js';
import type { Browser } from './helpers/browser.js';

const pageDir = fileURLToPath(new URL('./worker-page/', import.meta.url));
const pluginEntry = fileURLToPath(
  new URL('../../../packages/plugin-activations/src/index.ts', import.meta.url),
);
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
};

let out: string;
let server: Server;
let origin: string;
let browser: Browser;
let page: Page;
let errors: string[];

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'deltaflow-worker-page-'));
  await build({
    configFile: false,
    root: pageDir,
    base: './',
    logLevel: 'warn',
    resolve: { conditions: ['@deltaflow/source'] },
    worker: { format: 'es' },
    build: {
      outDir: out,
      emptyOutDir: true,
      target: 'es2022',
      minify: false,
      rollupOptions: {
        input: { index: join(pageDir, 'index.html'), 'plugin-activations': pluginEntry },
        preserveEntrySignatures: 'strict',
        output: { entryFileNames: '[name].js' },
      },
    },
  });
  server = createServer((request, response) => {
    const path = normalize(new URL(request.url ?? '/', 'http://x').pathname).replace(/^(\.\.[/\\])+/, '');
    readFile(join(out, path === '/' ? 'index.html' : path)).then(
      (body) => {
        response.writeHead(200, { 'content-type': TYPES[extname(path || '.html')] ?? 'text/html' });
        response.end(body);
      },
      () => {
        response.writeHead(404);
        response.end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await launchBrowser();
  ({ page, errors } = await openPage(browser.context, `${origin}/index.html`));
  await page.waitForFunction(() => document.title === 'ready', undefined, { timeout: 30_000 });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  if (out) await rm(out, { recursive: true, force: true });
});

/** Calls a scenario of the page (test/worker-page/main.ts). */
function scenario<T>(name: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(
    ([name, args]) =>
      (globalThis as unknown as Record<string, Record<string, (...a: unknown[]) => Promise<unknown>>>)[
        'workerTest'
      ]![name as string]!(...(args as unknown[])),
    [name, args] as const,
  ) as Promise<T>;
}

/** Timing fields (and the model file's creation date), the only ones two runs of one description may differ in. */
function withoutTiming(event: TrainingEvent): unknown {
  if (event.type === 'end') {
    const { created: _c, ...meta } = event.model.meta ?? {};
    return { ...event, model: { ...event.model, meta } };
  }
  if (event.type !== 'epoch') return event;
  const { elapsedMs: _e, samplesPerSecond: _s, ...rest } = event;
  return rest;
}

interface Comparison {
  inThread: TrainingEvent[];
  inWorker: TrainingEvent[];
  inThreadBits: string[];
  inWorkerBits: string[];
  pageBackend: string;
  workerBackend: string;
}

describe('createWorkerRun in a Web Worker (chromium)', () => {
  const circle = {
    data: { name: 'circle', points: 120, noise: 0.1 },
    layers: [6, 4],
    activation: 'tanh',
    loss: 'binary-cross-entropy',
    optimizer: { name: 'adam', options: { lr: 0.01 } },
    validationSplit: 0.25,
    normalize: true,
    dropout: 0.1,
    l2: 0.001,
    seed: 7,
    epochs: 30,
    batchSize: 8,
  };

  it.each([
    ['wasm', 'wasm-simd'],
    ['js', 'js'],
  ] as const)(
    'gives the in-page run’s events, every loss bit for bit, on the %s kernels',
    async (backend, name) => {
      for (const description of [{ data: 'xor', epochs: 200 }, circle]) {
        const result = await scenario<Comparison>('compare', description, backend);
        expect(result.pageBackend).toBe(name);
        expect(result.workerBackend).toBe(name);
        expect(result.inWorkerBits.length).toBe(description.epochs);
        expect(result.inWorkerBits).toEqual(result.inThreadBits);
        expect(result.inWorker.map(withoutTiming)).toEqual(result.inThread.map(withoutTiming));
      }
      expect(errors).toEqual([]);
    },
  );

  it('pauses, steps exactly one epoch, changes the learning rate, resumes and stops', async () => {
    const { log, end } = await scenario<{
      log: { step: string; state: string; epochs: number[]; lrs: number[]; types: string[] }[];
      end: TrainingEvent;
    }>('controls');
    const at = (step: string) => log.find((entry) => entry.step === step)!;
    expect(at('paused at start')).toMatchObject({ state: 'paused', epochs: [], types: ['start'] });
    expect(at('one step')).toMatchObject({ state: 'paused', epochs: [1], lrs: [0.5] });
    expect(at('two steps')).toMatchObject({ state: 'paused', epochs: [1, 2], lrs: [0.5, 0.5] });
    const paused = at('paused after resume');
    expect(paused.state).toBe('paused');
    expect(paused.epochs.length).toBeGreaterThanOrEqual(20);
    expect(paused.lrs.slice(2).every((lr) => lr === 0.125)).toBe(true);
    const stepped = at('step after pause');
    expect(stepped.epochs).toEqual([...paused.epochs, paused.epochs.length + 1]);
    expect(at('stopped').state).toBe('ended');
    expect(end).toMatchObject({ type: 'end', reason: 'stopped', epochs: paused.epochs.length + 1 });
    expect(errors).toEqual([]);
  });

  it('loads a plugin by module URL in the worker, and trains with its activation', async () => {
    const result = await scenario<{
      names: { activations: string[] };
      problems: string[];
      last: TrainingEvent;
    }>('plugin', `${origin}/plugin-activations.js`);
    expect(result.problems).toEqual([]);
    expect(result.names.activations).toEqual(expect.arrayContaining(['mish', 'softsign', 'sigmoid']));
    expect(result.last).toMatchObject({ type: 'end', reason: 'completed', epochs: 10 });
  });

  it('ends events$ with the recipe’s DeltaflowError for a bad description', async () => {
    const error = await scenario<{ name: string; code: string; message: string }>('failure');
    expect(error).toMatchObject({ name: 'DeltaflowError', code: 'E_OPTION' });
    expect(error.message).toMatch(/cross-entropy/);
  });
});
