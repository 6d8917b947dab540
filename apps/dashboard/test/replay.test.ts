// Replay mode in chromium (issue 14, problem 3): a recorded JSONL run served by startReplayServer, as
// `deltaflow dashboard --replay` serves it. The page says "replay", plays the run back with play/pause, step,
// speed and a scrub bar, and the gradient charts show every (thinned) point; the file is read as a stream and
// checked strictly (line numbers), a BOM and a cut last line are tolerated with a warning, two runs refused.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDataset } from '@deltaflow/data';
import { mlp } from '@deltaflow/network';
import { train } from '@deltaflow/trainer';
import { recordJsonl } from '@deltaflow/trainer/node';
import { lastValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReplayServer } from '../src/server/index.js';
import type { DashboardServer } from '../src/server/index.js';
import { epochOf, launchBrowser, openPage, screenshot, waitForState } from './helpers/browser.js';
import type { Browser } from './helpers/browser.js';
import type { Page } from 'playwright-core';

let browser: Browser;
let dir: string;
/** A spiral run of 3000 epochs with a checkpoint every 100, recorded once for the file. */
let recording: string;
const EPOCHS = 3000;

beforeAll(async () => {
  browser = await launchBrowser();
  dir = await mkdtemp(join(tmpdir(), 'deltaflow-replay-'));
  recording = join(dir, 'spiral.jsonl');
  const data = createDataset('spiral', { points: 200, noise: 0.05, seed: 2 });
  const model = mlp({
    inputs: 2,
    layers: [{ units: 8, activation: 'tanh' }, { units: 8, activation: 'tanh' }, { units: 1 }],
    seed: 2,
  });
  await lastValueFrom(
    train(model, data, {
      epochs: EPOCHS,
      lr: 0.03,
      batchSize: 20,
      optimizer: 'adam',
      validationSplit: 0.25,
      checkpointEvery: 100,
    }).pipe(recordJsonl(recording)),
  );
});

