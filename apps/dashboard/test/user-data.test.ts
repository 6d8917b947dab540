// Your own data and models on the standalone page (issue 14, item 11), in chromium: open or drop a CSV, the
// page parses it with @deltaflow/data and explains row and column errors in one sentence, the person picks the
// target and the two plotted features, training runs on it with the usual split; the trained model downloads
// as the model file the CLI reads (checked by running the built `deltaflow predict` on it); a model file opens
// to continue training with its architecture and weights.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { denseLayers, mlp, modelToJSON } from '@deltaflow/network';
import type { ModelJSON } from '@deltaflow/network';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  epochOf,
  launchBrowser,
  openPage,
  screenshot,
  waitForEpoch,
  waitForState,
} from './helpers/browser.js';
import type { Browser } from './helpers/browser.js';
import { startPlaygroundServer } from '../src/server/index.js';
import type { DashboardServer } from '../src/server/index.js';

/** The built CLI (`nx test @deltaflow/dashboard` builds it first: see the test target's dependsOn). */
const CLI = fileURLToPath(new URL('../../cli/bin/deltaflow.js', import.meta.url));

let browser: Browser;
let server: DashboardServer;
let dir: string;

beforeAll(async () => {
  if (!existsSync(fileURLToPath(new URL('../../cli/dist/main.js', import.meta.url)))) {
    throw new Error('apps/cli/dist/main.js is missing: build first (npx nx run-many -t build).');
  }
  dir = mkdtempSync(join(tmpdir(), 'deltaflow-user-data-'));
  server = await startPlaygroundServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A small seeded generator, so the CSVs are the same on every run. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return (s >>> 8) / 2 ** 24;
  };
}

/**
 * 200 rows: a distraction column first, then u and v (far from unit scale), then the class: 1 above the line
 * u/10 + v = 1 (linearly separable, so a short run learns it), and a numeric column after it.
 */
function csvText(): string {
  const r = random(7);
  const rows = ['noise,u,v,label,extra'];
  for (let i = 0; i < 200; i++) {
    const u = (r() - 0.5) * 40;
    const v = (r() - 0.5) * 4 + 1;
    rows.push(
      `${(r() * 3).toFixed(3)},${u.toFixed(3)},${v.toFixed(3)},${u / 10 + v > 1 ? 1 : 0},${(r() * 9).toFixed(2)}`,
    );
  }
  return `${rows.join('\n')}\n`;
}

const csvFile = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });

/** Opens the standalone page (a quick configuration) and waits for its first, paused run. */
async function open(
  query = 'layers=4&optimizer=adam&lr=0.05&seed=3',
): Promise<{ page: Page; errors: string[] }> {
  const watched = await openPage(browser.context, `${server.url}?${query}`);
  await waitForState(watched.page, 'paused');
  return watched;
}

/** Clicks "download model" and returns the downloaded file's path and parsed content. */
async function download(page: Page, name: string): Promise<{ path: string; json: ModelJSON }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('#download-model')]);
  const path = join(dir, name);
  await file.saveAs(path);
  return { path, json: JSON.parse(readFileSync(path, 'utf8')) as ModelJSON };
}

/** Waits until a new run (epoch 0, paused) has started after a change. */
async function waitForNewRun(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      document.getElementById('epoch')?.textContent === '0' &&
      document.getElementById('state')?.dataset.state === 'paused',
  );
}

/** Runs the built CLI and waits for it to exit. */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** One sentence: ends with a full stop, no line break, no second sentence. */
const ONE_SENTENCE = /^[^\n]+\.$/;
const SECOND_SENTENCE = /[.;:!?]\s+[A-Z][a-z]/;

