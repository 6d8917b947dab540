// Items 12-16 of issue 13 ("Real data"): what the CLI does with data shaped like scikit-learn's wine, digits,
// diabetes and breast cancer sets. The fixtures are small look-alikes, generated here from a seed.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lastLine, readJson, runCli, tempDir, writeFiles } from './helpers.js';
import type { ModelFile } from './helpers.js';

/** mulberry32: a tiny seeded generator, so the fixtures are the same every run. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = generator(13);
const gauss = (mean: number, sd: number): number =>
  mean + sd * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
const csv = (header: string[], rows: (string | number)[][]): string =>
  `${header.join(',')}\n${rows.map((row) => row.join(',')).join('\n')}\n`;

/** wine-like: 4 features around the class, integer labels 0/1/2. */
const wine = csv(
  ['alcohol', 'malic', 'ash', 'hue', 'label'],
  Array.from({ length: 90 }, (_, i) => [
    ...Array.from({ length: 4 }, () => gauss(i % 3, 0.4).toFixed(3)),
    i % 3,
  ]),
);
/** diabetes-like: 2 features, integer targets between 25 and 346. */
const diabetes = csv(
  ['bmi', 'bp', 'progression'],
  Array.from({ length: 120 }, () => {
    const [x1, x2] = [random() * 2 - 1, random() * 2 - 1];
    const y = Math.min(346, Math.max(25, Math.round(185 + 120 * x1 + 40 * x2 + gauss(0, 10))));
    return [x1.toFixed(4), x2.toFixed(4), y];
  }),
);
/** breast-cancer-like: unscaled features (an area in the hundreds), 0/1 labels. */
const cancer = csv(
  ['area', 'radius', 'malignant'],
  Array.from({ length: 120 }, (_, i) => [
    gauss(500 + 400 * (i % 2), 150).toFixed(1),
    gauss(12 + 4 * (i % 2), 2).toFixed(2),
    i % 2,
  ]),
);

const dir = tempDir('deltaflow-real-data-');
beforeAll(() => writeFiles(dir, { 'wine.csv': wine, 'diabetes.csv': diabetes, 'cancer.csv': cancer }));

const json = <T>(stdout: string): T => JSON.parse(lastLine(stdout)) as T;

