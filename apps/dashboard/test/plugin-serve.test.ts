// Plugins the dashboard server gives the page, in chromium: `deltaflow dashboard --plugin ./fixture-plugin.mjs`
// (the real, built CLI) serves the module to the playground, whose page lists its activation and optimizer,
// takes them from the link, trains with them in its worker and draws the heatmap; `deltaflow train --dashboard
// --plugin` serves it to the attached page, which installs it to draw the heatmap of a model with its
// activation, and `deltaflow dashboard --replay --plugin` to the replaying page. And the notices: a link's unknown names, a heatmap the page cannot draw, and a plugin module that
// imports a package by name (which no page can load: a dashboard's plugin must be self-contained). And the
// generator's build output (tools/workspace-plugin: several modules importing each other by relative path),
// given to `deltaflow dashboard --plugin` as it is, with no bundling step.
import { request } from 'node:http';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDataset } from '@deltaflow/data';
import { installPlugin, mlp } from '@deltaflow/network';
import { createRun } from '@deltaflow/trainer';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboardServer, startPlaygroundServer } from '../src/server/index.js';
import { runCli, startCli, stopCli } from './helpers/cli.js';
import {
  OUTPUT_DIR,
  launchBrowser,
  openPage,
  screenshot,
  waitForEpoch,
  waitForState,
} from './helpers/browser.js';
import type { Browser } from './helpers/browser.js';

/** A self-contained plugin module (no imports), as docs/guides/writing-a-plugin.md writes one. */
const FIXTURE_PLUGIN = `// fixture-plugin.mjs
export default {
  name: 'fixture-plugin',
  activations: [
    { name: 'isru', f: (x) => x / Math.sqrt(1 + x * x), df: (x) => (1 + x * x) ** -1.5 },
  ],
  optimizers: [
    {
      name: 'heavy-ball',
      defaults: { lr: 0.1, momentum: 0.9 },
      init: (size) => ({ velocity: new Float64Array(size) }),
      update: (param, grad, state, options) => {
        const v = state.velocity;
        for (let i = 0; i < param.length; i++) {
          v[i] = options.momentum * v[i] + grad[i];
          param[i] -= options.lr * v[i];
        }
      },
    },
  ],
};
`;

/** A plugin as the generator's output used to be: it imports definePlugin at run time, so no page can load it. */
const BARE_PLUGIN = `import { definePlugin } from '@deltaflow/core';
export default definePlugin({
  name: 'bare-plugin',
  activations: [{ name: 'bare-isru', f: (x) => x / Math.sqrt(1 + x * x), df: (x) => (1 + x * x) ** -1.5 }],
});
`;

let browser: Browser;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'deltaflow-plugin-serve-'));
  writeFileSync(join(dir, 'fixture-plugin.mjs'), FIXTURE_PLUGIN);
  writeFileSync(join(dir, 'bare-plugin.mjs'), BARE_PLUGIN);
  writeFileSync(join(dir, 'notes.txt'), 'not a module\n');
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The share of the heatmap canvas's pixels that are painted (0 while the map is blank). */
function paintedShare(page: Page): Promise<number> {
  return page.evaluate(() => {
    const canvas = document.getElementById('heatmap') as HTMLCanvasElement;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted++;
    return painted / (canvas.width * canvas.height);
  });
}

/** Waits until the heatmap is painted over most of its canvas. */
async function waitForHeatmap(page: Page): Promise<void> {
  await expect.poll(() => paintedShare(page), { timeout: 30_000, interval: 200 }).toBeGreaterThan(0.9);
}

/**
 * Saves the page at 375 and at 1280 CSS pixels wide (test-output/NAME-WIDTH.png, git-ignored), and at each width
 * the element `notice` alone (NAME-notice-WIDTH.png), to read the notice as it is laid out.
 */
