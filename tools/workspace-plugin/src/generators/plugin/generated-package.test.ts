/// <reference lib="dom" />
import { readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, normalize } from 'node:path';
import { launchBrowser } from '@deltaflow/test-browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGeneratedPlugin, repositoryRoot, runIn, scratchWorkspace } from './scratch-plugin.mjs';

// Must-show: what `npx nx g @deltaflow/tools:plugin` writes passes lint, typecheck, prettier and its own tests,
// untouched. The generator runs through the real Nx CLI in a scratch workspace beside the real one: the same root
// configs, node_modules linked, and the packages a plugin builds on linked under packages/.
const root = repositoryRoot;
let ws = '';

function run(command: string, args: string[], cwd = ws): string {
  return runIn(command, args, cwd);
}

beforeAll(() => {
  ws = scratchWorkspace();
});

afterAll(() => {
  if (ws) rmSync(ws, { recursive: true, force: true });
});

describe('the generated packages, untouched', () => {
  it('nx g makes an activation plugin and an optimizer plugin; lint, prettier, typecheck and tests pass', () => {
    const packages = ['packages/my-activation', 'packages/my-optimizer'];
    run('npx', ['nx', 'g', '@deltaflow/tools:plugin', 'my-activation', '--skipInstall', '--no-interactive']);
    run('npx', ['nx', 'g', '@deltaflow/tools:plugin', 'my-optimizer', '--kind=optimizer', '--skipInstall']);
    // what each project's lint target runs (eslint src), over both at once
    run('npx', ['eslint', ...packages.map((dir) => `${dir}/src`)]);
    run('npx', ['prettier', '--check', ...packages]);
    // what the typecheck target runs
    run('npx', ['tsc', '--build', ...packages, '--emitDeclarationOnly']);
    writeFileSync(
      join(ws, 'vitest.config.ts'),
      `export default { test: { projects: ${JSON.stringify(packages)} } };`,
    );
    const tests = run('npx', ['vitest', 'run']);
    expect(tests).toMatch(/Test Files\s+2 passed/);
    expect(tests).toMatch(/Tests\s+4 passed/);
  }, 300_000);
});

/** Every module specifier of the `import`s and `export ... from`s of an ES module's text (comments aside). */
function specifiers(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found: string[] = [];
  const pattern = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g;
  for (const match of code.matchAll(pattern)) found.push(match[1]!);
  return found;
}

/**
 * A static page that imports the plugin's build output and the core's by URL, as a browser app without a bundler
 * does, installs the plugin and leaves what it saw in `window.result`.
 */
const PAGE = `<!doctype html>
<title>plugin by URL</title>
<script type="module">
  const plugin = (await import('/plugin/index.js')).default;
  const core = await import('/core/index.js');
  core.installPlugin(plugin);
  const { f, df } = plugin.activations[0].create({ a: 1 });
  let refused = '';
  try {
    core.pluginRegistries.activation.definition('isru').create({ a: -1 });
  } catch (error) {
    refused = error.message;
  }
  window.result = {
    name: plugin.name,
    source: core.pluginRegistries.activation.source('isru'),
    f: f(2),
    df: df(2, f(2)),
    refused,
  };
</script>
`;

describe('a configurable activation plugin, generated and built', () => {
  it('builds to a dist with no bare import, passes its own tests, and loads by URL in chromium, installed there', async () => {
    const dir = 'packages/my-isru';
    // nx g ... my-isru --entry=isru --configurable, then the build: tsc with emit, as the package's build runs it
    const { dist } = buildGeneratedPlugin({ workspace: ws });
    run('npx', ['eslint', `${dir}/src`]);
    run('npx', ['prettier', '--check', `${dir}/src`, `${dir}/README.md`, `${dir}/package.json`]);
    const modules = readdirSync(dist).filter((name) => name.endsWith('.js'));
    expect(modules.sort()).toEqual(['index.js', 'isru.js', 'plugin.js']);
    for (const name of modules) {
      const bare = specifiers(readFileSync(join(dist, name), 'utf8')).filter((s) => !/^\.\.?\//.test(s));
      expect(bare, `${name} imports ${bare.join(', ')}`).toEqual([]);
    }
    writeFileSync(join(ws, 'vitest.config.ts'), `export default { test: { projects: ['${dir}'] } };`);
    const tests = run('npx', ['vitest', 'run']);
    expect(tests).toMatch(/Tests\s+3 passed/);

    // chromium imports dist/index.js by URL as it is, and installs it with the core's build output (by URL too)
    const files: Record<string, string> = {
      '/plugin/': dist,
      '/core/': join(realpathSync(join(root, 'packages/core')), 'dist'),
    };
    const server = createServer((request, response) => {
      const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
      const prefix = Object.keys(files).find((p) => path.startsWith(p));
      try {
        if (path === '/') {
          response.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
          return;
        }
        const body = readFileSync(join(files[prefix!]!, path.slice(prefix!.length)));
        response.writeHead(200, { 'content-type': 'text/javascript' }).end(body);
      } catch {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${base}/`);
      await page.waitForFunction(() => 'result' in window, undefined, { timeout: 60_000 });
      const result = await page.evaluate(() => (window as unknown as { result: unknown }).result);
      expect(result).toEqual({
        name: '@deltaflow/my-isru',
        source: '@deltaflow/my-isru',
        f: 2 / Math.sqrt(5),
        df: (1 / Math.sqrt(5)) ** 3,
        refused:
          "The activation 'isru' of the plugin '@deltaflow/my-isru' failed: its create threw RangeError: a must be a positive number, got -1; fix the plugin, or run without it.",
      });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      server.close();
    }
  }, 300_000);
});
