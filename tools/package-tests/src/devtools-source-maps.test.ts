import { mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser } from '@deltaflow/test-browser';
import type { Browser } from '@deltaflow/test-browser';
import { build, createServer } from 'vite';
import type { InlineConfig } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeBlocks } from './support/markdown.js';
import { serveStatic } from './support/static-server.js';
import { installFromTarballs, pack } from './support/tarballs.js';
import { root } from './support/workspace.js';

// Must-show (source maps, in devtools): the tensor README's example, in a Vite app installed outside the workspace
// from the packed tarballs, opened in headless chromium. Through the Chrome DevTools Protocol (Debugger.enable,
// Debugger.scriptParsed with its sourceMapURL, Debugger.getScriptSource) the test reads what devtools reads: the
// script that holds @deltaflow/tensor's code, its source map (fetched or decoded from its data: URL), and where a
// piece of that code maps to (the mappings decoded).
//
// What chains (the guide "Training in a browser and a Web Worker", section "Source maps", says the same):
// - Vite's dev server, dependencies pre-bundled (the default): does NOT chain; devtools shows dist/*.js.
// - the dev server with the guide's plugin in optimizeDeps.rolldownOptions.plugins: chains to src/*.ts.
// - the dev server with the packages in optimizeDeps.exclude (served file by file): chains (Vite reads a served
//   file's sourceMappingURL by itself).
// - `vite build` with build.sourcemap: true: does NOT chain (rolldown ignores input source maps); dist/*.js.
// - `vite build` with the guide's plugin: chains to src/*.ts, in the page's chunk (plugins) and in the worker's
//   (worker.plugins: Vite bundles a worker with its own plugins; without them the worker's map points at dist/).
// The page's scripts are read through CDP; the built worker chunk (CDP sessions of playwright attach to pages,
// not to dedicated workers) is read over HTTP, its sourceMappingURL and map followed the same way.
// "Chains" means: the code of src/backends.ts maps to node_modules/@deltaflow/tensor/src/backends.ts, at a line of
// the map's text (sourcesContent, the file as it is in the repository) that holds that code.

const GUIDE = 'docs/guides/training-in-a-worker.md';
/** The code the test looks for: a string literal of packages/tensor/src/backends.ts (it survives minifying). */
const NEEDLE = 'no-webassembly';

let scratch = '';
let app = '';
let browser: Browser;

/** The guide's code block whose first line names `file`, e.g. `// vite.config.ts`, and that uses the plugin. */
function guideFile(file: string): string {
  const block = codeBlocks(GUIDE).find(
    (b) => b.code.startsWith(`// ${file}`) && b.code.includes('inputSourceMaps'),
  );
  if (!block)
    throw new Error(`${GUIDE} has no code block starting with // ${file} that uses inputSourceMaps.`);
  return block.code;
}

/** The tensor README's first code block: the example a user copies into a page. */
function readmeExample(): string {
  const block = codeBlocks('packages/tensor/README.md').find(
    (b) => b.lang === 'ts' && b.code.includes('@deltaflow/tensor'),
  );
  if (!block) throw new Error('packages/tensor/README.md has no ts example importing @deltaflow/tensor.');
  return block.code;
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'deltaflow-devtools-'));
  app = join(scratch, 'app');
  installFromTarballs(
    app,
    '@deltaflow/tensor',
    pack(['@deltaflow/core', '@deltaflow/tensor'], join(scratch, 'tgz')),
  );
  // The app's `npm install -D vite`: the workspace's Vite, which the app's vite.config.ts imports.
  symlinkSync(join(root, 'node_modules/vite'), join(app, 'node_modules/vite'), 'dir');
  // The page runs the example, then starts a worker that uses the package too; it is done when the worker answers.
  const startWorker = [
    "const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });",
    'worker.onmessage = () => ((globalThis as { done?: boolean }).done = true);',
  ];
  writeFileSync(join(app, 'main.ts'), [readmeExample(), ...startWorker, ''].join('\n'));
  writeFileSync(
    join(app, 'worker.ts'),
    "import { backendStatus } from '@deltaflow/tensor';\nself.postMessage(backendStatus().name);\n",
  );
  writeFileSync(
    join(app, 'index.html'),
    '<!doctype html><link rel="icon" href="data:,"><script type="module" src="./main.ts"></script>',
  );
  writeFileSync(join(app, 'input-source-maps.ts'), guideFile('input-source-maps.ts'));
  writeFileSync(join(app, 'vite.config.ts'), guideFile('vite.config.ts'));
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

