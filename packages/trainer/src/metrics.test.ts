import { Random, Tensor } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import { modelFromJSON } from '@deltaflow/network';
import { lastValueFrom, toArray } from 'rxjs';
import type { EndEvent, EpochEvent, TrainingEvent } from './events.js';
import { MetricsAccumulator, classificationReport, computeMetrics, rocAuc } from './metrics.js';
import type { MetricName } from './metrics.js';
import type { RunDescription } from './recipe/description.js';
import { prepareRun } from './recipe/prepare.js';
import { train } from './train.js';

const t = (rows: number[][]): Tensor<2> => Tensor.fromNested(rows, 'float64') as Tensor<2>;

describe('computeMetrics for regression: mse, mae and R²', () => {
  it('R² = 1 - sum (O - t)^2 / sum (t - mean t)^2, as scikit-learn computes it', () => {
    // sklearn.metrics.r2_score([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]) = 0.9486081370449679
    const m = computeMetrics(t([[2.5], [0], [2], [8]]), t([[3], [-0.5], [2], [7]]), 'regression');
    expect(m.r2).toBeCloseTo(0.9486081370449679, 12);
    expect(m.mse).toBeCloseTo(0.375, 12);
    expect(m.mae).toBeCloseTo(0.5, 12);
  });

  it('averages R² over the outputs, and is 0 for the mean prediction', () => {
    // r2_score([[0.5, 1], [-1, 1], [7, -6]], [[0, 2], [-1, 2], [8, -5]]) = 0.9368005266622779
    const m = computeMetrics(
      t([
        [0, 2],
        [-1, 2],
        [8, -5],
      ]),
      t([
        [0.5, 1],
        [-1, 1],
        [7, -6],
      ]),
      'regression',
    );
    expect(m.r2).toBeCloseTo(0.9368005266622779, 12);
    expect(computeMetrics(t([[2], [2], [2]]), t([[1], [2], [3]]), 'regression').r2).toBeCloseTo(0, 12);
  });

  it('batch by batch gives what one pass gives, with the val prefix', () => {
    const acc = new MetricsAccumulator('regression');
    acc.add(t([[2.5], [0]]), t([[3], [-0.5]]));
    acc.add(t([[2], [8]]), t([[2], [7]]));
    expect(acc.result('val').valR2).toBeCloseTo(0.9486081370449679, 12);
    acc.reset();
    acc.add(t([[1], [2]]), t([[1], [2]]));
    expect(acc.result().r2).toBe(1);
  });
});

describe('classification report: confusion, precision, recall, F1, ROC AUC', () => {
  // 9 samples of 3 classes; O one-hot at the predicted class. Rows: true class; columns: predicted.
  //   a: a a b     b: b c c     c: c c a   ->  [[2, 1, 0], [0, 1, 2], [1, 0, 2]]
  const predicted = [0, 0, 1, 1, 2, 2, 2, 2, 0];
  const truth = [0, 0, 0, 1, 1, 1, 2, 2, 2];
  const hot = (k: number) => [0, 1, 2].map((j) => (j === k ? 1 : 0));

  it('matches a confusion matrix and per-class numbers worked out by hand', () => {
    const report = classificationReport(t(predicted.map(hot)), t(truth.map(hot)), ['a', 'b', 'c']);
    expect(report.confusion).toEqual([
      [2, 1, 0],
      [0, 1, 2],
      [1, 0, 2],
    ]);
    // precision = TP / column sum: 2/3, 1/2, 2/4; recall = TP / row sum: 2/3, 1/3, 2/3
    const close = (a: number[], b: number[]) => a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 12));
    close(
      report.perClass.map((c) => c.precision),
      [2 / 3, 1 / 2, 1 / 2],
    );
    close(
      report.perClass.map((c) => c.recall),
      [2 / 3, 1 / 3, 2 / 3],
    );
    // F1 = 2PR / (P + R): 2/3, 2/5, 4/7
    close(
      report.perClass.map((c) => c.f1),
      [2 / 3, 2 / 5, 4 / 7],
    );
    expect(report.perClass.map((c) => c.support)).toEqual([3, 3, 3]);
    expect(report.macro.precision).toBeCloseTo(5 / 9, 12);
    expect(report.macro.recall).toBeCloseTo(5 / 9, 12);
    expect(report.macro.f1).toBeCloseTo(172 / 315, 12);
    expect(report.accuracy).toBeCloseTo(5 / 9, 12);
    expect(report.classes).toEqual(['a', 'b', 'c']);
    expect(report.auc).toBeUndefined(); // three classes: no ROC AUC
  });

  it('a class never predicted has precision 0, not NaN; batch by batch equals one pass', () => {
    const acc = new MetricsAccumulator('classification', true);
    acc.add(t(predicted.slice(0, 4).map(hot)), t(truth.slice(0, 4).map(hot)));
    acc.add(t(predicted.slice(4).map(hot)), t(truth.slice(4).map(hot)));
    expect(acc.confusionMatrix()).toEqual(
      classificationReport(t(predicted.map(hot)), t(truth.map(hot))).confusion,
    );
    const none = classificationReport(
      t([
        [1, 0],
        [1, 0],
      ]),
      t([
        [1, 0],
        [0, 1],
      ]),
    );
    expect(none.perClass[1]).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 1 });
  });

  it('ROC AUC by hand, ties counted 1/2, for one sigmoid output and for two outputs', () => {
    // positives score 3, 1, -1; negatives 2, -1, -2, -3: pairs won 4 + 3 + 2.5 (a tie at -1) of 12
    const scores = [3, 1, -1, 2, -1, -2, -3];
    const labels = [1, 1, 1, 0, 0, 0, 0];
    expect(rocAuc(scores, labels)).toBeCloseTo(9.5 / 12, 14);
    const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
    const one = classificationReport(t(scores.map((x) => [sigmoid(x)])), t(labels.map((l) => [l])));
    expect(one.auc).toBeCloseTo(9.5 / 12, 14);
    // threshold 0.5 (x >= 0): true 0 -> [3 predicted 0, 1 predicted 1]; true 1 -> [1, 2]
    expect(one.confusion).toEqual([
      [3, 1],
      [1, 2],
    ]);
    const two = classificationReport(
      t(scores.map((x) => [1 - sigmoid(x), sigmoid(x)])),
      t(labels.map((l) => [1 - l, l])),
    );
    expect(two.auc).toBeCloseTo(9.5 / 12, 14);
    expect(two.confusion).toEqual(one.confusion);
  });

  it('ROC AUC equals the fraction of positive-negative pairs ordered right, on random scores with ties', () => {
    const rng = new Random(3);
    const n = 200;
    const scores = Array.from({ length: n }, () => Math.round(rng.uniform() * 20) / 20);
    const labels = Array.from({ length: n }, () => (rng.uniform() < 0.4 ? 1 : 0));
    let won = 0;
    let pairs = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        if (labels[i] === 1 && labels[j] === 0) {
          pairs++;
          won += scores[i]! > scores[j]! ? 1 : scores[i] === scores[j] ? 0.5 : 0;
        }
    expect(rocAuc(scores, labels)).toBeCloseTo(won / pairs, 12);
    expect(Number.isNaN(rocAuc([0.1, 0.2], [1, 1]))).toBe(true);
  });
});