describe('your own CSV', () => {
  it('opens a CSV, offers its columns, and trains on the chosen target and plotted features', async () => {
    const { page, errors } = await open();
    await page.setInputFiles('#csv-file', csvFile('line.csv', csvText()));
    await page.waitForSelector('#csv-columns:not([hidden])');
    const options = (id: string) =>
      page.$$eval(`#${id} option`, (list) => list.map((o) => (o as HTMLOptionElement).value));
    expect(await options('csv-target')).toEqual(['noise', 'u', 'v', 'label', 'extra']);
    expect(await page.inputValue('#csv-target')).toBe('extra'); // the last column, as the CLI's default
    await page.selectOption('#csv-target', 'label');
    expect(await options('csv-x')).toEqual(['noise', 'u', 'v', 'extra']);
    await page.selectOption('#csv-x', 'u');
    await page.selectOption('#csv-y', 'v');
    await page.waitForFunction(() =>
      document
        .getElementById('csv-message')
        ?.textContent?.startsWith('Training on line.csv: 200 rows, 2 inputs (u, v), target label'),
    );
    await waitForNewRun(page);

    await page.click('#play');
    await waitForEpoch(page, 30);
    await page.click('#pause');
    await waitForState(page, 'paused');
    // The heatmap shows the two plotted features.
    expect(await page.isHidden('#heatmap-note')).toBe(true);
    await screenshot(page, 'user-data-csv');
    const { json } = await download(page, 'line.json');
    expect(denseLayers(json)[0]!.inputs).toBe(2);
    expect(denseLayers(json).map((l) => l.units)).toEqual([4, 1]);
    expect(json.meta).toMatchObject({
      data: 'line.csv',
      featureNames: ['u', 'v'],
      targetColumns: ['label'],
      task: 'classification',
      validationSplit: 0.5, // the usual split: the train fraction's box
      loss: 'mse',
      optimizer: 'adam',
    });
    expect((json.meta!.epochs as number) >= 30).toBe(true);

    // Every other column trains too when asked: x and y first; the heatmap (2-D only) gives way.
    await page.check('#csv-all');
    await waitForNewRun(page);
    await page.waitForFunction(() => !(document.getElementById('heatmap-note') as HTMLElement).hidden);
    const all = await download(page, 'all.json');
    expect(denseLayers(all.json)[0]!.inputs).toBe(4);
    expect(all.json.meta!.featureNames).toEqual(['u', 'v', 'noise', 'extra']);

    // Choosing a built-in dataset leaves the CSV.
    await page.selectOption('#dataset', 'gauss');
    await page.waitForSelector('#csv-columns', { state: 'hidden' });
    await waitForNewRun(page);
    const gauss = await download(page, 'gauss.json');
    expect(gauss.json.meta).toMatchObject({ data: 'gauss', featureNames: ['x1', 'x2'] });
    expect(denseLayers(gauss.json)[0]!.inputs).toBe(2);
    expect(errors).toEqual([]);
  });

  it('trains on a CSV dropped on the Data box', async () => {
    const { page, errors } = await open();
    const text = csvText();
    const transfer = await page.evaluateHandle((content) => {
      const data = new DataTransfer();
      data.items.add(new File([content], 'dropped.csv', { type: 'text/csv' }));
      return data;
    }, text);
    await page.dispatchEvent('#data-fieldset', 'dragover', { dataTransfer: transfer });
    await page.dispatchEvent('#data-fieldset', 'drop', { dataTransfer: transfer });
    await page.waitForFunction(() =>
      document.getElementById('csv-message')?.textContent?.startsWith('Training on dropped.csv: 200 rows'),
    );
    await waitForNewRun(page);
    await page.click('#step');
    await waitForEpoch(page, 1);
    const { json } = await download(page, 'dropped.json');
    expect(json.meta).toMatchObject({
      data: 'dropped.csv',
      featureNames: ['noise', 'u'],
      targetColumns: ['extra'],
    });
    expect(json.meta!.task).toBe('regression');
    expect(errors).toEqual([]);
  });

  it('explains row and column errors next to the box in one sentence, and keeps training the old data', async () => {
    const { page, errors } = await open();
    const message = () => page.textContent('#csv-message');
    const cases: [string, string, RegExp][] = [
      [
        'cell.csv',
        'u,v,label\n1,2,0\n3,4,1\n5,abc,0\n',
        /^cell\.csv, line 4, column 'v': the cell 'abc' is not a number/,
      ],
      [
        'ragged.csv',
        'u,v,label\n1,2,0\n3,4\n',
        /^ragged\.csv, line 3: the row has 2 cells but the header has 3 columns/,
      ],
      [
        'twice.csv',
        'u,u,label\n1,2,0\n',
        /^twice\.csv, line 1 \(the header\): the column name 'u' appears twice/,
      ],
      ['empty.csv', '\n\n', /^empty\.csv is empty/],
    ];
    for (const [name, text, expected] of cases) {
      await page.setInputFiles('#csv-file', csvFile(name, text));
      await page.waitForFunction(
        (n) => document.getElementById('csv-message')?.textContent?.startsWith(n),
        name,
      );
      const shown = (await message())!;
      expect(shown).toMatch(expected);
      expect(shown).toMatch(ONE_SENTENCE);
      expect(shown).not.toMatch(SECOND_SENTENCE);
      expect(await page.getAttribute('#csv-message', 'class')).toContain('error');
    }
    // None of them replaced the run's data: it is still the built-in circle.
    await page.click('#step');
    await waitForEpoch(page, 1);
    const before = await download(page, 'still-circle.json');
    expect(before.json.meta).toMatchObject({ data: 'circle', featureNames: ['x1', 'x2'] });

    // Columns chosen later are checked too: with u as the target, the text labels become a feature, and the
    // run keeps the columns that parsed.
    const late = 'u,v,label\n1,2,cat\n3,4,dog\n5,6,cat\n7,8,dog\n';
    await page.setInputFiles('#csv-file', csvFile('late.csv', late));
    await page.waitForFunction(() =>
      document.getElementById('csv-message')?.textContent?.startsWith('Training on late.csv'),
    );
    await page.selectOption('#csv-target', 'u');
    await page.waitForFunction(() =>
      document.getElementById('csv-message')?.textContent?.startsWith('late.csv'),
    );
    const shown = (await message())!;
    expect(shown).toMatch(/^late\.csv, line 2, column 'label': the cell 'cat' is not a number;/);
    expect(shown).toMatch(ONE_SENTENCE);
    const after = await download(page, 'still-late.json');
    expect(after.json.meta).toMatchObject({
      data: 'late.csv',
      featureNames: ['u', 'v'],
      targetColumns: ['label'],
    });
    expect(errors).toEqual([]);
  });
});