afterAll(async () => {
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Runs `body` with a replay server of `file`, closed afterwards. */
async function withReplay(
  file: string,
  body: (server: DashboardServer) => Promise<void>,
  options: { epochDelayMs?: number; onWarning?: (note: string) => void } = {},
): Promise<void> {
  const server = await startReplayServer({ file, ...options });
  try {
    await body(server);
  } finally {
    await server.close();
  }
}

const points = async (page: Page, chart: string): Promise<number> =>
  Number(await page.getAttribute(chart, 'data-points'));

/** Drags the scrub bar to `epoch`, as a user's drag ends there (an input event, then change). */
async function scrubTo(page: Page, epoch: number): Promise<void> {
  await page.$eval(
    '#replay-scrub',
    (input, value) => {
      (input as HTMLInputElement).value = String(value);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      input.dispatchEvent(new Event('change', { bubbles: true }));
    },
    epoch,
  );
}

describe('replay in the browser', () => {
  it('the gradient charts show every (thinned) point of the run, not a single one', async () => {
    await withReplay(recording, async (server) => {
      const { page, errors } = await openPage(browser.context, server.url);
      // At the page's own pace (3000 epochs in about three seconds).
      await waitForState(page, 'ended');
      expect(await epochOf(page)).toBe(EPOCHS);
      await page.waitForFunction(() =>
        ['delta-chart', 'norm-chart'].every((id) => document.getElementById(id)?.dataset.points),
      );
      await page.waitForTimeout(500);
      // Every backward event of the run reached the charts (the page's series keep up to 1000 of them).
      expect(await points(page, '#delta-chart')).toBeGreaterThan(500);
      expect(await points(page, '#norm-chart')).toBeGreaterThan(500);
      expect(await points(page, '#loss-chart')).toBeGreaterThan(500);
      expect(await page.getAttribute('#delta-chart', 'data-first-epoch')).toBe('1');
      expect(errors).toEqual([]);
    });
  });

  it('says "replay" and plays the run back: play, pause, step, speed and a scrub bar', async () => {
    await withReplay(
      recording,
      async (server) => {
        const { page, errors } = await openPage(browser.context, server.url);
        await waitForState(page, 'running');
        expect(await page.textContent('#mode')).toBe('replay: spiral.jsonl');
        expect(await page.textContent('#notice')).toBe('replay of spiral.jsonl: 3,000 epochs recorded');
        expect(await page.textContent('header')).not.toContain('attached');
        expect(await page.isVisible('#play')).toBe(true);
        expect(await page.isVisible('#replay-scrub')).toBe(true);
        // Playing at 20 epochs a second (epochDelayMs 50): the counter moves, not to the end at once.
        await page.waitForFunction(() => Number(document.getElementById('epoch')?.textContent) >= 5);
        expect(await epochOf(page)).toBeLessThan(EPOCHS);

        await page.click('#pause');
        await waitForState(page, 'paused');
        const held = await epochOf(page);
        await page.waitForTimeout(300);
        expect(await epochOf(page)).toBe(held);
        await page.click('#step');
        // One recorded epoch on (the server keeps at most 2000 epoch events: here every other one after 2000).
        await page.waitForFunction((e) => Number(document.getElementById('epoch')?.textContent) > e, held);
        expect(await epochOf(page)).toBeLessThanOrEqual(held + 2);
        expect(await page.textContent('#state')).toBe('paused');

        // Scrub to epoch 2000: the counter (the last recorded epoch up to there), the curves and the scrub bar's
        // text follow at once, still paused.
        await scrubTo(page, 2000);
        await page.waitForFunction(
          () => Math.abs(Number(document.getElementById('epoch')?.textContent) - 2000) <= 2,
        );
        const there = await epochOf(page);
        expect(await page.textContent('#replay-position')).toBe(
          `epoch ${there.toLocaleString('en')} of 3,000`,
        );
        await page.waitForFunction(
          () => Number(document.getElementById('loss-chart')?.dataset.points) >= 500,
        );
        // And back to 100: the charts start over and hold only what was recorded up to there.
        await scrubTo(page, 100);
        await page.waitForFunction(() => Number(document.getElementById('epoch')?.textContent) <= 100);
        await page.waitForFunction(() => Number(document.getElementById('loss-chart')?.dataset.points) < 100);
        expect(Number(await page.getAttribute('#loss-chart', 'data-points'))).toBeGreaterThan(40);
        expect(await epochOf(page)).toBeGreaterThanOrEqual(98);
        expect(await page.textContent('#state')).toBe('paused');

        // Faster: as fast as possible plays to the end.
        await page.selectOption('#replay-speed', 'max');
        await page.click('#play');
        await waitForState(page, 'ended');
        expect(await epochOf(page)).toBe(EPOCHS);
        expect(await page.textContent('#summary')).toContain(`completed after ${EPOCHS} epochs`);
        await page.waitForTimeout(300);
        await screenshot(page, 'replay-playback');
        expect(errors).toEqual([]);
      },
      { epochDelayMs: 50 },
    );
  });

  it('a recording with a BOM and a cut last line replays, with a warning on the page and to the caller', async () => {
    const text = await readFile(recording, 'utf8');
    const lines = text.trimEnd().split('\n');
    // The run was cut short while writing epoch 2001's line: keep up to epoch 2000, then half a line.
    const cut = lines.findIndex((line) => line.startsWith('{"type":"forward","epoch":2001,'));
    const damaged = join(dir, 'damaged.jsonl');
    await writeFile(damaged, `\uFEFF${lines.slice(0, cut).join('\n')}\n${lines[cut]!.slice(0, 25)}`);
    const warnings: string[] = [];
    await withReplay(
      damaged,
      async (server) => {
        const { page, errors } = await openPage(browser.context, server.url);
        await page.waitForSelector('#replay-speed');
        await page.selectOption('#replay-speed', 'max');
        await waitForState(page, 'ended');
        expect(await epochOf(page)).toBe(2000);
        const notice = await page.textContent('#notice');
        expect(notice).toContain(
          'damaged.jsonl: the file begins with a byte order mark (BOM); it was skipped.',
        );
        expect(notice).toContain(`line ${cut + 1} is cut short`);
        expect(errors).toEqual([]);
      },
      { onWarning: (note) => warnings.push(note) },
    );
    expect(warnings).toHaveLength(3); // BOM, the cut line, no end event
    for (const warning of warnings) expect(warning).not.toContain('\n');
  });

  it('a malformed recording is refused before anything listens, in one sentence naming the line', async () => {
    const text = await readFile(recording, 'utf8');
    const lines = text.trimEnd().split('\n');
    const at = lines.findIndex((line) => line.startsWith('{"type":"epoch","epoch":7,'));
    lines[at] = '{"type":"epoch","epoch":7}';
    const malformed = join(dir, 'malformed.jsonl');
    await writeFile(malformed, `${lines.join('\n')}\n`);
    await expect(startReplayServer({ file: malformed })).rejects.toThrow(
      new RegExp(`malformed\\.jsonl: line ${at + 1}: the epoch event's loss must be a number, got nothing;`),
    );
    // Two runs in one file.
    const twice = join(dir, 'twice.jsonl');
    await writeFile(twice, text + text);
    await expect(startReplayServer({ file: twice })).rejects.toThrow(
      new RegExp(`twice\\.jsonl: line ${lines.length + 1} begins a second run`),
    );
  });
});
