// The standalone page's layout in chromium, from a 360 px phone to a 1920 px screen: no width scrolls sideways,
// every chart and canvas lies inside the window's width, the canvases are sized to their boxes (in device
// pixels), and at 1400 x 900 no chart is cut off. Saves a full-page screenshot per width in test-output/.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDataset } from '@deltaflow/data';
import { mlp } from '@deltaflow/network';
import { createRun, train } from '@deltaflow/trainer';
import { recordJsonl } from '@deltaflow/trainer/node';
import { lastValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startDashboardServer, startReplayServer } from '../src/server/index.js';
import { OUTPUT_DIR, screenshot, waitForEpoch, waitForState } from './helpers/browser.js';
import { usePlayground } from './helpers/playground.js';

const playground = usePlayground();

/** Opens the page in a window of `width` x `height` CSS pixels at `ratio` device pixels each; collects errors. */
async function openSized(url: string, width: number, height: number, ratio: number) {
  const page = await playground.browser.context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  await page.setViewportSize({ width, height });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setDeviceMetricsOverride', {
    width,
    height,
    deviceScaleFactor: ratio,
    mobile: false,
  });
  await page.goto(url);
  return { page, errors };
}

/** What the test reads of the laid-out page. */
interface Layout {
  scrollWidth: number;
  clientWidth: number;
  boxes: { id: string; left: number; right: number; top: number; bottom: number; width: number }[];
  canvases: { id: string; cssWidth: number; cssHeight: number; width: number; height: number }[];
  ratio: number;
}

async function layoutOf(page: Page): Promise<Layout> {
  return page.evaluate(() => {
    const ids = ['config', 'heatmap', 'network', 'histograms', 'loss-chart', 'metric-chart', 'delta-chart'];
    const boxes = [...ids, 'norm-chart', 'confusion-panel', 'run'].map((id) => {
      const r = document.getElementById(id)!.getBoundingClientRect();
      return { id, left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width };
    });
    const canvases = ['heatmap', 'network', 'histograms'].map((id) => {
      const canvas = document.getElementById(id) as HTMLCanvasElement;
      return {
        id,
        cssWidth: canvas.clientWidth,
        cssHeight: canvas.clientHeight,
        width: canvas.width,
        height: canvas.height,
      };
    });
    return {
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
      boxes,
      canvases,
      ratio: devicePixelRatio,
    };
  });
}

/** Waits until the charts' plots have followed their boxes (they resize on the next frames). */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() =>
    [...document.querySelectorAll<HTMLElement>('.chart')].every((chart) => {
      const plot = chart.querySelector('.uplot') as HTMLElement | null;
      return plot !== null && Math.abs(plot.offsetWidth - chart.clientWidth) <= 2;
    }),
  );
}

