/// <reference lib="dom" />
// The typedoc site as a reader uses it, in the shared headless chromium: search finds guides and functions by
// what their text says, not only by name; The math's formulas are rendered by KaTeX; code blocks keep their lines
// and scroll sideways. The site is built once, from this repository, into a temporary folder. Screenshots of the
// math page, the `train` page and a search at 1280 and 390 px wide are left in DELTAFLOW_SCREENSHOTS (default: a
// temporary folder, printed), to look at.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { launchBrowser } from '@deltaflow/test-browser';
import type { Browser } from '@deltaflow/test-browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const site = mkdtempSync(join(tmpdir(), 'deltaflow-site-'));
const screenshots =
  process.env['DELTAFLOW_SCREENSHOTS'] ?? join(site, '..', `${site.split('/').pop()}-shots`);
const types: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

type Page = Awaited<ReturnType<Browser['context']['newPage']>>;

let server: Server;
let base = '';
let browser: Browser;

beforeAll(async () => {
  const typedoc = join(root, 'node_modules/typedoc/bin/typedoc');
  await promisify(execFile)(process.execPath, [typedoc, '--out', site, '--logLevel', 'Error'], {
    cwd: root,
    timeout: 280_000,
  });
  server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
    const file = join(site, path.endsWith('/') ? `${path}index.html` : path);
    try {
      const body = readFileSync(file);
      response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  browser = await launchBrowser({ viewport: { width: 1280, height: 900 } });
  mkdirSync(screenshots, { recursive: true });
  console.log(`screenshots: ${screenshots}`);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
  rmSync(site, { recursive: true, force: true });
});

async function open(path: string, width = 1280): Promise<Page> {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width, height: 900 });
  await page.goto(base + path);
  await page.waitForLoadState('load');
  return page;
}

/** Types `query` into the site's search and returns the results' texts (kind, then name, as the list shows them). */
async function search(page: Page, query: string): Promise<string[]> {
  await page.click('#tsd-search-trigger');
  await page.fill('#tsd-search-input', query);
  await page.waitForSelector('#tsd-search-results li a');
  return page.$$eval('#tsd-search-results li', (items) =>
    items.map((item) => (item.textContent ?? '').replace(/\s+/g, ' ').trim()),
  );
}