interface SourceMap {
  sources: string[];
  sourcesContent?: (string | null)[];
  sourceRoot?: string;
  mappings: string;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** A source map's mappings, decoded: per generated line, its segments [column, source, line, column] (0-based). */
function decodeMappings(mappings: string): number[][][] {
  const state = [0, 0, 0, 0];
  return mappings.split(';').map((line) => {
    state[0] = 0;
    return line
      .split(',')
      .filter((segment) => segment.length > 0)
      .map((segment) => {
        const values: number[] = [];
        let value = 0;
        let shift = 0;
        for (const char of segment) {
          const digit = BASE64.indexOf(char);
          value += (digit & 31) << shift;
          if (digit & 32) {
            shift += 5;
            continue;
          }
          values.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
        return values.map((delta, i) => (state[i]! += delta));
      });
  });
}

/** Where devtools puts a generated position: the source's URL path and the text of its line. */
interface Original {
  path: string;
  text: string;
  /** The text of the whole source, from the map's sourcesContent. */
  content: string | undefined;
}

/**
 * Where devtools puts every occurrence of NEEDLE in one script: its source map (`sourceMapURL` as the script gives
 * it, a file beside the script or a data: URL) fetched or decoded, its mappings followed.
 */
async function mapView(scriptUrl: string, scriptSource: string, sourceMapURL: string): Promise<Original[]> {
  const mapUrl = new URL(sourceMapURL, scriptUrl);
  const map = (
    mapUrl.protocol === 'data:'
      ? JSON.parse(Buffer.from(mapUrl.pathname.split(',')[1]!, 'base64').toString('utf8'))
      : await (await fetch(mapUrl)).json()
  ) as SourceMap;
  const lines = decodeMappings(map.mappings);
  const found: Original[] = [];
  scriptSource.split('\n').forEach((line, lineNumber) => {
    for (let at = line.indexOf(NEEDLE); at >= 0; at = line.indexOf(NEEDLE, at + 1)) {
      // The segment devtools uses for the string literal (its opening quote): the last one at or before it.
      const segment = (lines[lineNumber] ?? []).filter((s) => s[0]! <= at - 1).at(-1);
      if (!segment || segment.length < 4) continue;
      // Sources are relative to the map's URL, or to the script's when the map is a data: URL.
      const base = mapUrl.protocol === 'data:' ? scriptUrl : mapUrl.href;
      const sourceUrl = new URL((map.sourceRoot ?? '') + map.sources[segment[1]!]!, base);
      const content = map.sourcesContent?.[segment[1]!] ?? undefined;
      found.push({
        path: decodeURIComponent(sourceUrl.pathname),
        text: content?.split('\n')[segment[2]!] ?? '',
        content,
      });
    }
  });
  return found;
}

/** The sources a view names, for the log. */
const named = (view: Original[]): string =>
  [...new Set(view.map((o) => o.path.replace(/.*node_modules\//, '')))].join(', ');

/**
 * What devtools shows for every occurrence of NEEDLE in the scripts of the page at `url` (its main thread), read
 * through the Chrome DevTools Protocol; the page is done when its worker has answered.
 */
async function devtoolsView(url: string): Promise<Original[]> {
  const page = await browser.context.newPage();
  try {
    const cdp = await browser.context.newCDPSession(page);
    const scripts: { scriptId: string; url: string; sourceMapURL?: string }[] = [];
    cdp.on('Debugger.scriptParsed', (event) => scripts.push(event));
    await cdp.send('Debugger.enable');
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(url);
    await page.waitForFunction(() => (globalThis as { done?: boolean }).done === true, null, {
      timeout: 120_000,
    });
    expect(errors).toEqual([]);
    const found: Original[] = [];
    for (const script of scripts.filter((s) => s.url.startsWith('http'))) {
      const { scriptSource } = await cdp.send('Debugger.getScriptSource', { scriptId: script.scriptId });
      if (!scriptSource.includes(NEEDLE)) continue;
      expect(script.sourceMapURL, `${script.url} has a source map`).toBeTruthy();
      found.push(...(await mapView(script.url, scriptSource, script.sourceMapURL!)));
    }
    console.log(`${url} (page): ${named(found)}`);
    return found;
  } finally {
    await page.close();
  }
}

/** The same for the built worker chunk (assets/worker-*.js), read over HTTP as devtools reads it. */
async function workerView(origin: string, outDir: string): Promise<Original[]> {
  const chunk = readdirSync(join(outDir, 'assets')).find((f) => /^worker-.*\.js$/.test(f));
  if (!chunk)
    throw new Error(
      `No worker chunk in ${outDir}/assets: ${readdirSync(join(outDir, 'assets')).join(', ')}.`,
    );
  const url = `${origin}/assets/${chunk}`;
  const source = await (await fetch(url)).text();
  const sourceMapURL = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(source)?.[1];
  expect(sourceMapURL, `${url} has a source map`).toBeTruthy();
  const found = await mapView(url, source, sourceMapURL!);
  console.log(`${url} (worker): ${named(found)}`);
  return found;
}

const backendsTs = (): string => readFileSync(join(root, 'packages/tensor/src/backends.ts'), 'utf8');

/** Checks that the view is the TypeScript: NEEDLE in src/backends.ts maps to its text there. */
function expectTypeScript(view: Original[]): void {
  expect(view.length).toBeGreaterThan(0);
  for (const original of view) {
    expect(original.path).toMatch(/\/node_modules\/@deltaflow\/tensor\/src\/[\w/-]+\.ts$/);
    expect(original.text).toContain(`'${NEEDLE}'`);
  }
  const inBackends = view.filter((o) => o.path.endsWith('/node_modules/@deltaflow/tensor/src/backends.ts'));
  expect(inBackends.length).toBeGreaterThan(0);
  expect(inBackends[0]!.content).toBe(backendsTs());
}

/** Checks that the view is the compiled JavaScript of dist/, not the TypeScript. */
function expectJavaScript(view: Original[]): void {
  expect(view.length).toBeGreaterThan(0);
  for (const original of view)
    expect(original.path).toMatch(/\/node_modules\/@deltaflow\/tensor\/dist\/.+\.js$/);
}

/** Builds the app with `config` (over the app's own vite.config.ts, or none); what devtools shows, page and worker. */
async function viewBuilt(
  name: string,
  config: InlineConfig,
): Promise<{ page: Original[]; worker: Original[] }> {
  const outDir = join(scratch, name);
  await build({
    root: app,
    base: './',
    logLevel: 'warn',
    ...config,
    build: { ...config.build, outDir, emptyOutDir: true },
  });
  const server = await serveStatic(outDir);
  try {
    return { page: await devtoolsView(`${server.origin}/`), worker: await workerView(server.origin, outDir) };
  } finally {
    server.close();
  }
}

/** Serves the app with Vite's dev server, `config` over the app's own vite.config.ts (or none). */
async function viewServed(config: InlineConfig): Promise<Original[]> {
  const server = await createServer({
    root: app,
    logLevel: 'warn',
    ...config,
    cacheDir: join(scratch, `vite-cache-${Math.random().toString(36).slice(2)}`), // a fresh pre-bundling each time
    server: { host: '127.0.0.1', port: 0, strictPort: false },
  });
  await server.listen();
  try {
    const address = server.httpServer!.address();
    if (address === null || typeof address === 'string') throw new Error('The dev server has no port.');
    return await devtoolsView(`http://127.0.0.1:${address.port}/`);
  } finally {
    await server.close();
  }
}

describe('source maps of @deltaflow/tensor in devtools, in a Vite app from the packed tarballs', () => {
  it('vite build with the guide config (its input-source-maps plugin): the TypeScript sources', async () => {
    const view = await viewBuilt('with-plugin', { configFile: join(app, 'vite.config.ts') });
    expectTypeScript(view.page);
    expectTypeScript(view.worker); // the guide's worker.plugins
  }, 240_000);

  it('vite build with only build.sourcemap: the compiled dist/*.js (Vite does not chain input maps)', async () => {
    const view = await viewBuilt('plain', {
      configFile: false,
      build: { sourcemap: true },
      worker: { format: 'es' },
    });
    expectJavaScript(view.page);
    expectJavaScript(view.worker);
  }, 240_000);

  it('vite dev server with the guide config (the plugin in the pre-bundling): the TypeScript sources', async () => {
    expectTypeScript(await viewServed({ configFile: join(app, 'vite.config.ts') }));
  }, 240_000);

  it('vite dev server with the packages in optimizeDeps.exclude: the TypeScript sources', async () => {
    expectTypeScript(
      await viewServed({
        configFile: false,
        optimizeDeps: { exclude: ['@deltaflow/tensor', '@deltaflow/core'] },
      }),
    );
  }, 240_000);

  it('vite dev server with pre-bundled dependencies (the default): the compiled dist/*.js', async () => {
    expectJavaScript(await viewServed({ configFile: false }));
  }, 240_000);
});