describe('12: integer class labels', () => {
  it('a column of integer labels is read as one-hot classes, with a one-line note saying how to opt out', async () => {
    const { code, stdout, stderr } = await runCli(
      ['train', '--data', 'wine.csv', '--epochs', '30', '--save', 'wine.json', '--json'],
      dir,
    );
    expect(code).toBe(0);
    expect(stderr).toBe(
      'deltaflow: note: The target column label holds 3 integer labels (0/1/2), so it is read as 3 classes (one-hot); to predict it as a number, use --target-type value.\n',
    );
    expect(json<{ metrics: Record<string, number> }>(stdout).metrics).toHaveProperty('accuracy');
    const model = readJson<ModelFile>(dir, 'wine.json');
    expect(model.layers.at(-1)).toMatchObject({ units: 3, activation: 'sigmoid' });
    expect(model.meta).toMatchObject({ task: 'classification', classNames: ['0', '1', '2'] });
  });

  it('--loss cross-entropy works on the integer column (softmax over the 3 classes)', async () => {
    const { code, stdout } = await runCli(
      [
        'train',
        '--data',
        'wine.csv',
        '--loss',
        'cross-entropy',
        '--optimizer',
        'adam',
        '--lr',
        '0.05',
        '--epochs',
        '40',
        '--save',
        'wine-ce.json',
        '--json',
      ],
      dir,
    );
    expect(code).toBe(0);
    expect(json<{ metrics: { accuracy: number } }>(stdout).metrics.accuracy).toBeGreaterThan(0.9);
    expect(readJson<ModelFile>(dir, 'wine-ce.json').layers.at(-1)).toMatchObject({
      units: 3,
      activation: 'softmax',
    });
  });

  it('--target-type value keeps a number to regress; --target-type class makes 0/1 two classes', async () => {
    const value = await runCli(
      ['train', '--data', 'wine.csv', '--epochs', '2', '--target-type', 'value', '--json'],
      dir,
    );
    expect(value.code).toBe(0);
    expect(value.stderr).toBe('');
    expect(Object.keys(json<{ metrics: object }>(value.stdout).metrics)).toEqual(['mse', 'mae', 'r2']);
    const binary = await runCli(
      [
        'train',
        '--data',
        'cancer.csv',
        '--normalize',
        '--loss',
        'cross-entropy',
        '--target-type',
        'class',
        '--epochs',
        '2',
        '--save',
        'two.json',
        '--json',
      ],
      dir,
    );
    expect(binary.code).toBe(0);
    expect(readJson<ModelFile>(dir, 'two.json').layers.at(-1)).toMatchObject({
      units: 2,
      activation: 'softmax',
    });
  });

  it('cross-entropy on one 0/1 column names the flag; a bad --target-type is a usage error', async () => {
    const ce = await runCli(
      ['train', '--data', 'cancer.csv', '--loss', 'cross-entropy', '--epochs', '1'],
      dir,
    );
    expect(ce.code).toBe(2);
    expect(ce.stderr).toContain('or read its labels as classes with --target-type class.');
    const bad = await runCli(['train', '--data', 'wine.csv', '--target-type', 'labels'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('deltaflow: --target-type must be class or value, got "labels".\n');
  });

  it('evaluate and predict read the integer column of a model trained on it as its classes', async () => {
    const evaluated = await runCli(['evaluate', '--model', 'wine.json', '--data', 'wine.csv', '--json'], dir);
    expect(evaluated.code).toBe(0);
    expect(json<{ metrics: object }>(evaluated.stdout).metrics).toHaveProperty('accuracy');
    const predicted = await runCli(['predict', '--model', 'wine.json', '--data', 'wine.csv', '--json'], dir);
    expect(predicted.code).toBe(0);
    const { predictions } = json<{ predictions: { input: number[]; label: string }[] }>(predicted.stdout);
    expect(predictions).toHaveLength(90);
    expect(predictions[0]!.input).toHaveLength(4);
    expect(['0', '1', '2']).toContain(predictions[0]!.label);
  });
});

describe('13: regression targets and the output range', () => {
  it('targets from 25 to 346 get a linear output by default, and the loss falls', async () => {
    const { code, stdout, stderr } = await runCli(
      [
        'train',
        '--data',
        'diabetes.csv',
        '--layers',
        '16',
        '--optimizer',
        'adam',
        '--lr',
        '0.05',
        '--batch-size',
        '16',
        '--epochs',
        '150',
        '--save',
        'diabetes.json',
        '--json',
      ],
      dir,
    );
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(readJson<ModelFile>(dir, 'diabetes.json').layers.at(-1)!.activation).toBe('linear');
    const { metrics } = json<{ metrics: { mse: number; r2: number } }>(stdout);
    expect(metrics.r2).toBeGreaterThan(0.5);
  });

  it('a forced sigmoid (or tanh) output warns, in one line, that the targets lie outside its range', async () => {
    const sigmoid = await runCli(
      [
        'train',
        '--data',
        'diabetes.csv',
        '--output-activation',
        'sigmoid',
        '--epochs',
        '1',
        '--save',
        'sigmoid.json',
        '--json',
      ],
      dir,
    );
    expect(sigmoid.code).toBe(0);
    expect(sigmoid.stderr).toMatch(
      /^deltaflow: warning: The targets run from 25 to \d+, outside the range \(0, 1\) of the output activation sigmoid, so the outputs can never reach them; use the output activation linear \(--output-activation\), the default for regression, or scale the targets\.\n$/,
    );
    const tanh = await runCli(
      ['train', '--data', 'diabetes.csv', '--output-activation', 'tanh', '--epochs', '1', '--json'],
      dir,
    );
    expect(tanh.stderr).toContain('outside the range (-1, 1) of the output activation tanh');
    const init = await runCli(
      ['train', '--init', 'sigmoid.json', '--data', 'diabetes.csv', '--epochs', '1', '--json'],
      dir,
    );
    expect(init.code).toBe(0);
    expect(init.stderr).toContain('of the output activation sigmoid of the given model');
    const quiet = await runCli(
      ['train', '--data', 'diabetes.csv', '--output-activation', 'sigmoid', '--epochs', '1', '--quiet'],
      dir,
    );
    expect(quiet.stderr).toBe('');
  });
});

describe('14: inputs far from unit scale', () => {
  it('a hint names the column and --normalize before training; none with --normalize', async () => {
    const raw = await runCli(['train', '--data', 'cancer.csv', '--epochs', '2', '--json'], dir);
    expect(raw.code).toBe(0);
    expect(raw.stderr).toMatch(
      /^deltaflow: hint: The inputs are far from unit scale \(column area has mean [\d.]+ and standard deviation [\d.]+\), where sigmoid and tanh units saturate and stop learning; standardise them with --normalize\.\n$/,
    );
    const scaled = await runCli(
      ['train', '--data', 'cancer.csv', '--epochs', '2', '--normalize', '--json'],
      dir,
    );
    expect(scaled.stderr).toBe('');
  });
});

describe('15: evaluate for regression', () => {
  it('labels E and the mean squared error so they read apart, and reports R² (also in --json)', async () => {
    const text = await runCli(['evaluate', '--model', 'diabetes.json', '--data', 'diabetes.csv'], dir);
    expect(text.code).toBe(0);
    const row = (label: string): number => {
      const line = text.stdout.split('\n').find((l) => l.includes(` ${label} `));
      expect(line, label).toBeDefined();
      return Number(line!.split('│').at(-2)!.trim());
    };
    const loss = row('loss E (mse, mean of 1/2 sum (O - t)^2)');
    const mse = row('mean squared error');
    expect(mse).toBeCloseTo(2 * loss, -1);
    expect(row('mean absolute error')).toBeGreaterThan(0);
    expect(row('R²')).toBeGreaterThan(0.5);
    expect(text.stdout).not.toMatch(/│ mse /);
    const result = await runCli(
      ['evaluate', '--model', 'diabetes.json', '--data', 'diabetes.csv', '--json'],
      dir,
    );
    const { metrics } = json<{ metrics: Record<string, number> }>(result.stdout);
    expect(Object.keys(metrics)).toEqual(['mse', 'mae', 'r2']);
  });
});

describe('16: columns of a model saved from code, and a run that diverges at once', () => {
  // y = x1 + x2, a 2-1 linear model saved from code: no featureNames, no targetColumns in its meta
  const fromCode = {
    format: 'deltaflow-model',
    version: 1,
    layers: [{ type: 'dense', inputs: 2, units: 1, activation: 'linear', weights: [[1], [1]], bias: [0] }],
  };

  it('predict --data and evaluate --data take the same target column (the one after the inputs)', async () => {
    writeFiles(dir, {
      'code.json': JSON.stringify(fromCode),
      'sums.csv': 'a,b,sum\n1,2,3\n2,2,4\n0.5,0.25,1\n',
      'features.csv': 'a,b\n1,2\n',
    });
    const predicted = await runCli(['predict', '--model', 'code.json', '--data', 'sums.csv', '--json'], dir);
    expect(predicted.code).toBe(0);
    const { predictions } = json<{ predictions: { input: number[]; output: number[] }[] }>(predicted.stdout);
    expect(predictions.map((p) => p.input)).toEqual([
      [1, 2],
      [2, 2],
      [0.5, 0.25],
    ]);
    expect(predictions.map((p) => p.output[0])).toEqual([3, 4, 0.75]);
    const evaluated = await runCli(['evaluate', '--model', 'code.json', '--data', 'sums.csv', '--json'], dir);
    expect(evaluated.code).toBe(0);
    // only the last row misses: (0.75 - 1)^2 over 3 rows
    expect(json<{ metrics: { mse: number } }>(evaluated.stdout).metrics.mse).toBeCloseTo(0.0625 / 3, 6);
    const featuresOnly = await runCli(
      ['predict', '--model', 'code.json', '--data', 'features.csv', '--json'],
      dir,
    );
    expect(featuresOnly.code).toBe(0);
    const noTargets = await runCli(['evaluate', '--model', 'code.json', '--data', 'features.csv'], dir);
    expect(noTargets.code).toBe(2);
    expect(noTargets.stderr).toBe(
      "deltaflow: evaluate needs target columns, but features.csv has only the model's 2 input column(s); add the targets, or choose them with --target.\n",
    );
  });

  it('a run that diverges in its first epoch writes no model and says so in its one line', async () => {
    const { code, stdout, stderr } = await runCli(
      [
        'train',
        '--data',
        'diabetes.csv',
        '--lr',
        '1e30',
        '--epochs',
        '3',
        '--save',
        'diverged.json',
        '--json',
      ],
      dir,
    );
    expect(code).toBe(1);
    expect(json<{ reason: string; epochs: number; saved: string | null }>(stdout)).toMatchObject({
      reason: 'diverged',
      epochs: 0,
      saved: null,
    });
    expect(stderr).toMatch(
      /^deltaflow: training diverged after 0 epochs\. Nothing was saved to diverged\.json: the model never finished an epoch\. /,
    );
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(existsSync(join(dir, 'diverged.json'))).toBe(false);
  });
});
