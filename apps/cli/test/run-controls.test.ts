// The run controls the library already had, as train flags: --schedule (and its parameters), --early-stopping
// (--patience, --min-delta, --restore-best), --test-split, and built-in data that follows --seed. Each through the
// real command; the same run from flags, from --config and from the library gives the same weights.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelJSON } from '@deltaflow/network';
import { prepareRun, train } from '@deltaflow/trainer';
import type { EndEvent, RunDescription, TrainingEvent } from '@deltaflow/trainer';
import { filter, lastValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { lastLine, readJson, runCli, tempDir, writeFiles } from './helpers.js';
import type { ModelFile } from './helpers.js';

const dir = tempDir();

/** The events of a JSONL file. */
const events = (name: string): Record<string, unknown>[] =>
  readFileSync(join(dir, name), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

const epochRates = (name: string): number[] =>
  events(name)
    .filter((e) => e.type === 'epoch')
    .map((e) => e.lr as number);

/** The JSON summary line of a run. */
const summary = (stdout: string) =>
  JSON.parse(lastLine(stdout)) as {
    loss: number;
    epochs: number;
    reason: string;
    test?: { loss: number; metrics: Record<string, number>; samples: number };
  };

/** sha256 of a model file's layers. */
const weightsHash = (model: Pick<ModelJSON, 'layers'> | ModelFile): string =>
  createHash('sha256')
    .update(JSON.stringify(model.layers.map((l) => ('weights' in l ? [l.weights, l.bias] : l))))
    .digest('hex');

describe('--schedule', () => {
  it('sets the learning rate of every epoch by the named schedule and its parameters', async () => {
    const { code, stderr } = await runCli(
      [
        'train',
        '--data',
        'circle',
        '--epochs',
        '6',
        '--lr',
        '0.8',
        '--schedule',
        'step',
        '--step-size',
        '2',
      ].concat(['--gamma', '0.5', '--events', 'step.jsonl', '--quiet']),
      dir,
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(epochRates('step.jsonl')).toEqual([0.8, 0.8, 0.4, 0.4, 0.2, 0.2]);
  });

  it('works by its name alone: the defaults follow the epochs', async () => {
    const run = (name: string, file: string) =>
      runCli(
        ['train', '--data', 'circle', '--epochs', '9', '--schedule', name, '--events', file, '--quiet'],
        dir,
      );
    expect((await run('cosine', 'cosine.jsonl')).code).toBe(0);
    const cosine = epochRates('cosine.jsonl');
    // eta_t = eta_0 (1 + cos(pi t / 9)) / 2, eta_0 = sgd's 0.5
    cosine.forEach((lr, t) => expect(lr).toBeCloseTo((0.5 * (1 + Math.cos((Math.PI * t) / 9))) / 2, 12));
    expect((await run('step', 'step-default.jsonl')).code).toBe(0);
    // a third of the epochs, gamma 0.1
    epochRates('step-default.jsonl').forEach((lr, t) =>
      expect(lr).toBeCloseTo(0.5 * 0.1 ** Math.floor(t / 3), 12),
    );
    expect((await run('exponential', 'exp.jsonl')).code).toBe(0);
    epochRates('exp.jsonl').forEach((lr, t) => expect(lr).toBeCloseTo(0.5 * 0.99 ** t, 12));
    expect((await run('warmup', 'warmup.jsonl')).code).toBe(0);
    epochRates('warmup.jsonl').forEach((lr, t) =>
      expect(lr).toBeCloseTo(t < 5 ? 0.5 * (1 / 3 + ((2 / 3) * t) / 5) : 0.5, 12),
    );
  });
});

describe('--early-stopping', () => {
  it('stops once the validation loss has not improved for --patience epochs', async () => {
    const { code, stdout } = await runCli(
      ['train', '--data', 'circle', '--epochs', '500', '--lr', '5', '--validation-split', '0.3'].concat([
        '--early-stopping',
        '--patience',
        '2',
        '--min-delta',
        '0.01',
        '--events',
        'es.jsonl',
        '--json',
      ]),
      dir,
    );
    expect(code).toBe(0);
    const result = summary(stdout);
    expect(result.reason).toBe('early-stopped');
    expect(result.epochs).toBeLessThan(500);
    // the last improvement by more than min-delta was exactly `patience` epochs before the end
    const valLosses = events('es.jsonl')
      .filter((e) => e.type === 'epoch')
      .map((e) => e.valLoss as number);
    let best = Infinity;
    let bestEpoch = 0;
    valLosses.forEach((loss, i) => {
      if (loss < best - 0.01) [best, bestEpoch] = [loss, i + 1];
    });
    expect(result.epochs - bestEpoch).toBe(2);
  });

  it('ends with the best epoch weights with --restore-best', async () => {
    const args = ['train', '--data', 'circle', '--epochs', '60', '--lr', '20', '--validation-split', '0.3'];
    const stop = ['--early-stopping', '--patience', '3'];
    const kept = await runCli([...args, ...stop, '--save', 'last.json', '--quiet'], dir);
    const restored = await runCli(
      [...args, ...stop, '--restore-best', '--save', 'best.json', '--quiet'],
      dir,
    );
    expect([kept.code, restored.code]).toEqual([0, 0]);
    const last = readJson<ModelFile>(dir, 'last.json');
    const best = readJson<ModelFile>(dir, 'best.json');
    expect(last.meta?.reason).toBe('early-stopped');
    expect(best.meta?.earlyStopping).toEqual({ patience: 3, minDelta: 0, restoreBest: true });
    expect(weightsHash(best)).not.toBe(weightsHash(last));
  });
});

describe('--test-split', () => {
  it('holds rows out of training and validation and reports the final model on them', async () => {
    const { code, stdout } = await runCli(
      ['train', '--data', 'iris', '--layers', '6', '--loss', 'cross-entropy', '--normalize', '--epochs', '40']
        .concat(['--validation-split', '0.25', '--test-split', '0.2', '--events', 'test.jsonl'])
        .concat(['--save', 'iris.json', '--json']),
      dir,
    );
    expect(code).toBe(0);
    const result = summary(stdout);
    const start = events('test.jsonl').find((e) => e.type === 'start') as {
      config: { samples: number; validationSamples: number };
    };
    // 30 test rows out first, then 30 of the remaining 120 for validation: 90 train
    expect(result.test?.samples).toBe(30);
    expect(start.config).toMatchObject({ samples: 90, validationSamples: 30 });

    // the reported test loss is the saved model's loss on exactly the test rows (raw, as a CSV file)
    const raw = await prepareRun({
      data: 'iris',
      testSplit: 0.2,
      validationSplit: 0.25,
      loss: 'cross-entropy',
    });
    const test = raw.test!;
    const k = test.targets.cols;
    const header = [...test.featureNames, 'species'];
    const lines = Array.from({ length: test.inputs.rows }, (_, i) => {
      const x = Array.from(test.inputs.data.slice(i * test.inputs.cols, (i + 1) * test.inputs.cols));
      const t = Array.from(test.targets.data.slice(i * k, (i + 1) * k));
      return [...x, test.classNames![t.indexOf(1)]].join(',');
    });
    writeFiles(dir, { 'iris-test.csv': [header.join(','), ...lines].join('\n') + '\n' });
    const evaluated = await runCli(
      ['evaluate', '--model', 'iris.json', '--data', 'iris-test.csv', '--json'],
      dir,
    );
    expect(evaluated.code).toBe(0);
    const measured = JSON.parse(evaluated.stdout) as {
      loss: number;
      metrics: { accuracy: number };
      samples: number;
    };
    expect(measured.samples).toBe(30);
    expect(result.test!.loss).toBeCloseTo(measured.loss, 6);
    expect(result.test!.metrics.accuracy).toBe(measured.metrics.accuracy);
    const saved = readJson<ModelFile>(dir, 'iris.json');
    expect(saved.meta).toMatchObject({ testSplit: 0.2, testLoss: result.test!.loss });
  });

  it('prints the test rows in the run line and the test loss in the result table', async () => {
    const { code, stdout } = await runCli(
      ['train', '--data', 'circle', '--epochs', '3', '--test-split', '0.2'],
      dir,
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/circle: 400 samples \+ 100 for testing,/);
    expect(stdout).toMatch(/│ test loss +│ +\d/);
    expect(stdout).toMatch(/│ test accuracy +│ +[\d.]+% │/);
  });
});

describe('built-in data follows --seed', () => {
  it('in evaluate, and in train --init (default 42, as before)', async () => {
    expect(
      (await runCli(['train', '--data', 'circle', '--epochs', '1', '--save', 'c.json', '--quiet'], dir)).code,
    ).toBe(0);
    const evaluate = async (...seed: string[]) => {
      const r = await runCli(['evaluate', '--model', 'c.json', '--data', 'circle', '--json', ...seed], dir);
      expect(r.code).toBe(0);
      return (JSON.parse(r.stdout) as { loss: number }).loss;
    };
    const [unseeded, seed42, seed7] = [
      await evaluate(),
      await evaluate('--seed', '42'),
      await evaluate('--seed', '7'),
    ];
    expect(seed42).toBe(unseeded);
    expect(seed7).not.toBe(seed42);
    // one batch of every row, unshuffled: the first epoch's loss is the --init model's loss on the data
    const first = async (seed: string) => {
      const r = await runCli(
        ['train', '--init', 'c.json', '--data', 'circle', '--seed', seed, '--epochs', '1'].concat([
          '--batch-size',
          '500',
          '--no-shuffle',
          '--json',
        ]),
        dir,
      );
      expect(r.code).toBe(0);
      return summary(r.stdout).loss;
    };
    expect(await first('7')).toBeCloseTo(seed7, 6);
    expect(await first('42')).toBeCloseTo(seed42, 6);
  });
});

describe('flags, --config and code agree', () => {
  const description: RunDescription = {
    data: 'iris',
    layers: [6],
    activation: 'tanh',
    loss: 'cross-entropy',
    optimizer: { name: 'adam', options: { lr: 0.02 } },
    schedule: { name: 'cosine', config: { tMax: 30, etaMin: 0.001 } },
    earlyStopping: { patience: 4, minDelta: 0.001, restoreBest: true },
    validationSplit: 0.2,
    testSplit: 0.2,
    normalize: true,
    seed: 11,
    epochs: 40,
  };

  it('gives the library weights from a RunDescription --config file and from flags', async () => {
    const run = await prepareRun(description);
    const end = await lastValueFrom(
      train(run.model, run.train, run.trainOptions).pipe(
        filter((e: TrainingEvent): e is EndEvent => e.type === 'end'),
      ),
    );
    const expected = weightsHash(end.model);
    writeFiles(dir, { 'controls.json': JSON.stringify(description) });
    const fromConfig = await runCli(
      ['train', '--config', 'controls.json', '--save', 'cfg.json', '--quiet'],
      dir,
    );
    expect(fromConfig.stderr).toBe('');
    expect(fromConfig.code).toBe(0);
    expect(weightsHash(readJson<ModelFile>(dir, 'cfg.json'))).toBe(expected);
    const fromFlags = await runCli(
      [
        'train',
        '--data',
        'iris',
        '--normalize',
        '--layers',
        '6',
        '--activation',
        'tanh',
        '--loss',
        'cross-entropy',
      ]
        .concat(['--optimizer', 'adam', '--lr', '0.02', '--schedule', 'cosine', '--t-max', '30'])
        .concat(['--eta-min', '0.001', '--early-stopping', '--patience', '4', '--min-delta', '0.001'])
        .concat(['--restore-best', '--validation-split', '0.2', '--test-split', '0.2', '--seed', '11'])
        .concat(['--epochs', '40', '--save', 'flg.json', '--quiet']),
      dir,
    );
    expect(fromFlags.code).toBe(0);
    expect(weightsHash(readJson<ModelFile>(dir, 'flg.json'))).toBe(expected);
  });
});

describe('the flags are checked: one sentence, exit code 2', () => {
  const cases: [string[], string][] = [
    [
      ['--gamma', '0.5'],
      '--gamma is a parameter of a learning-rate schedule: add --schedule step or --schedule exponential.',
    ],
    [
      ['--schedule', 'cosine', '--gamma', '0.5'],
      '--gamma is a parameter of the schedule step and exponential, not of cosine; it takes --t-max and --eta-min.',
    ],
    [['--schedule', 'linear'], "--schedule must be step, exponential, cosine or warmup, got 'linear'."],
    [
      ['--schedule', 'step', '--step-size', '0'],
      '--schedule step: invalid --step-size = 0; it must be an integer >= 1.',
    ],
    [['--patience', '3'], '--patience is a setting of early stopping: add --early-stopping.'],
    [['--early-stopping', '--patience', '0'], '--patience must be a whole number of at least 1, got 0.'],
    [['--early-stopping', '--min-delta', '-1'], '--min-delta must be a number >= 0, got -1.'],
    [['--test-split', '2'], '--test-split must be a fraction between 0 and 1 such as 0.2, got 2.'],
    [
      ['--data', 'xor', '--test-split', '0.1'],
      '--test-split 0.1 holds out no rows of the 4 in xor; use a larger fraction.',
    ],
    [['--shedule', 'step'], 'Unknown argument --shedule; did you mean --schedule?'],
    [['--early-stoping'], 'Unknown argument --early-stoping; did you mean --early-stopping?'],
  ];
  it.each(cases)('train %j', async (args, message) => {
    const { code, stderr } = await runCli(['train', ...args], dir);
    expect(stderr).toBe(`deltaflow: ${message}\n`);
    expect(code).toBe(2);
  });
});