describe('epoch events carry the asked metrics', () => {
  const circle: RunDescription = {
    data: { name: 'circle', points: 100, noise: 0.1 },
    layers: [6],
    activation: 'tanh',
    loss: 'binary-cross-entropy',
    optimizer: { name: 'adam', options: { lr: 0.03 } },
    validationSplit: 0.3,
    epochs: 5,
    seed: 2,
  };

  async function epochs(description: RunDescription, metrics?: MetricName[]) {
    const run = await prepareRun(description);
    const events: TrainingEvent[] = await lastValueFrom(
      train(run.model, run.train, { ...run.trainOptions, ...(metrics ? { metrics } : {}) }).pipe(toArray()),
    );
    return { run, events, epochs: events.filter((e): e is EpochEvent => e.type === 'epoch') };
  }

  it("metrics: ['f1', 'auc', 'confusion'] adds macro F1, ROC AUC and the confusion matrices; validation's match a report of the final model", async () => {
    const { run, events, epochs: list } = await epochs(circle, ['f1', 'auc', 'confusion']);
    for (const e of list) {
      expect(Object.keys(e.metrics).sort()).toEqual([
        'accuracy',
        'auc',
        'f1',
        'valAccuracy',
        'valAuc',
        'valF1',
      ]);
      expect(e.confusion!.flat().reduce((a, b) => a + b, 0)).toBe(70);
      expect(e.valConfusion!.flat().reduce((a, b) => a + b, 0)).toBe(30);
    }
    const last = list.at(-1)!;
    const model = modelFromJSON((events.at(-1) as EndEvent).model);
    const report = classificationReport(model.forward(run.validation!.inputs), run.validation!.targets);
    expect(last.valConfusion).toEqual(report.confusion);
    expect(last.metrics.valF1).toBe(report.macro.f1);
    expect(last.metrics.valAuc).toBe(report.auc);
    expect(last.metrics.valAccuracy).toBe(report.accuracy);
  });

  it('without the option the events are as before; unknown names, regression and auc of 3 classes are refused', async () => {
    const plain = await epochs(circle);
    expect(Object.keys(plain.epochs[0]!.metrics).sort()).toEqual(['accuracy', 'valAccuracy']);
    expect(plain.epochs[0]!.confusion).toBeUndefined();
    await expect(epochs(circle, ['kappa' as MetricName])).rejects.toThrow(/unknown metric 'kappa'/);
    await expect(
      epochs({ data: 'iris', layers: [4], loss: 'cross-entropy', epochs: 1 }, ['auc']),
    ).rejects.toThrow(/auc is for binary tasks \(1 or 2 outputs\) but the model has 3 outputs/);
    await expect(epochs({ data: { name: 'plane', points: 20 }, epochs: 1 }, ['f1'])).rejects.toThrow(
      /are for classification/,
    );
  });
});
