// Attached mode in chromium, exactly as the CLI will run it: a run in this Node process (createRun from
// @deltaflow/trainer), served by startDashboardServer; and a recorded JSONL run served by startReplayServer.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDataset } from '@deltaflow/data';
import { mlp } from '@deltaflow/network';
import { createRun, train } from '@deltaflow/trainer';
import { recordJsonl } from '@deltaflow/trainer/node';
import { lastValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboardServer, startReplayServer } from '../src/server/index.js';
import {
  epochOf,
  launchBrowser,
  openPage,
  screenshot,
  waitForEpoch,
  waitForState,
} from './helpers/browser.js';
import type { Browser } from './helpers/browser.js';

let browser: Browser;
let dir: string;

beforeAll(async () => {
  browser = await launchBrowser();
  dir = await mkdtemp(join(tmpdir(), 'deltaflow-dashboard-'));
});

afterAll(async () => {
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

const circleModel = () =>
  mlp({
    inputs: 2,
    layers: [{ units: 6, activation: 'tanh' }, { units: 3, activation: 'tanh' }, { units: 1 }],
    seed: 5,
  });

describe('attached to a run in Node', () => {
  it('shows the run live, gives a late page the history, and steers the run', async () => {
    const data = createDataset('circle', { points: 300, noise: 0.05, seed: 5 });
    const model = circleModel();
    const run = createRun(model, data, {
      epochs: 200_000,
      lr: 0.05,
      batchSize: 10,
      validationSplit: 0.3,
      seed: 5,
      batchEvents: true,
    });
    const server = await startDashboardServer({
      events$: run.events$,
      control: run,
      model,
      data,
      title: 'circle',
      closeAfterEndMs: 300,
    });

    const live = await openPage(browser.context, server.url);
    await waitForState(live.page, 'running');
    await waitForEpoch(live.page, 20);
    const seen = await epochOf(live.page);
    await waitForEpoch(live.page, seen + 20);
    expect(await live.page.textContent('#mode')).toBe('attached: circle');
    await live.page.waitForTimeout(400);
    await screenshot(live.page, 'attached-live');

    const late = await openPage(browser.context, server.url);
    await waitForEpoch(late.page, seen + 20);
    // The chart is drawn on the next animation frame after the counter moves: wait for it, then check it.
    await late.page.waitForSelector('#loss-chart[data-first-epoch]');
    expect(await late.page.getAttribute('#loss-chart', 'data-first-epoch')).toBe('1');
    expect(Number(await late.page.getAttribute('#loss-chart', 'data-points'))).toBeGreaterThan(20);

    await live.page.click('#pause');
    await waitForState(live.page, 'paused');
    await waitForState(late.page, 'paused');
    const held = await epochOf(live.page);
    await live.page.waitForTimeout(400);
    expect(await epochOf(live.page)).toBe(held);
    await live.page.click('#step');
    await waitForEpoch(live.page, held + 1);
    await waitForEpoch(late.page, held + 1);
    await live.page.waitForTimeout(400);
    expect(await epochOf(live.page)).toBe(held + 1);
    await screenshot(late.page, 'attached-late-paused');

    await live.page.click('#stop');
    await waitForState(live.page, 'ended');
    await waitForState(late.page, 'ended');
    expect(await live.page.textContent('#summary')).toContain(`stopped after ${held + 1} epochs`);
    await server.closed;
    await live.page.waitForFunction(() =>
      document.getElementById('notice')?.textContent?.startsWith('finished'),
    );
    expect(live.errors).toEqual([]);
    expect(late.errors).toEqual([]);
  });

  it('replays a recorded JSONL run', async () => {
    const file = join(dir, 'spiral.jsonl');
    const data = createDataset('spiral', { points: 300, noise: 0.05, seed: 2 });
    const model = mlp({
      inputs: 2,
      layers: [{ units: 8, activation: 'tanh' }, { units: 8, activation: 'tanh' }, { units: 1 }],
      seed: 2,
    });
    await lastValueFrom(
      train(model, data, {
        epochs: 150,
        lr: 0.03,
        batchSize: 10,
        optimizer: 'adam',
        validationSplit: 0.25,
        checkpointEvery: 25,
      }).pipe(recordJsonl(file)),
    );
    const server = await startReplayServer({ file, epochDelayMs: 5 });
    const { page, errors } = await openPage(browser.context, server.url);
    await waitForState(page, 'ended');
    expect(await epochOf(page)).toBe(150);
    expect(await page.textContent('#mode')).toBe('replay: spiral.jsonl');
    expect(await page.isVisible('#replay-scrub')).toBe(true);
    await page.waitForFunction(() => document.getElementById('loss-chart')?.dataset.points === '150');
    expect(await page.textContent('#summary')).toContain('completed after 150 epochs');
    await page.waitForTimeout(400);
    await screenshot(page, 'replay');
    await server.close();
    expect(errors).toEqual([]);
  });
});