describe('responsive layout', () => {
  for (const [width, height] of [
    [360, 740],
    [800, 900],
    [1400, 900],
    [1920, 1080],
  ] as const) {
    it(`fits ${width} x ${height}: no horizontal scroll, every panel inside the width, canvases at their size`, async () => {
      const { page, errors } = await openSized(
        `${playground.server.url}?dataset=circle&seed=4`,
        width,
        height,
        width === 360 ? 2 : 1,
      );
      try {
        await waitForState(page, 'paused');
        await page.click('#play');
        await waitForEpoch(page, 30);
        await page.click('#pause');
        await waitForState(page, 'paused');
        await settled(page);
        const layout = await layoutOf(page);
        await screenshot(page, `layout-${width}`);
        expect(layout.scrollWidth, 'the page is wider than the window').toBeLessThanOrEqual(
          layout.clientWidth,
        );
        for (const box of layout.boxes) {
          expect(box.left, `${box.id} starts left of the window`).toBeGreaterThanOrEqual(0);
          expect(box.right, `${box.id} ends right of the window`).toBeLessThanOrEqual(layout.clientWidth);
          expect(box.width, `${box.id} is squashed`).toBeGreaterThan(Math.min(200, width - 40));
        }
        if (width === 360) expect(layout.ratio, 'the 2x screen is emulated').toBe(2);
        for (const canvas of layout.canvases) {
          // The drawing buffer is the box's size in device pixels: sharp, and not stretched.
          expect(canvas.width, canvas.id).toBe(Math.round(canvas.cssWidth * layout.ratio));
          expect(canvas.height, canvas.id).toBe(Math.round(canvas.cssHeight * layout.ratio));
        }
        if (width === 1400) {
          // Every chart whole on the first screen: none cut off at the bottom either.
          for (const box of layout.boxes.filter((b) => b.id.endsWith('-chart')))
            expect(box.bottom, `${box.id} is cut off at the bottom`).toBeLessThanOrEqual(height);
        }
        expect(errors).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }

  for (const width of [360, 768, 1280]) {
    it(`fits the confusion matrices of iris at ${width} px: labelled tables inside their panel, no page scroll`, async () => {
      const { page, errors } = await openSized(
        `${playground.server.url}?dataset=iris&layers=5&loss=cross-entropy&optimizer=adam&lr=0.02&dropout=0.1&reg=l2&regrate=0.001&seed=4`,
        width,
        900,
        width === 360 ? 2 : 1,
      );
      try {
        await waitForState(page, 'paused');
        for (let i = 0; i < 5; i++) await page.click('#step');
        await waitForEpoch(page, 5);
        await waitForState(page, 'paused');
        await page.waitForSelector('#confusion table[data-part="test"]:not([hidden])');
        await settled(page);
        const fit = await page.evaluate(() => {
          const panel = document.getElementById('confusion-panel')!.getBoundingClientRect();
          const tables = [...document.querySelectorAll('#confusion table')].map((t) => {
            const r = t.getBoundingClientRect();
            return { left: r.left, right: r.right, width: r.width };
          });
          return {
            panel: { left: panel.left, right: panel.right },
            tables,
            scrollWidth: document.documentElement.scrollWidth,
            clientWidth: document.documentElement.clientWidth,
          };
        });
        await screenshot(page, `layout-confusion-${width}`);
        await page
          .locator('#confusion-panel')
          .screenshot({ path: join(OUTPUT_DIR, `layout-confusion-panel-${width}.png`) });
        await page
          .locator('#regularization-fieldset')
          .screenshot({ path: join(OUTPUT_DIR, `layout-regularization-${width}.png`) });
        expect(fit.scrollWidth, 'the page is wider than the window').toBeLessThanOrEqual(fit.clientWidth);
        expect(fit.tables).toHaveLength(2);
        for (const table of fit.tables) {
          expect(table.left).toBeGreaterThanOrEqual(fit.panel.left - 0.5);
          expect(table.right, 'a confusion table sticks out of its panel').toBeLessThanOrEqual(
            fit.panel.right + 0.5,
          );
        }
        expect(errors).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }

  it('fits 360 px attached and in replay too: no horizontal scroll, the header wraps', async () => {
    const data = createDataset('spiral', { points: 200, noise: 0.05, seed: 5 });
    const model = mlp({ inputs: 2, layers: [{ units: 6, activation: 'tanh' }, { units: 1 }], seed: 5 });
    const run = createRun(model, data, { epochs: 100_000, lr: 0.03, batchSize: 10, validationSplit: 0.3 });
    const live = await startDashboardServer({
      events$: run.events$,
      control: run,
      model,
      data,
      title: 'spiral',
    });
    const dir = await mkdtemp(join(tmpdir(), 'deltaflow-layout-'));
    const file = join(dir, 'spiral.jsonl');
    try {
      const attached = await openSized(live.url, 360, 740, 2);
      await waitForEpoch(attached.page, 20);
      await attached.page.click('#pause');
      await waitForState(attached.page, 'paused');
      await settled(attached.page);
      const a = await layoutOf(attached.page);
      await screenshot(attached.page, 'layout-360-attached');
      expect(a.scrollWidth, 'attached: wider than the window').toBeLessThanOrEqual(a.clientWidth);
      for (const box of a.boxes.filter((b) => b.id !== 'config'))
        expect(box.right, `attached: ${box.id} ends right of the window`).toBeLessThanOrEqual(a.clientWidth);
      expect(attached.errors).toEqual([]);
      await attached.page.close();

      await lastValueFrom(
        train(mlp({ inputs: 2, layers: [{ units: 6, activation: 'tanh' }, { units: 1 }], seed: 2 }), data, {
          epochs: 80,
          lr: 0.03,
          batchSize: 10,
          validationSplit: 0.25,
        }).pipe(recordJsonl(file)),
      );
      const replay = await startReplayServer({ file, epochDelayMs: 5 });
      try {
        const page = await openSized(replay.url, 360, 740, 2);
        await page.page.waitForFunction(() =>
          /replay/.test(document.getElementById('mode')?.textContent ?? ''),
        );
        await waitForEpoch(page.page, 1);
        await settled(page.page);
        const r = await layoutOf(page.page);
        await screenshot(page.page, 'layout-360-replay');
        expect(r.scrollWidth, 'replay: wider than the window').toBeLessThanOrEqual(r.clientWidth);
        const header = await page.page.evaluate(() => document.querySelector('header')!.scrollWidth);
        expect(header, 'replay: the header is wider than the window').toBeLessThanOrEqual(r.clientWidth);
        expect(page.errors).toEqual([]);
        await page.page.close();
      } finally {
        await replay.close();
      }
    } finally {
      run.stop();
      await live.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
