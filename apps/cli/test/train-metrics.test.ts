// `deltaflow train --metrics LIST` (issue 15): the classification metrics of METRIC_NAMES in every epoch event of
// `--events` and in `--json` (f1 and friends in `metrics`, the confusion matrices beside them), checked against
// the library's own computation of the same run; unknown names refused with the closest one, and what the
// library refuses (metrics of a regression, auc of three classes) refused in flags.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { prepareRun, train } from '@deltaflow/trainer';
import type { EpochEvent, TrainingEvent } from '@deltaflow/trainer';
import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { lastLine, runCli, tempDir, writeFiles } from './helpers.js';

const dir = tempDir();

const iris = ['--data', 'iris', '--layers', '6', '--loss', 'cross-entropy', '--normalize'].concat([
  '--validation-split',
  '0.2',
  '--optimizer',
  'adam',
  '--lr',
  '0.02',
  '--seed',
  '5',
]);

const sum = (m: number[][]): number => m.flat().reduce((a, b) => a + b, 0);

describe('train --metrics', () => {
  it('puts the asked metrics in every epoch event of --events and in --json, as the library computes them', async () => {
    const result = await runCli(
      [
        'train',
        ...iris,
        '--epochs',
        '12',
        '--metrics',
        'f1, precision,confusion',
        '--events',
        'iris.jsonl',
        '--json',
      ],
      dir,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const events = readFileSync(join(dir, 'iris.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as TrainingEvent);
    const epochs = events.filter((e): e is EpochEvent => e.type === 'epoch');
    expect(epochs).toHaveLength(12);
    for (const e of epochs) {
      expect(Object.keys(e.metrics).sort()).toEqual(
        ['accuracy', 'f1', 'precision', 'valAccuracy', 'valF1', 'valPrecision'].sort(),
      );
      expect(sum(e.confusion!)).toBe(120);
      expect(sum(e.valConfusion!)).toBe(30);
    }
    // the same run through the library, with the same metrics
    const run = await prepareRun({
      data: 'iris',
      layers: [6],
      loss: 'cross-entropy',
      normalize: true,
      epochs: 12,
      validationSplit: 0.2,
      optimizer: { name: 'adam', options: { lr: 0.02 } },
      seed: 5,
      metrics: ['f1', 'precision', 'confusion'],
    });
    const library = (
      await lastValueFrom(train(run.model, run.train, run.trainOptions).pipe(toArray()))
    ).filter((e): e is EpochEvent => e.type === 'epoch');
    expect(epochs.map((e) => [e.metrics, e.confusion, e.valConfusion])).toEqual(
      library.map((e) => [e.metrics, e.confusion, e.valConfusion]),
    );
    const summary = JSON.parse(lastLine(result.stdout)) as {
      metrics: Record<string, number>;
      confusion: number[][];
      valConfusion: number[][];
    };
    const last = epochs.at(-1)!;
    expect(summary.metrics).toEqual(last.metrics);
    expect(summary.metrics.f1).toBeGreaterThan(0);
    expect(summary.confusion).toEqual(last.confusion);
    expect(summary.valConfusion).toEqual(last.valConfusion);
  });

  it('adds nothing without --metrics', async () => {
    const result = await runCli(
      ['train', ...iris, '--epochs', '2', '--events', 'plain.jsonl', '--json'],
      dir,
    );
    expect(result.code).toBe(0);
    const summary = JSON.parse(lastLine(result.stdout)) as Record<string, unknown>;
    expect(summary.metrics).toEqual({ accuracy: expect.any(Number), valAccuracy: expect.any(Number) });
    expect(summary).not.toHaveProperty('confusion');
    expect(readFileSync(join(dir, 'plain.jsonl'), 'utf8')).not.toContain('confusion');
  });

  it('takes auc for a binary task, also from --config', async () => {
    writeFiles(dir, { 'auc.json': JSON.stringify({ data: 'circle', epochs: 3, metrics: ['auc'] }) });
    const result = await runCli(
      ['train', '--config', 'auc.json', '--validation-split', '0.25', '--json'],
      dir,
    );
    expect(result.code).toBe(0);
    const { metrics } = JSON.parse(lastLine(result.stdout)) as { metrics: Record<string, number> };
    expect(metrics.auc).toBeGreaterThanOrEqual(0);
    expect(metrics.auc).toBeLessThanOrEqual(1);
    expect(metrics.valAuc).toBeGreaterThanOrEqual(0);
  });

  it.each([
    [
      ['--metrics', 'fl'],
      "--metrics: unknown metric 'fl' (did you mean f1?); use precision, recall, f1, auc or confusion, separated by commas.",
    ],
    [
      ['--metrics', 'f1,kappa'],
      "--metrics: unknown metric 'kappa'; use precision, recall, f1, auc or confusion, separated by commas.",
    ],
    [['--metrics', ''], "--metrics takes metric names separated by commas, such as f1,confusion; got ''."],
    [
      ['--data', 'plane', '--metrics', 'f1'],
      '--metrics (precision, recall, f1, auc, confusion) are for classification; regression reports mse, mae and r2.',
    ],
    [
      ['--data', 'iris', '--metrics', 'auc'],
      '--metrics: auc is for binary tasks (1 or 2 outputs) but the model has 3 outputs; ask for f1 or confusion.',
    ],
  ])('refuses %j in one sentence', async (args, message) => {
    const result = await runCli(['train', '--epochs', '1', ...args], dir);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(`deltaflow: ${message}`);
  });
});