async function screenshots(page: Page, name: string, notice?: string): Promise<void> {
  for (const width of [375, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(300);
    await screenshot(page, `${name}-${width}`);
    if (notice)
      await page.locator(notice).screenshot({ path: join(OUTPUT_DIR, `${name}-notice-${width}.png`) });
  }
}

/** The response of a GET with the given Host header (fetch cannot set one). */
function getWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

const options = (page: Page, id: string) =>
  page.$$eval(`#${id} option`, (list) => list.map((o) => o.textContent));

describe('deltaflow dashboard --plugin ./fixture-plugin.mjs', () => {
  it('lists the plugin, takes its names from the link, trains with them and draws the heatmap', async () => {
    const cli = await startCli(['dashboard', '--plugin', './fixture-plugin.mjs'], dir);
    try {
      expect(cli.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?plugin=plugins\/0\/fixture-plugin\.mjs$/);
      const { page, errors } = await openPage(
        browser.context,
        `${cli.url}&dataset=circle&layers=6&activation=isru&optimizer=heavy-ball&lr=0.03&speed=max`,
      );
      await waitForState(page, 'paused');
      expect(await options(page, 'activation')).toContain('isru');
      expect(await options(page, 'optimizer')).toContain('heavy-ball');
      expect(await page.inputValue('#activation')).toBe('isru');
      expect(await page.inputValue('#optimizer')).toBe('heavy-ball');
      expect(await page.isVisible('#url-notice')).toBe(false);
      await page.click('#play');
      await waitForEpoch(page, 30);
      await waitForHeatmap(page);
      expect(await page.isVisible('#heatmap-problem')).toBe(false);
      const summary = await page.textContent('#summary');
      expect(summary).toMatch(/isru/);
      expect(summary).toMatch(/heavy-ball/);
      // the loss is a finite number: heavy-ball and isru trained
      expect(Number.isFinite(Number(await page.getAttribute('#loss-value', 'data-value')))).toBe(true);
      await page.click('#pause');
      await screenshots(page, 'plugin-serve-standalone');
      expect(errors).toEqual([]);

      // The page's own address, without the link's ?plugin=: the server's meta tag still names the module.
      const bare = await openPage(browser.context, new URL('/', cli.url).href);
      await waitForState(bare.page, 'paused');
      expect(await options(bare.page, 'activation')).toContain('isru');
      expect(bare.errors).toEqual([]);

      // Served at its fixed URL as JavaScript, under the page's CSP and host rules; nothing else is but the
      // modules of its folder (which it could import by relative path).
      const served = await fetch(new URL('plugins/0/fixture-plugin.mjs', cli.url));
      expect(served.headers.get('content-type')).toMatch(/^text\/javascript/);
      expect(served.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
      expect(await served.text()).toBe(FIXTURE_PLUGIN);
      expect((await fetch(new URL('plugins/0/bare-plugin.mjs', cli.url))).status).toBe(200);
      expect((await fetch(new URL('plugins/0/notes.txt', cli.url))).status).toBe(404);
      expect((await fetch(new URL('plugins/0/%2e%2e/fixture-plugin.mjs', cli.url))).status).toBe(404);
      expect((await fetch(new URL('plugins/1/fixture-plugin.mjs', cli.url))).status).toBe(404);
      expect(await getWithHost(new URL('plugins/0/fixture-plugin.mjs', cli.url).href, 'evil.example')).toBe(
        421,
      );
    } finally {
      expect(await stopCli(cli)).toBe(130);
    }
  }, 120_000);
});

/** What `buildGeneratedPlugin()` (tools/workspace-plugin's scratch-plugin.mjs) returns. */
interface GeneratedPlugin {
  dist: string;
  entry: string;
  packageName: string;
  remove(): void;
}

/** The generator's helper, plain JavaScript outside this project: imported by URL, so no build or typing needed. */
const SCRATCH_PLUGIN = new URL(
  '../../../tools/workspace-plugin/src/generators/plugin/scratch-plugin.mjs',
  import.meta.url,
).href;

describe("deltaflow dashboard --plugin <the generator's dist>/index.js", () => {
  let generated: GeneratedPlugin | undefined;

  beforeAll(async () => {
    const { buildGeneratedPlugin } = (await import(SCRATCH_PLUGIN)) as {
      buildGeneratedPlugin: (options?: { name?: string; entry?: string }) => GeneratedPlugin;
    };
    // nx g @deltaflow/tools:plugin gen-isru-plugin --entry=gen-isru --configurable, then tsc --build: its dist
    // is index.js importing ./plugin.js, which imports ./gen-isru.js, as the author publishes it; nothing bundled
    generated = buildGeneratedPlugin({ name: 'gen-isru-plugin', entry: 'gen-isru' });
  }, 600_000);

  afterAll(() => generated?.remove());

  it('loads the build output as it is: lists the activation, takes it from the link, trains and draws the heatmap', async () => {
    const { dist, entry } = generated!;
    const modules = readdirSync(dist).filter((name) => name.endsWith('.js'));
    expect(modules.length).toBeGreaterThan(1); // several modules: served from the plugin's folder
    const cli = await startCli(['dashboard', '--plugin', join(dist, 'index.js')], dir);
    try {
      expect(cli.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?plugin=plugins\/0\/index\.js$/);
      expect(cli.stderr()).not.toMatch(/imports|cannot load/);
      const { page, errors } = await openPage(
        browser.context,
        `${cli.url}&dataset=circle&layers=6&activation=${entry}:a=0.5&lr=0.03&speed=max`,
      );
      await waitForState(page, 'paused');
      expect(await options(page, 'activation')).toContain(entry);
      expect(await page.inputValue('#activation')).toBe(entry);
      expect(await page.inputValue('#activation-options')).toBe('a=0.5');
      expect(await page.isVisible('#url-notice')).toBe(false);
      expect(await page.textContent('#notice')).not.toMatch(/plugin/);
      await page.click('#play');
      await waitForEpoch(page, 30);
      await waitForHeatmap(page);
      expect(await page.isVisible('#heatmap-problem')).toBe(false);
      expect(await page.textContent('#summary')).toContain(entry);
      expect(Number.isFinite(Number(await page.getAttribute('#loss-value', 'data-value')))).toBe(true);
      await page.click('#pause');
      await screenshots(page, 'plugin-serve-generated');
      expect(errors).toEqual([]);

      // every module of the dist is served from the plugin's folder, as JavaScript; nothing beside it is
      for (const name of modules) {
        const served = await fetch(new URL(`plugins/0/${name}`, cli.url));
        expect(served.status, name).toBe(200);
        expect(served.headers.get('content-type'), name).toMatch(/^text\/javascript/);
      }
      for (const path of [
        'plugins/0/%2e%2e/package.json',
        'plugins/0/..%2fsrc%2findex.ts',
        'plugins/0/index.d.ts',
      ])
        expect((await fetch(new URL(path, cli.url))).status, path).toBe(404);
    } finally {
      expect(await stopCli(cli)).toBe(130);
    }
  }, 180_000);
});

describe('deltaflow train --dashboard --plugin ./fixture-plugin.mjs', () => {
  it('serves the plugin to the attached page, which draws the heatmap of the isru model', async () => {
    const cli = await startCli(
      [
        'train',
        '--plugin',
        './fixture-plugin.mjs',
        '--data',
        'circle',
        '--layers',
        '6',
        '--activation',
        'isru',
        '--epochs',
        '1000000',
        '--quiet',
        '--dashboard',
      ],
      dir,
    );
    try {
      const { page, errors } = await openPage(browser.context, cli.url);
      await waitForState(page, 'running');
      await waitForEpoch(page, 20);
      await waitForHeatmap(page);
      expect(await page.isVisible('#heatmap-problem')).toBe(false);
      expect(await page.textContent('#notice')).not.toMatch(/plugin/);
      await page.click('#pause');
      await waitForState(page, 'paused');
      await screenshots(page, 'plugin-serve-attached');
      expect(errors).toEqual([]);
    } finally {
      expect(await stopCli(cli)).toBe(130);
    }
  }, 120_000);
});

describe('deltaflow dashboard --replay run.jsonl --plugin ./fixture-plugin.mjs', () => {
  it("draws the replayed isru model's heatmap with the plugin, and says why it cannot without", async () => {
    const recorded = await runCli(
      [
        'train',
        '--plugin',
        './fixture-plugin.mjs',
        '--activation',
        'isru',
        '--data',
        'circle',
        '--epochs',
        '40',
        '--quiet',
        '--events',
        'isru-run.jsonl',
      ],
      dir,
    );
    expect(recorded.code, recorded.stderr).toBe(0);

    const withPlugin = await startCli(
      ['dashboard', '--replay', 'isru-run.jsonl', '--plugin', './fixture-plugin.mjs'],
      dir,
    );
    try {
      const { page, errors } = await openPage(browser.context, withPlugin.url);
      await waitForState(page, 'ended');
      await waitForHeatmap(page);
      expect(await page.isVisible('#heatmap-problem')).toBe(false);
      expect(errors).toEqual([]);
    } finally {
      expect(await stopCli(withPlugin)).toBe(130);
    }

    const without = await startCli(['dashboard', '--replay', 'isru-run.jsonl'], dir);
    try {
      const { page, errors } = await openPage(browser.context, without.url);
      await waitForState(page, 'ended');
      await page.waitForSelector('#heatmap-problem', { state: 'visible' });
      expect(await page.textContent('#heatmap-problem')).toMatch(/this page has no activation "isru"/);
      expect(await paintedShare(page)).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      expect(await stopCli(without)).toBe(130);
    }
  }, 120_000);
});

describe('notices', () => {
  it('names every unknown name of a link: dataset, activation, loss and optimizer', async () => {
    const server = await startPlaygroundServer();
    try {
      const { page, errors } = await openPage(
        browser.context,
        `${server.url}?dataset=moons&activation=isru&loss=hinge&optimizer=lion`,
      );
      await waitForState(page, 'paused');
      const notice = (await page.textContent('#url-notice')) ?? '';
      expect(notice).toContain(
        "The link's dataset=moons is not a dataset this page has (xor, circle, spiral, gauss, plane, iris); using the default, circle.",
      );
      expect(notice).toContain(
        "The link's activation=isru is not an activation this page has; using the default, tanh.",
      );
      expect(notice).toContain("The link's loss=hinge is not a loss this page has; using the default, mse.");
      expect(notice).toContain(
        "The link's optimizer=lion is not an optimizer this page has; using the default, sgd.",
      );
      // how a plugin's names get their module: said once, last
      const hint =
        "A plugin's names need its module: add ?plugin=URL to the link, or serve it with deltaflow dashboard --plugin FILE.";
      expect(notice.endsWith(hint)).toBe(true);
      expect(notice.split(hint)).toHaveLength(2);
      // a sentence a line
      expect(await page.locator('#url-notice .notice-line').count()).toBe(5);
      expect(await page.inputValue('#activation')).toBe('tanh');
      await screenshots(page, 'plugin-serve-unknown-names', '#url-notice');
      expect(errors).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('says the heatmap cannot be drawn when the attached page lacks the activation', async () => {
    // registered in this process only: the server is not given its module, so the page cannot build the model
    installPlugin({
      name: 'node-only',
      activations: [
        { name: 'node-only-isru', f: (x) => x / Math.sqrt(1 + x * x), df: (x) => (1 + x * x) ** -1.5 },
      ],
    });
    const data = createDataset('circle', { points: 200, noise: 0.05, seed: 3 });
    const model = mlp({
      inputs: 2,
      layers: [{ units: 4, activation: 'node-only-isru' }, { units: 1 }],
      seed: 3,
    });
    const run = createRun(model, data, { epochs: 1_000_000, lr: 0.05, seed: 3 });
    const server = await startDashboardServer({ events$: run.events$, control: run, model, data });
    try {
      const { page, errors } = await openPage(browser.context, server.url);
      await waitForEpoch(page, 5);
      await page.waitForSelector('#heatmap-problem', { state: 'visible' });
      expect(await page.textContent('#heatmap-problem')).toBe(
        'The heatmap and the neuron thumbnails cannot be drawn: this page has no activation "node-only-isru" (a plugin\'s); serve its module with the page: deltaflow train --dashboard --plugin FILE (a self-contained module).',
      );
      expect(await page.isVisible('#heatmap-note')).toBe(false);
      await screenshots(page, 'plugin-serve-heatmap-problem', '#space');
      expect(errors).toEqual([]);
    } finally {
      run.stop();
      await server.close();
    }
  });

  it('says a plugin that imports a package must be self-contained, standalone and attached', async () => {
    const expected =
      'The plugin plugins/0/bare-plugin.mjs imports "@deltaflow/core", which a page cannot resolve: a plugin for the dashboard must be a self-contained module (no imports at run time but its own files by relative path; "import type" is fine), so bundle it into one file.';
    const plugins = [join(dir, 'bare-plugin.mjs')];
    const playground = await startPlaygroundServer({ plugins });
    try {
      const { page } = await openPage(browser.context, playground.url);
      await waitForState(page, 'paused');
      await page.waitForFunction(() =>
        /self-contained/.test(document.getElementById('notice')?.textContent ?? ''),
      );
      expect(await page.textContent('#notice')).toBe(expected);
      // the rest of the page works: it trains with the built-ins
      await page.click('#play');
      await waitForEpoch(page, 3);
      expect(await page.textContent('#notice')).toContain(expected);
      await screenshots(page, 'plugin-serve-bare-standalone', 'header');
    } finally {
      await playground.close();
    }

    const data = createDataset('circle', { points: 200, noise: 0.05, seed: 4 });
    const model = mlp({ inputs: 2, layers: [{ units: 4, activation: 'tanh' }, { units: 1 }], seed: 4 });
    const run = createRun(model, data, { epochs: 1_000_000, lr: 0.05, seed: 4 });
    const server = await startDashboardServer({ events$: run.events$, control: run, model, data, plugins });
    try {
      const { page } = await openPage(browser.context, server.url);
      await waitForEpoch(page, 5);
      await page.waitForFunction(() =>
        /self-contained/.test(document.getElementById('notice')?.textContent ?? ''),
      );
      expect(await page.textContent('#notice')).toContain(expected);
      // a built-in activation still draws
      await waitForHeatmap(page);
      await screenshots(page, 'plugin-serve-bare-attached', 'header');
    } finally {
      run.stop();
      await server.close();
    }
  });
});
