// evaluate's classification report against confusion matrices, precision/recall/F1 and ROC AUC worked out by
// hand (issue 15, Must show 3): hand-made models whose predicted class is known for every row.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers.js';

interface Evaluated {
  metrics: Record<string, number>;
  classes: string[];
  confusion: number[][];
  perClass: { name: string; precision: number; recall: number; f1: number; support: number }[];
  samples: number;
}

const close = (actual: number[], expected: number[]) =>
  actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 12));

describe('evaluate --json: metrics by hand', () => {
  it('three classes: the confusion matrix, per-class and macro precision, recall, F1', async () => {
    const dir = tempDir();
    // softmax of the inputs themselves (identity weights): the predicted class is the input column that is 2
    const identity = [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ];
    writeFileSync(
      join(dir, 'abc.json'),
      JSON.stringify({
        format: 'deltaflow-model',
        version: 1,
        dtype: 'float64',
        layers: [
          { type: 'dense', inputs: 3, units: 3, activation: 'softmax', weights: identity, bias: [0, 0, 0] },
        ],
        meta: {
          task: 'classification',
          loss: 'cross-entropy',
          classNames: ['a', 'b', 'c'],
          featureNames: ['x1', 'x2', 'x3'],
          targetColumns: ['label'],
        },
      }),
    );
    // true a: predicted a a b; true b: b c c; true c: c c a
    const rows: [string, string][] = [
      ['a', 'a'],
      ['a', 'a'],
      ['a', 'b'],
      ['b', 'b'],
      ['b', 'c'],
      ['b', 'c'],
      ['c', 'c'],
      ['c', 'c'],
      ['c', 'a'],
    ];
    const x = (p: string) => ['a', 'b', 'c'].map((k) => (k === p ? 2 : 0)).join(',');
    writeFileSync(
      join(dir, 'abc.csv'),
      `x1,x2,x3,label\n${rows.map(([t, p]) => `${x(p)},${t}`).join('\n')}\n`,
    );
    const result = await runCli(['evaluate', '--model', 'abc.json', '--data', 'abc.csv', '--json'], dir);
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as Evaluated;
    expect(json.classes).toEqual(['a', 'b', 'c']);
    expect(json.confusion).toEqual([
      [2, 1, 0],
      [0, 1, 2],
      [1, 0, 2],
    ]);
    // precision = TP / predicted: 2/3, 1/2, 2/4; recall = TP / support: 2/3, 1/3, 2/3; F1 = 2PR/(P+R)
    close(
      json.perClass.map((c) => c.precision),
      [2 / 3, 1 / 2, 1 / 2],
    );
    close(
      json.perClass.map((c) => c.recall),
      [2 / 3, 1 / 3, 2 / 3],
    );
    close(
      json.perClass.map((c) => c.f1),
      [2 / 3, 2 / 5, 4 / 7],
    );
    expect(json.perClass.map((c) => c.support)).toEqual([3, 3, 3]);
    expect(json.metrics.accuracy).toBeCloseTo(5 / 9, 12);
    expect(json.metrics.precision).toBeCloseTo(5 / 9, 12);
    expect(json.metrics.recall).toBeCloseTo(5 / 9, 12);
    expect(json.metrics.f1).toBeCloseTo(172 / 315, 12);
    expect(json.metrics.auc).toBeUndefined();
    // the table shows the same
    const text = await runCli(['evaluate', '--model', 'abc.json', '--data', 'abc.csv'], dir);
    expect(text.stdout).toMatch(/F1 \(macro average\) +│ +0\.546032/);
    expect(text.stdout).toMatch(/│ b +│ +0 │ +1 │ +2 │/);
  });

  it('binary, one sigmoid output: the confusion matrix at O >= 0.5 and ROC AUC with a tie', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'bin.json'),
      JSON.stringify({
        format: 'deltaflow-model',
        version: 1,
        dtype: 'float64',
        layers: [{ type: 'dense', inputs: 1, units: 1, activation: 'sigmoid', weights: [[1]], bias: [0] }],
        meta: {
          task: 'classification',
          loss: 'binary-cross-entropy',
          featureNames: ['x'],
          targetColumns: ['y'],
        },
      }),
    );
    // scores sigmoid(x): positives at x = 3, 1, -1; negatives at 2, -1, -2, -3
    const rows = [
      [3, 1],
      [1, 1],
      [-1, 1],
      [2, 0],
      [-1, 0],
      [-2, 0],
      [-3, 0],
    ];
    writeFileSync(join(dir, 'bin.csv'), `x,y\n${rows.map((r) => r.join(',')).join('\n')}\n`);
    const result = await runCli(['evaluate', '--model', 'bin.json', '--data', 'bin.csv', '--json'], dir);
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as Evaluated;
    // predicted 1 when x >= 0: true 0 -> 3 right, 1 wrong (x = 2); true 1 -> 1 wrong (x = -1), 2 right
    expect(json.confusion).toEqual([
      [3, 1],
      [1, 2],
    ]);
    expect(json.classes).toEqual(['0', '1']);
    close(
      json.perClass.map((c) => c.precision),
      [3 / 4, 2 / 3],
    );
    close(
      json.perClass.map((c) => c.recall),
      [3 / 4, 2 / 3],
    );
    expect(json.metrics.f1).toBeCloseTo((3 / 4 + 2 / 3) / 2, 12);
    expect(json.metrics.accuracy).toBeCloseTo(5 / 7, 12);
    // AUC: of the 3 x 4 positive-negative pairs, 3 beats all 4, 1 beats 3, -1 beats 2 and ties 1: 9.5 / 12
    expect(json.metrics.auc).toBeCloseTo(9.5 / 12, 12);
  });

  it('regression keeps mse, mae and R², no confusion matrix', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'lin.json'),
      JSON.stringify({
        format: 'deltaflow-model',
        version: 1,
        layers: [{ type: 'dense', inputs: 1, units: 1, activation: 'linear', weights: [[1]], bias: [0] }],
        meta: { task: 'regression', featureNames: ['x'], targetColumns: ['y'] },
      }),
    );
    // O = x; sklearn r2_score([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]) = 0.9486081370449679
    writeFileSync(join(dir, 'lin.csv'), 'x,y\n2.5,3\n0,-0.5\n2,2\n8,7\n');
    const json = JSON.parse(
      (await runCli(['evaluate', '--model', 'lin.json', '--data', 'lin.csv', '--json'], dir)).stdout,
    ) as Evaluated;
    expect(json.metrics.r2).toBeCloseTo(0.9486081370449679, 6);
    expect(json.confusion).toBeUndefined();
  });
});
