// Dropout, Playground-style regularization and the confusion matrix on the standalone page (issue 15), in
// chromium: the controls reach the worker's run (the forward events' penalty, the dropout layers of the model
// file it downloads), and the confusion panel shows, as a labelled table, the counts of the newest epoch event,
// the very counts the library computes in Node for the same run description.
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelJSON } from '@deltaflow/network';
import { prepareRun, train } from '@deltaflow/trainer';
import type { EpochEvent, TrainingEvent } from '@deltaflow/trainer';
import type { Page } from 'playwright-core';
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import { recordJsonl } from '@deltaflow/trainer/node';
import { startReplayServer } from '../src/server/index.js';
import { configFromQuery } from '../src/app/url-state.js';
import { describePlaygroundRun } from '../src/shared/playground-config.js';
import { epochOf, openPage, screenshot, waitForEpoch, waitForState } from './helpers/browser.js';
import { usePlayground } from './helpers/playground.js';

const playground = usePlayground();
const dir = mkdtempSync(join(tmpdir(), 'deltaflow-regularization-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The Run panel's value for the row labelled `label`. */
async function runRow(page: Page, label: string): Promise<string> {
  return page.evaluate((name) => {
    const term = [...document.querySelectorAll('#summary dt')].find((dt) => dt.textContent === name);
    return term?.nextElementSibling?.textContent ?? '';
  }, label);
}

/** Waits until a new run (epoch 0, paused) has started after a change. */
async function waitForNewRun(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      document.getElementById('epoch')?.textContent === '0' &&
      document.getElementById('state')?.dataset.state === 'paused',
  );
}

/** What a confusion table shows: its caption, the class names on both axes, and the counts. */
interface Shown {
  caption: string;
  columns: string[];
  rows: string[];
  counts: number[][];
}

async function tables(page: Page): Promise<Record<string, Shown>> {
  return page.evaluate(() => {
    const out: Record<string, Shown> = {};
    for (const table of document.querySelectorAll<HTMLTableElement>('#confusion table')) {
      if (table.hidden) continue;
      out[table.dataset.part!] = {
        caption: table.caption!.textContent!,
        columns: [...table.tHead!.rows[0]!.cells].slice(1).map((c) => c.textContent!),
        rows: [...table.tBodies[0]!.rows].map((r) => r.cells[0]!.textContent!),
        counts: [...table.tBodies[0]!.rows].map((r) =>
          [...r.cells].slice(1).map((c) => Number(c.textContent)),
        ),
      };
    }
    return out;
  });
}

describe('regularization controls', () => {
  it('L2 at rate 0.03 and dropout 0.2 chosen in the form make the worker run with them', async () => {
    const { page, errors } = await openPage(
      playground.browser.context,
      `${playground.server.url}?layers=6,4&optimizer=adam&lr=0.01&seed=5&speed=max`,
    );
    await waitForState(page, 'paused');
    // the choices are Playground's
    expect(await page.$$eval('#reg option', (o) => o.map((x) => x.textContent))).toEqual([
      'None',
      'L1',
      'L2',
    ]);
    expect(await page.$$eval('#regrate option', (o) => o.map((x) => x.textContent))).toEqual([
      '0',
      '0.001',
      '0.003',
      '0.01',
      '0.03',
      '0.1',
      '0.3',
      '1',
      '3',
      '10',
    ]);
    // without a penalty, the Run panel has no loss parts
    expect(await page.isHidden('#loss-parts')).toBe(true);
    await page.selectOption('#reg', 'l2');
    await page.selectOption('#regrate', '0.03');
    await page.fill('#dropout', '0.2');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('dropout') === '0.2');
    const url = new URL(page.url());
    expect([url.searchParams.get('reg'), url.searchParams.get('regrate')]).toEqual(['l2', '0.03']);
    await waitForNewRun(page);
    await page.waitForFunction(() =>
      document.getElementById('summary')!.textContent!.includes('dropout 0.2'),
    );
    expect(await runRow(page, 'model')).toBe(
      '2 → 6 tanh (dropout 0.2) → 4 tanh (dropout 0.2) → 1 sigmoid (51 parameters)',
    );
    expect(await runRow(page, 'training')).toContain('; L2 penalty 0.03;');
    await page.click('#play');
    await waitForEpoch(page, 20);
    await page.click('#pause');
    await waitForState(page, 'paused');
    // the forward events carry E's parts: a positive penalty
    await page.waitForSelector('#loss-parts:not([hidden])');
    const parts = await page.$eval('#loss-parts', (el) => ({
      dataLoss: Number(el.dataset.dataLoss),
      penalty: Number(el.dataset.penalty),
      epoch: Number(el.dataset.epoch),
      text: el.textContent,
      loss: Number(document.getElementById('loss-value')!.dataset.value),
      shown: Number(document.getElementById('epoch')!.textContent),
    }));
    expect(parts.penalty).toBeGreaterThan(0);
    expect(parts.dataLoss).toBeGreaterThan(0);
    // the newest epoch's parts: E = data loss + penalty
    expect(parts.epoch).toBe(parts.shown);
    expect(parts.dataLoss + parts.penalty).toBeCloseTo(parts.loss, 12);
    expect(parts.text).toMatch(/^data \S+ \+ penalty \S+$/);
    // the model file the page downloads has the dropout layers and the penalty
    const [file] = await Promise.all([page.waitForEvent('download'), page.click('#download-model')]);
    const path = join(dir, 'regularized.json');
    await file.saveAs(path);
    const json = JSON.parse(readFileSync(path, 'utf8')) as ModelJSON;
    expect(json.layers.map((l) => l.type)).toEqual(['dense', 'dropout', 'dense', 'dropout', 'dense']);
    expect(json.layers.filter((l) => l.type === 'dropout').map((l) => (l as { rate: number }).rate)).toEqual([
      0.2, 0.2,
    ]);
    expect(json.meta).toMatchObject({ penalty: { l2: 0.03 } });
    await screenshot(page, 'regularization-l2-dropout');
    expect(errors).toEqual([]);
  });

  it('explains a dropout rate it cannot take, and holds the run until it is fixed', async () => {
    const { page, errors } = await openPage(playground.browser.context, `${playground.server.url}?layers=4`);
    await waitForState(page, 'paused');
    await page.fill('#dropout', '1');
    await page.waitForSelector('#dropout-note:not([hidden])');
    expect(await page.textContent('#dropout-note')).toBe(
      'Dropout must be a number from 0 up to, not including, 1; the run holds until it is.',
    );
    await page.fill('#dropout', '0.1');
    await page.waitForSelector('#dropout-note', { state: 'hidden' });
    await page.fill('#layers', '');
    await page.waitForSelector('#dropout-note:not([hidden])');
    expect(await page.textContent('#dropout-note')).toBe(
      'Dropout applies to hidden layers: add hidden layers, or set dropout to 0; the run holds until then.',
    );
    expect(errors).toEqual([]);
  });
});

