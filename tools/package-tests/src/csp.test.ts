import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser } from '@deltaflow/test-browser';
import type { Browser } from '@deltaflow/test-browser';
import { build } from 'vite';
import type { Rollup } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installFromTarballs, pack } from './support/tarballs.js';

// Must-show: under a Content-Security-Policy without 'wasm-unsafe-eval' (script-src 'self'), a page using
// @deltaflow/tensor (bundled by Vite from the packed tarballs) runs on the 'js' backend, backendStatus() says so with
// the reason, and deltaflow's console warning appears exactly once; with 'wasm-unsafe-eval' the same page runs on
// WebAssembly SIMD and warns nothing.

/** The page: asks the status twice and multiplies on whichever backend was chosen, then reports. */
const PROGRAM = `
import { Tensor, backendStatus, getBackend, matmul } from '@deltaflow/tensor';
const first = backendStatus();
const c = Tensor.zeros([64, 64]);
matmul(Tensor.fromArray(new Float32Array(64 * 64).fill(1), [64, 64]), Tensor.fromArray(new Float32Array(64 * 64).fill(2), [64, 64]), c);
const second = backendStatus();
globalThis.result = { first, second, backend: getBackend().name, c00: c.get(0, 0) };
`;

let scratch = '';
let script = '';
let browser: Browser | undefined;
let server: Server | undefined;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'deltaflow-csp-'));
  const app = join(scratch, 'app');
  installFromTarballs(
    app,
    '@deltaflow/tensor',
    pack(['@deltaflow/core', '@deltaflow/tensor'], join(scratch, 'tgz')),
  );
  const dir = join(app, 'page');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'entry.js'), PROGRAM);
  const result = (await build({
    root: dir,
    logLevel: 'silent',
    configFile: false,
    build: { write: false, lib: { entry: join(dir, 'entry.js'), formats: ['es'], fileName: 'page' } },
  })) as Rollup.RollupOutput | Rollup.RollupOutput[];
  const chunk = (Array.isArray(result) ? result : [result])
    .flatMap((o) => o.output)
    .find((o): o is Rollup.OutputChunk => o.type === 'chunk')!;
  script = chunk.code;
  // One server, two pages: /strict has script-src 'self'; /wasm adds 'wasm-unsafe-eval'.
  server = createServer((request, response) => {
    if (request.url === '/page.js') {
      response.setHeader('content-type', 'text/javascript');
      response.end(script);
      return;
    }
    const policy = request.url === '/wasm' ? "script-src 'self' 'wasm-unsafe-eval'" : "script-src 'self'";
    response.setHeader('content-security-policy', policy);
    response.setHeader('content-type', 'text/html');
    response.end(
      '<!doctype html><link rel="icon" href="data:,"><script type="module" src="/page.js"></script>',
    );
  }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server!.once('listening', resolve));
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

interface PageResult {
  first: { name: string; reason?: string; fallback?: string; fix?: string };
  second: { name: string; reason?: string };
  backend: string;
  c00: number;
}

/** Opens `path`, waits for the page's result; returns it with the page's console warnings and errors. */
async function open(path: string): Promise<{ result: PageResult; warnings: string[]; errors: string[] }> {
  const page = await browser!.context.newPage();
  const warnings: string[] = [];
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'warning') warnings.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    await page.goto(`http://127.0.0.1:${(server!.address() as AddressInfo).port}${path}`);
    await page.waitForFunction(() => (globalThis as { result?: unknown }).result !== undefined, null, {
      timeout: 60_000,
    });
    const result = (await page.evaluate(() => (globalThis as { result?: unknown }).result)) as PageResult;
    return { result, warnings, errors };
  } finally {
    await page.close();
  }
}

describe('@deltaflow/tensor under a Content-Security-Policy', () => {
  it("falls back to js without 'wasm-unsafe-eval', says why in backendStatus(), and warns once", async () => {
    const { result, warnings, errors } = await open('/strict');
    expect(errors).toEqual([]);
    expect(result.backend).toBe('js');
    expect(result.c00).toBe(128);
    expect(result.first.name).toBe('js');
    expect(result.first.fallback).toBe('refused');
    expect(result.first.reason).toMatch(/Content-Security-Policy.*CompileError/);
    expect(result.first.fix).toContain("'wasm-unsafe-eval'");
    expect(result.second).toEqual(result.first);
    const ours = warnings.filter((text) => text.startsWith('deltaflow:'));
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatch(
      /WebAssembly SIMD backend cannot be used.*'js' backend.*5x slower.*'wasm-unsafe-eval'/,
    );
  }, 120_000);

  it("runs on WebAssembly SIMD with 'wasm-unsafe-eval', with no reason and no warning", async () => {
    const { result, warnings, errors } = await open('/wasm');
    expect(errors).toEqual([]);
    expect(result.backend).toBe('wasm-simd');
    expect(result.c00).toBe(128);
    expect(result.first).toEqual({ name: 'wasm-simd' });
    expect(warnings.filter((text) => text.startsWith('deltaflow:'))).toEqual([]);
  }, 120_000);
});