describe('model files', () => {
  it('downloads the trained model as the file `deltaflow predict --model` reads', async () => {
    const { page, errors } = await open();
    const csvPath = join(dir, 'line.csv');
    writeFileSync(csvPath, csvText());
    await page.setInputFiles('#csv-file', csvPath);
    await page.waitForSelector('#csv-columns:not([hidden])');
    await page.selectOption('#csv-target', 'label');
    await page.selectOption('#csv-x', 'u');
    await page.selectOption('#csv-y', 'v');
    await page.waitForFunction(() =>
      document.getElementById('csv-message')?.textContent?.includes('2 inputs (u, v)'),
    );
    await waitForNewRun(page);
    await page.click('#play');
    await waitForEpoch(page, 150);
    await page.click('#pause');
    await waitForState(page, 'paused');
    const { path, json } = await download(page, 'trained.json');
    expect(json.format).toBe('deltaflow-model');
    expect(json.meta!.scaler).toBeDefined(); // u spans 40, so the page standardises the inputs

    // The CLI reads it as one of its own: the features by name from the CSV, the scaler applied.
    const predicted = await cli([
      'predict',
      '--model',
      path,
      '--data',
      csvPath,
      '--target',
      'label',
      '--json',
    ]);
    expect(predicted.stderr).toBe('');
    expect(predicted.code).toBe(0);
    const { predictions } = JSON.parse(predicted.stdout) as {
      predictions: { input: number[]; output: number[]; label: string }[];
    };
    expect(predictions).toHaveLength(200);
    const truth = csvText()
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',')[3]);
    const right = predictions.filter((p, i) => p.label === truth[i]).length;
    expect(right / 200).toBeGreaterThan(0.9);
    const one = await cli(['predict', '--model', path, '--input', '0,1.5']);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/ -> .*class [01]\n$/);
    const evaluated = await cli([
      'evaluate',
      '--model',
      path,
      '--data',
      csvPath,
      '--target',
      'label',
      '--json',
    ]);
    expect(evaluated.code).toBe(0);
    const report = JSON.parse(evaluated.stdout) as { samples: number; metrics: { accuracy: number } };
    expect(report.samples).toBe(200);
    expect(report.metrics.accuracy).toBeGreaterThan(0.9);
    console.log(
      `downloaded after ${String(json.meta!.epochs)} epochs; CLI predict: ${right}/200 right; CLI evaluate accuracy ${report.metrics.accuracy}`,
    );
    // `deltaflow train --init` continues from it too.
    const again = join(dir, 'again.json');
    const continued = await cli([
      'train',
      '--init',
      path,
      '--data',
      csvPath,
      '--target',
      'label',
      '--epochs',
      '3',
      '--save',
      again,
      '--quiet',
    ]);
    expect(continued.code, continued.stderr).toBe(0);
    expect((JSON.parse(readFileSync(again, 'utf8')) as ModelJSON).meta!.scaler).toEqual(json.meta!.scaler);

    // And the page opens it again (here on the same CSV): its weights and its scaler are kept.
    await page.setInputFiles('#model-open', path);
    await page.waitForFunction(() =>
      document.getElementById('model-message')?.textContent?.startsWith('Continuing from trained.json'),
    );
    const reopened = await download(page, 'reopened.json');
    expect(reopened.json.layers).toEqual(json.layers);
    expect(reopened.json.meta!.scaler).toEqual(json.meta!.scaler);
    expect(reopened.json.meta!.featureNames).toEqual(['u', 'v']);
    expect(errors).toEqual([]);
  });

  it('opens a model file to continue training: its architecture shown, its weights kept', async () => {
    const { page, errors } = await open('dataset=circle&layers=4,2&activation=tanh&seed=3');
    const model = mlp({
      inputs: 2,
      layers: [
        { units: 3, activation: 'relu' },
        { units: 5, activation: 'relu' },
        { units: 1, activation: 'sigmoid' },
      ],
      seed: 11,
    });
    const file = modelToJSON(model, { loss: 'binary-cross-entropy', task: 'classification' });
    const path = join(dir, 'mine.json');
    writeFileSync(path, JSON.stringify(file));
    await page.setInputFiles('#model-open', path);
    await page.waitForFunction(() =>
      document.getElementById('model-message')?.textContent?.startsWith('Continuing from mine.json'),
    );
    expect(await page.inputValue('#layers')).toBe('3,5');
    expect(await page.inputValue('#activation')).toBe('relu');
    expect(await page.inputValue('#loss')).toBe('binary-cross-entropy');
    expect(new URL(page.url()).searchParams.get('layers')).toBe('3,5');
    await waitForNewRun(page);

    // Before any epoch, the run's model is the file's, weight for weight.
    const kept = await download(page, 'kept.json');
    expect(kept.json.layers).toEqual(file.layers);
    // Training continues from those weights: same architecture, moved weights.
    await page.click('#step');
    await waitForEpoch(page, 1);
    await page.click('#step');
    await waitForEpoch(page, 2);
    const moved = await download(page, 'moved.json');
    expect(denseLayers(moved.json).map((l) => [l.inputs, l.units, l.activation])).toEqual(
      denseLayers(file).map((l) => [l.inputs, l.units, l.activation]),
    );
    expect(moved.json.layers).not.toEqual(file.layers);
    expect(moved.json.meta).toMatchObject({ init: 'mine.json', loss: 'binary-cross-entropy', epochs: 2 });
    // Reset starts again from the file's weights.
    await page.click('#reset');
    await waitForNewRun(page);
    expect((await download(page, 'reset.json')).json.layers).toEqual(file.layers);

    // A new architecture means new weights.
    await page.fill('#layers', '6');
    await page.press('#layers', 'Enter');
    await page.waitForFunction(() => document.getElementById('model-message')?.textContent === '');
    await waitForNewRun(page);
    const fresh = await download(page, 'fresh.json');
    expect(denseLayers(fresh.json).map((l) => l.units)).toEqual([6, 1]);
    expect(fresh.json.meta!.init).toBeUndefined();
    expect(await epochOf(page)).toBe(0);

    // A model file dropped anywhere on the page opens too.
    const transfer = await page.evaluateHandle((content) => {
      const data = new DataTransfer();
      data.items.add(new File([content], 'dropped-model.json', { type: 'application/json' }));
      return data;
    }, JSON.stringify(file));
    await page.dispatchEvent('#charts', 'drop', { dataTransfer: transfer });
    await page.waitForFunction(() =>
      document.getElementById('model-message')?.textContent?.startsWith('Continuing from dropped-model.json'),
    );
    expect(await page.inputValue('#layers')).toBe('3,5');
    expect((await download(page, 'dropped.json')).json.layers).toEqual(file.layers);
    expect(errors).toEqual([]);
  });

  it('refuses a file that is not a model with one sentence, and keeps the run', async () => {
    const { page, errors } = await open();
    await page.setInputFiles('#model-open', {
      name: 'notes.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"hello": 1}'),
    });
    await page.waitForFunction(() =>
      document.getElementById('model-message')?.textContent?.startsWith('notes.json'),
    );
    const shown = (await page.textContent('#model-message'))!;
    expect(shown).toMatch(/^notes\.json is not a deltaflow model file/);
    expect(shown).toMatch(ONE_SENTENCE);
    expect(await page.inputValue('#layers')).toBe('4');
    expect(errors).toEqual([]);
  });
});