describe('the confusion-matrix panel', () => {
  it("shows the newest epoch's counts, as the library computes them, labelled with the class names", async () => {
    const query = 'dataset=iris&layers=5&loss=cross-entropy&optimizer=adam&lr=0.02&batch=8&seed=4';
    const { page, errors } = await openPage(playground.browser.context, `${playground.server.url}?${query}`);
    await waitForState(page, 'paused');
    expect(await page.textContent('#confusion-note')).toBe(
      'The confusion matrix shows after the first epoch.',
    );
    for (let i = 0; i < 3; i++) await page.click('#step');
    await waitForEpoch(page, 3);
    await waitForState(page, 'paused');
    await page.waitForFunction(() =>
      /epoch 3:/.test(document.querySelector('#confusion caption')?.textContent ?? ''),
    );
    const shown = await tables(page);
    // the same run in Node: the epoch events of the same description
    const description = { ...describePlaygroundRun(configFromQuery(`?${query}`)), epochs: 3 };
    const run = await prepareRun(description);
    const events = await lastValueFrom(train(run.model, run.train, run.trainOptions).pipe(toArray()));
    const last = events.filter((e: TrainingEvent): e is EpochEvent => e.type === 'epoch').at(-1)!;
    const names = ['setosa', 'versicolor', 'virginica'];
    expect(shown.train).toEqual({
      caption: `Training, epoch 3: ${run.train.inputs.rows} samples; rows are the true classes, columns the predicted ones`,
      columns: names,
      rows: names,
      counts: last.confusion,
    });
    expect(shown.test!.counts).toEqual(last.valConfusion);
    const sum = (m: number[][]) => m.flat().reduce((a, b) => a + b, 0);
    expect(sum(shown.train!.counts)).toBe(run.train.inputs.rows);
    expect(sum(shown.test!.counts)).toBe(run.validation!.inputs.rows);
    expect(sum(shown.train!.counts) + sum(shown.test!.counts)).toBe(150);
    // each cell is coloured by its share of the true class, with a readable title
    const cell = await page.$eval('#confusion table[data-part="train"] tbody tr td', (td) => ({
      title: (td as HTMLTableCellElement).title,
      background: (td as HTMLTableCellElement).style.background,
    }));
    expect(cell.title).toMatch(/^\d+ of \d+ setosa predicted as setosa/);
    expect(cell.background).toMatch(/^rgb\(/);
    await screenshot(page, 'confusion-iris');
    expect(errors).toEqual([]);
  });

  it('says a regression has no confusion matrix', async () => {
    const { page, errors } = await openPage(
      playground.browser.context,
      `${playground.server.url}?dataset=plane&layers=3`,
    );
    await waitForState(page, 'paused');
    await page.click('#step');
    await waitForEpoch(page, 1);
    await page.waitForFunction(
      () => document.getElementById('confusion-note')?.textContent === 'Regression: no confusion matrix.',
    );
    expect(await page.isHidden('#confusion')).toBe(true);
    expect(errors).toEqual([]);
  });

  it("replays a recording's confusion matrices, and says when a recording has none", async () => {
    const run = await prepareRun({
      data: 'iris',
      layers: [5],
      loss: 'cross-entropy',
      normalize: true,
      validationSplit: 0.2,
      epochs: 40,
      optimizer: { name: 'adam', options: { lr: 0.02 } },
      metrics: ['confusion'],
    });
    const file = join(dir, 'iris.jsonl');
    const events = await lastValueFrom(
      train(run.model, run.train, run.trainOptions).pipe(recordJsonl(file), toArray()),
    );
    const last = events.filter((e: TrainingEvent): e is EpochEvent => e.type === 'epoch').at(-1)!;
    const server = await startReplayServer({ file, epochDelayMs: 5 });
    try {
      const { page, errors } = await openPage(playground.browser.context, server.url);
      await waitForState(page, 'ended');
      expect(await epochOf(page)).toBe(40);
      await page.waitForFunction(() =>
        /epoch 40:/.test(document.querySelector('#confusion caption')?.textContent ?? ''),
      );
      const shown = await tables(page);
      expect(shown.train!.counts).toEqual(last.confusion);
      expect(shown.test!.counts).toEqual(last.valConfusion);
      expect(shown.train!.rows).toEqual(['setosa', 'versicolor', 'virginica']);
      expect(errors).toEqual([]);
    } finally {
      await server.close();
    }
    // the same run recorded without the metric
    const plain = join(dir, 'plain.jsonl');
    const again = await prepareRun({ data: 'iris', layers: [5], loss: 'cross-entropy', epochs: 3 });
    await lastValueFrom(train(again.model, again.train, again.trainOptions).pipe(recordJsonl(plain)));
    const bare = await startReplayServer({ file: plain, epochDelayMs: 5 });
    try {
      const { page, errors } = await openPage(playground.browser.context, bare.url);
      await waitForState(page, 'ended');
      await page.waitForFunction(() =>
        /carry no confusion matrix/.test(document.getElementById('confusion-note')?.textContent ?? ''),
      );
      expect(await page.isHidden('#confusion')).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await bare.close();
    }
  });
});