describe('the typedoc site in chromium', () => {
  it('search "learning rate" finds the guides and the functions that speak of it', async () => {
    const page = await open('index.html');
    const results = await search(page, 'learning rate');
    await page.screenshot({ path: join(screenshots, 'search-learning-rate-1280.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(screenshots, 'search-learning-rate-390.png') });
    await page.close();
    expect(results).toEqual(expect.arrayContaining([expect.stringContaining('The training stream')]));
    expect(results).toEqual(expect.arrayContaining([expect.stringContaining('setLearningRate')]));
    // an optimizer's options, found by the lr field's comment (which of them ranks in the first ten varies)
    expect(results.some((text) => /^@deltaflow\/(plugin-)?optimizers\.\w+Options\.lr$/.test(text))).toBe(
      true,
    );
    // found by its comment, not its name
    expect(results.filter((text) => !/learning ?rate/i.test(text)).length).toBeGreaterThan(2);
  });

  it('search "sigmoid" finds the activations that are not called so, and the guides', async () => {
    const page = await open('index.html');
    const results = await search(page, 'sigmoid');
    await page.screenshot({ path: join(screenshots, 'search-sigmoid-1280.png') });
    await page.close();
    expect(results).toEqual(expect.arrayContaining([expect.stringContaining('hardSigmoid')]));
    expect(results).toEqual(expect.arrayContaining([expect.stringContaining('The math')]));
    expect(results).toEqual(
      expect.arrayContaining([expect.stringContaining('@deltaflow/activations.activationToJSON')]),
    );
    expect(results.filter((text) => !/sigmoid/i.test(text)).length).toBeGreaterThan(2);
  });

  it('renders The math through KaTeX, with its fonts', async () => {
    for (const width of [1280, 390]) {
      const page = await open('documents/The_math.html', width);
      await page.evaluate(() => document.fonts.ready);
      const math = await page.evaluate(() => ({
        formulas: document.querySelectorAll('.katex').length,
        displays: document.querySelectorAll('.katex-display').length,
        errors: document.querySelectorAll('.katex-error').length,
        // the net input x_j = sum_i O_i W_ij + theta_j, as KaTeX lays it out (visible HTML, MathML for readers)
        html: [...document.querySelectorAll('.katex-html')].map((e) => e.textContent ?? ''),
        tex: [...document.querySelectorAll('.katex annotation')].map((e) => e.textContent ?? ''),
        font: getComputedStyle(document.querySelector('.katex')!).fontFamily,
        fonts: document.fonts.check('1em KaTeX_Main') && document.fonts.check('italic 1em KaTeX_Math'),
        raw: document.body.innerText.includes('$'),
      }));
      await page.screenshot({ path: join(screenshots, `the-math-${width}.png`) });
      if (width === 1280) {
        await page.locator('h2', { hasText: 'Step 5' }).scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(screenshots, `the-math-step5-${width}.png`) });
      }
      await page.close();
      expect(math.formulas).toBeGreaterThan(40);
      expect(math.displays).toBeGreaterThan(5);
      expect(math.errors).toBe(0);
      expect(math.tex).toContain('x_j = \\sum_i O_i W_{ij} + \\theta_j');
      expect(math.html).toContain('xj​=∑i​Oi​Wij​+θj​');
      expect(math.font).toContain('KaTeX_Main');
      expect(math.fonts).toBe(true);
      expect(math.raw).toBe(false);
    }
  });

  it('keeps every line of code on one line: long lines scroll sideways', async () => {
    for (const [path, width] of [
      ['functions/_deltaflow_trainer.train.html', 1280],
      ['functions/_deltaflow_trainer.train.html', 390],
      ['documents/The_math.html', 390],
      ['index.html', 390],
    ] as const) {
      const page = await open(path, width);
      if (path.includes('train.html'))
        await page.screenshot({ path: join(screenshots, `train-${width}.png`), fullPage: true });
      const blocks = await page.$$eval('pre', (pres) =>
        pres.map((pre) => {
          const code = pre.querySelector('code') ?? (pre as HTMLElement);
          const lines = code.innerText.replace(/\n$/, '').split('\n').length;
          // one box per line when nothing wraps
          const boxes = new Set([...code.getClientRects()].map((rect) => Math.round(rect.top))).size;
          const style = getComputedStyle(pre);
          return {
            lines,
            boxes,
            whiteSpace: style.whiteSpace,
            overflowX: style.overflowX,
            scrolls: pre.scrollWidth > pre.clientWidth,
          };
        }),
      );
      await page.close();
      expect(blocks.length, path).toBeGreaterThan(0);
      for (const block of blocks) {
        expect(block, path).toMatchObject({ whiteSpace: 'pre', overflowX: 'auto' });
        expect(block.boxes, path).toBe(block.lines);
      }
      if (width === 390)
        expect(
          blocks.some((block) => block.scrolls),
          path,
        ).toBe(true);
    }
  });

  it('names a function by its package alone: "@deltaflow/trainer / train", with its parameters described', async () => {
    const page = await open('functions/_deltaflow_trainer.train.html');
    const crumbs = await page.$$eval('.tsd-breadcrumb li', (items) =>
      items.map((li) => li.textContent?.trim()),
    );
    const parameters = await page.$$eval('.tsd-parameter-list > li', (items) =>
      items.map((li) => (li.textContent ?? '').replace(/\s+/g, ' ').trim()),
    );
    const example = await page.$eval(
      '.tsd-tag-example + pre, h4.tsd-anchor-link + pre',
      (pre) => pre.textContent,
    );
    await page.goto(`${base}modules/_deltaflow_trainer.html`);
    const headings = await page.$$eval('h1, h2', (hs) => hs.map((h) => h.textContent?.trim()));
    await page.goto(`${base}documents/CLI_reference.html`);
    const children = await page.$$eval('.tsd-navigation a', (as) => as.map((a) => a.textContent?.trim()));
    await page.close();
    expect(crumbs).toEqual(['@deltaflow/trainer', 'train']);
    expect(parameters).toHaveLength(3);
    for (const parameter of parameters)
      expect(parameter.split(':').slice(1).join(':').length).toBeGreaterThan(20);
    expect(example).toContain("import { train } from '@deltaflow/trainer';");
    expect(headings.filter((h) => h === '@deltaflow/trainer')).toEqual([]);
    expect(children).toContain('@deltaflow/cli');
    expect(children).not.toContain('README');
  });
});
