import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import type { Rollup } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeBlocks } from './support/markdown.js';
import { installFromTarballs, pack } from './support/tarballs.js';
import { run } from './support/workspace.js';

// Must-show: the tensor README's example, bundled by Vite for the browser from the packed tarballs, carries no
// Node-only module: no node:* import, no worker_threads, not the Node helper thread (gemm-thread), not the
// shared-memory build of the WebAssembly kernels (shared-kernels, KERNELS_SHARED_WASM_BASE64). package.json's
// "#threads" gives browsers threads.browser.js and Node threads.node.js; Node still gets the 2-thread backend.

let scratch = '';
let app = '';

/** The tensor README's first code block: the example a user copies into a page. */
function readmeExample(): string {
  const block = codeBlocks('packages/tensor/README.md').find(
    (b) => b.lang === 'ts' && b.code.includes('@deltaflow/tensor'),
  );
  if (!block) throw new Error('packages/tensor/README.md has no ts example importing @deltaflow/tensor.');
  return block.code;
}

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'deltaflow-bundle-'));
  app = join(scratch, 'app');
  installFromTarballs(
    app,
    '@deltaflow/tensor',
    pack(['@deltaflow/core', '@deltaflow/tensor'], join(scratch, 'tgz')),
  );
}, 180_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** Bundles `program` (an ES module) with Vite for the browser, minified; returns the chunk. */
async function bundle(program: string): Promise<Rollup.OutputChunk> {
  const dir = join(app, 'page');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'entry.ts'), program);
  const result = (await build({
    root: dir,
    logLevel: 'silent',
    configFile: false,
    build: {
      outDir: join(dir, 'dist'),
      write: false,
      lib: { entry: join(dir, 'entry.ts'), formats: ['es'], fileName: 'page' },
    },
  })) as Rollup.RollupOutput | Rollup.RollupOutput[];
  const outputs = Array.isArray(result) ? result : [result];
  const chunks = outputs.flatMap((o) => o.output).filter((o): o is Rollup.OutputChunk => o.type === 'chunk');
  expect(chunks).toHaveLength(1);
  return chunks[0]!;
}

/** The whole base64 text of a constant of the generated module (written as 'line' + 'line' + ...). */
function base64Of(generated: string, name: string): string {
  const start = generated.indexOf(`${name} =`);
  const end = generated.indexOf(';', start);
  return [...generated.slice(start, end).matchAll(/'([^']*)'/g)].map((m) => m[1]).join('');
}

/** The first run of `width` characters of `text` (from a multiple of 4: whole base64 groups) not in `other`. */
function windowNotIn(text: string, other: string, width: number): string | undefined {
  for (let i = 0; i + width <= text.length; i += 4) {
    const run = text.slice(i, i + width);
    if (!other.includes(run)) return run;
  }
  return undefined;
}

describe('the tensor example in a browser bundle', () => {
  it('has no Node-only module, and is smaller by the Node-only code', async () => {
    const chunk = await bundle(readmeExample());
    const modules = Object.keys(chunk.modules).map((id) => id.replace(/\\/g, '/'));
    const tensorModules = modules
      .filter((id) => id.includes('/@deltaflow/tensor/'))
      .map((id) => id.replace(/.*\/dist\//, ''));
    expect(tensorModules).toEqual(
      expect.arrayContaining(['tensor.js', 'backends.js', 'wasm/threads.browser.js']),
    );
    expect(tensorModules.filter((id) => /gemm-thread|shared-kernels|threads\.node/.test(id))).toEqual([]);
    expect(modules.filter((id) => /^(node:|\0?(__vite-)?browser-external)|worker_threads/.test(id))).toEqual(
      [],
    );

    const code = chunk.code;
    expect(code).not.toMatch(/node:|worker_threads|Atomics\.wait|workerData/);
    // Not a byte of the shared-memory build: a run of its base64 that only it holds is not in the bundle.
    const generated = readFileSync(
      join(app, 'node_modules/@deltaflow/tensor/dist/wasm/kernels-wasm.generated.js'),
      'utf8',
    );
    const shared = base64Of(generated, 'KERNELS_SHARED_WASM_BASE64');
    const own = base64Of(generated, 'KERNELS_WASM_BASE64');
    expect(code).toContain(own.slice(40, 100)); // the 1-thread build is there
    // a run of the shared build that the 1-thread build does not hold (their type sections may be the same)
    const marker = windowNotIn(shared, own, 60);
    expect(marker).toBeDefined();
    expect(code).not.toContain(marker);
    console.log(
      `tensor README example, browser bundle: ${code.length} B minified, ${gzipSync(code, { level: 9 }).length} B gzip`,
    );
  }, 120_000);

  it('refuses a Node-only entry point (@deltaflow/core/node) in a browser bundle, naming its browser stub', async () => {
    // The "browser" condition of "./node" gives dist/node.browser.js, which exports nothing: the bundler stops at
    // build time instead of shipping node:fs (externalized, it broke at run time with "K.dirname is not a function").
    await expect(
      bundle("import { writeFileAtomic } from '@deltaflow/core/node';\nwriteFileAtomic('x', 'y');\n"),
    ).rejects.toThrow(/writeFileAtomic.*node\.browser\.js|node\.browser\.js.*writeFileAtomic/s);
    // A bundle that imports it for its effect alone carries no node: module either.
    const chunk = await bundle("import '@deltaflow/core/node';\n");
    expect(chunk.code).not.toMatch(/node:/);
  }, 120_000);

  it('still gives Node the 2-thread backend (the "node" condition of #threads)', () => {
    const script =
      "import { loadWasmBackend, backendStatus } from '@deltaflow/tensor';" +
      'console.log(JSON.stringify([loadWasmBackend({ threads: 2 })?.name, backendStatus().name]));';
    const out = run('node', ['--input-type=module', '-e', script], app).trim();
    expect(JSON.parse(out)).toEqual(['wasm-simd-2t', expect.stringMatching(/^wasm-simd/)]);
  });
});
