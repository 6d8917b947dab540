// Attached runs in chromium, the server side of issue 14: a page opened or reloaded after the run's end sees the
// whole run and "finished" (item 4), a late page gets a bounded history whatever the run's length (item 2), and
// the learning-rate box shows the rate in use and the "training" row follows a change (item 6).
import { createDataset } from '@deltaflow/data';
import { mlp } from '@deltaflow/network';
import { createRun } from '@deltaflow/trainer';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDashboardServer } from '../src/server/index.js';
import type { DashboardServer } from '../src/server/index.js';
import { HISTORY_CAPACITY } from '../src/shared/run-history.js';
import {
  epochOf,
  launchBrowser,
  openPage,
  screenshot,
  waitForEpoch,
  waitForState,
} from './helpers/browser.js';
import type { Browser } from './helpers/browser.js';
import { xorData } from './helpers/fixtures.js';

let browser: Browser;
const servers: DashboardServer[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
afterAll(async () => {
  await browser?.close();
});

/** Counts, in the page, the epoch rows its socket received (every `epochs` message's column length). */
function countEpochRows(): void {
  const Native = window.WebSocket;
  const counted = window as unknown as { epochRows: number };
  counted.epochRows = 0;
  window.WebSocket = class extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('message', (message: MessageEvent<string>) => {
        const data = JSON.parse(message.data) as { type: string; epoch?: unknown[] };
        if (data.type === 'epochs') counted.epochRows += data.epoch!.length;
      });
    }
  };
}

const epochRows = (page: Page): Promise<number> =>
  page.evaluate(() => (window as unknown as { epochRows: number }).epochRows);

const noticeOf = (page: Page): Promise<string> => page.textContent('#notice').then((t) => t ?? '');

describe('attached: after the run ends (issue 14, item 4)', () => {
  it('says "finished", not "disconnected", and a reload after the end shows the whole run', async () => {
    const data = createDataset('circle', { points: 200, noise: 0.05, seed: 3 });
    const model = mlp({
      inputs: 2,
      layers: [{ units: 4, activation: 'tanh' }, { units: 1 }],
      seed: 3,
    });
    const run = createRun(model, data, { epochs: 300, lr: 0.05, batchSize: 10, seed: 3 });
    const server = await startDashboardServer({
      events$: run.events$,
      control: run,
      model,
      data,
      title: 'circle',
    });
    servers.push(server);
    const { page, errors } = await openPage(browser.context, server.url);
    await waitForState(page, 'ended');
    await page.waitForFunction(() => document.getElementById('notice')?.textContent?.startsWith('finished'));
    // the server keeps serving: the page stays connected, and a reload gets the run again
    await page.waitForTimeout(500);
    expect(await noticeOf(page)).not.toMatch(/disconnected/);
    await page.reload();
    await waitForState(page, 'ended');
    expect(await epochOf(page)).toBe(300);
    await page.waitForFunction(() => document.getElementById('loss-chart')?.dataset.points === '300');
    expect(await page.getAttribute('#loss-chart', 'data-first-epoch')).toBe('1');
    expect(await noticeOf(page)).toMatch(/^finished/);
    expect(await page.textContent('#summary')).toContain('completed after 300 epochs');
    await screenshot(page, 'attached-reloaded-after-end');
    expect(errors).toEqual([]);
  });
});

describe('attached: memory bounded for any run length (issue 14, item 2)', () => {
  it('gives a late page a bounded, thinned history from epoch 1 to the last, while live pages get every epoch', async () => {
    const epochs = 60_000;
    const model = mlp({ inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 1 }], seed: 1 });
    const run = createRun(model, xorData(), { epochs, lr: 0.5, batchSize: 4 });
    // waitForPage: the run starts once the live page is there, so it sees every epoch live
    const server = await startDashboardServer({
      events$: run.events$,
      control: run,
      model,
      data: xorData(),
      waitForPage: true,
    });
    servers.push(server);
    const live = await openPage(browser.context, server.url, countEpochRows);
    await waitForState(live.page, 'ended');
    expect(await epochOf(live.page)).toBe(epochs);

    const late = await openPage(browser.context, server.url, countEpochRows);
    await waitForState(late.page, 'ended');
    expect(await epochOf(late.page)).toBe(epochs);
    await late.page.waitForSelector('#loss-chart[data-first-epoch]');
    expect(await late.page.getAttribute('#loss-chart', 'data-first-epoch')).toBe('1');
    expect(Number(await late.page.getAttribute('#loss-chart', 'data-points'))).toBeGreaterThan(100);
    // The history a late page gets holds at most HISTORY_CAPACITY epochs (+ the newest), not all 60,000.
    const caughtUp = await epochRows(late.page);
    expect(caughtUp).toBeGreaterThan(HISTORY_CAPACITY / 2);
    expect(caughtUp).toBeLessThanOrEqual(HISTORY_CAPACITY + 1);
    // The live page was sent every epoch as it happened (the page thins for drawing, the stream does not).
    expect(await epochRows(live.page)).toBeGreaterThanOrEqual(epochs);
    expect([...live.errors, ...late.errors]).toEqual([]);
  });
});

describe('attached: the learning-rate box (issue 14, item 6)', () => {
  it('shows the rate in use, and after a change the box and the "training" row show the new rate', async () => {
    const data = createDataset('circle', { points: 200, noise: 0.05, seed: 4 });
    const model = mlp({ inputs: 2, layers: [{ units: 4, activation: 'tanh' }, { units: 1 }], seed: 4 });
    const run = createRun(model, data, { epochs: 1_000_000, lr: 0.05, batchSize: 10, seed: 4 });
    const server = await startDashboardServer({
      events$: run.events$,
      control: run,
      model,
      data,
      title: 'circle',
    });
    servers.push(server);
    const { page, errors } = await openPage(browser.context, server.url);
    await waitForState(page, 'running');
    await waitForEpoch(page, 5);
    expect(await page.isVisible('#remote-lr')).toBe(true);
    await page.waitForFunction(
      () => (document.getElementById('remote-lr') as HTMLInputElement).value === '0.05',
    );
    await page.waitForFunction(() =>
      /(?:lr|learning rate) 0\.05\b/.test(document.getElementById('summary')?.textContent ?? ''),
    );

    await page.fill('#remote-lr', '0.2');
    await page.press('#remote-lr', 'Enter');
    await page.locator('#remote-lr').blur();
    await page.waitForFunction(() =>
      /(?:lr|learning rate) 0\.2\b/.test(document.getElementById('summary')?.textContent ?? ''),
    );
    expect(await page.inputValue('#remote-lr')).toBe('0.2');
    expect(await page.textContent('#summary')).not.toMatch(/(?:lr|learning rate) 0\.05\b/);
    // a second page opened now shows the new rate too
    const other = await openPage(browser.context, server.url);
    await other.page.waitForFunction(
      () => (document.getElementById('remote-lr') as HTMLInputElement).value === '0.2',
    );
    run.stop();
    await waitForState(page, 'ended');
    expect([...errors, ...other.errors]).toEqual([]);
  });
});
