import type { Tensor } from '@deltaflow/tensor';
import type { Metrics } from './events.js';

/**
 * The classification metrics beyond accuracy that a run or `evaluate` may ask for: macro-averaged `precision`,
 * `recall` and `f1`, `auc` (ROC AUC, binary tasks only) and the `confusion` matrix.
 *
 * @example
 * ```ts
 * const asked: MetricName[] = ['f1', 'auc', 'confusion'];
 * ```
 * @category Training
 */
export type MetricName = 'precision' | 'recall' | 'f1' | 'auc' | 'confusion';

/**
 * Every {@link MetricName}, in the order events list them.
 *
 * @example
 * ```ts
 * METRIC_NAMES.includes('auc'); // → true
 * ```
 * @category Training
 */
export const METRIC_NAMES: readonly MetricName[] = ['precision', 'recall', 'f1', 'auc', 'confusion'];

/**
 * One class's row of a {@link ClassificationReport}.
 *
 * @example
 * ```ts
 * const row: ClassMetrics = { name: 'setosa', precision: 1, recall: 0.98, f1: 0.99, support: 50 };
 * ```
 * @category Training
 */
export interface ClassMetrics {
  /** The class name (or its index as text). */
  name: string;
  /** TP / (TP + FP): of the samples predicted as this class, the fraction that are; 0 when none is predicted. */
  precision: number;
  /** TP / (TP + FN): of the samples of this class, the fraction found; 0 when the class has no sample. */
  recall: number;
  /** 2 P R / (P + R), the harmonic mean of precision and recall; 0 when both are 0. */
  f1: number;
  /** Samples of this class (true labels). */
  support: number;
}

/**
 * Everything a classifier's outputs say against the targets: the confusion matrix, per-class precision, recall
 * and F1, their macro averages (unweighted means over the classes, as scikit-learn's `average='macro'`),
 * accuracy, and for a binary task the ROC AUC.
 *
 * @example
 * ```ts
 * const report: ClassificationReport = classificationReport(outputs, targets, ['no', 'yes']);
 * console.log(report.confusion, report.macro.f1, report.auc);
 * ```
 * @category Training
 */
export interface ClassificationReport {
  /** The class names, in the order of the matrix's rows and columns. */
  classes: string[];
  /** `confusion[i][j]`: samples of true class i predicted as class j. */
  confusion: number[][];
  /** Per class, in order. */
  perClass: ClassMetrics[];
  /** Unweighted means of precision, recall and F1 over the classes. */
  macro: { precision: number; recall: number; f1: number };
  /** Correct predictions / samples. */
  accuracy: number;
  /**
   * Binary tasks only: the area under the ROC curve of the score of class 1 (O for one sigmoid output, O_1 of
   * two outputs), the probability that a random positive scores above a random negative (ties count 1/2).
   */
  auc?: number;
  /** Samples. */
  samples: number;
}

/** The class of row `i` of a `[B, K]` buffer: O >= 0.5 for K = 1, else the first largest O_k. */
function classAt(data: ArrayLike<number>, i: number, k: number): number {
  if (k === 1) return data[i]! >= 0.5 ? 1 : 0;
  const base = i * k;
  let best = 0;
  for (let j = 1; j < k; j++) if (data[base + j]! > data[base + best]!) best = j;
  return best;
}

/**
 * ROC AUC of scores against 0/1 labels, by ranks (Mann-Whitney U): sort the scores, give tied scores their mean
 * rank, AUC = (sum of the positives' ranks - P (P + 1) / 2) / (P N), the probability that a random positive
 * scores above a random negative (ties count 1/2). NaN without positives or without negatives.
 *
 * @example
 * ```ts
 * rocAuc([0.9, 0.4, 0.2, 0.6], [1, 1, 0, 0]); // → 0.75
 * ```
 * @param scores - each sample's score of the positive class
 * @param labels - each sample's true label, 1 (positive) or 0
 * @param count - how many samples to read; default all
 * @category Training
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>, count = scores.length): number {
  const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < count;) {
    let end = start + 1;
    while (end < count && scores[order[end]!] === scores[order[start]!]) end++;
    const rank = (start + 1 + end) / 2; // mean of the ranks start + 1 .. end
    for (let i = start; i < end; i++) {
      if (labels[order[i]!] === 1) {
        positives++;
        rankSum += rank;
      }
    }
    start = end;
  }
  const negatives = count - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * Accumulates the metrics of an epoch batch by batch, from outputs the training pass computed anyway (no extra
 * forward pass): accuracy for classification (argmax, or O >= 0.5 for a single output), mse, mae and R² for
 * regression.
 */
export class MetricsAccumulator {
  private samples = 0;
  private correct = 0;
  private squared = 0;
  private absolute = 0;
  // per output column k, for R²: sum (O_k - t_k)^2, sum t_k, sum t_k^2 (allocated once, for the first batch)
  private residual = new Float64Array(0);
  private targetSum = new Float64Array(0);
  private targetSquares = new Float64Array(0);
  // with details (classification): the confusion counts, and for a binary task each sample's score and label
  private classes = 0;
  private confusion = new Float64Array(0);
  private scores = new Float64Array(0);
  private labels = new Uint8Array(0);

  /**
   * @param task - which metrics
   * @param details - also count the confusion matrix (and, for a binary task, keep the scores for ROC AUC):
   *   what {@link MetricsAccumulator.report} and the `precision`, `recall`, `f1`, `auc` metrics need
   */
  constructor(
    private readonly task: 'classification' | 'regression',
    private readonly details = false,
  ) {}

  /** Starts a new epoch. */
  reset(): void {
    this.samples = 0;
    this.correct = 0;
    this.squared = 0;
    this.absolute = 0;
    // (a classification run without details has none of these arrays: no calls, every epoch)
    if (this.residual.length > 0) {
      this.residual.fill(0);
      this.targetSum.fill(0);
      this.targetSquares.fill(0);
    }
    if (this.confusion.length > 0) this.confusion.fill(0);
  }

  /** Adds one batch of outputs O and targets t (`[B, K]` each). */
  add(output: Tensor, target: Tensor): void {
    const rows = output.rows;
    const k = output.cols;
    const o = output.data;
    const t = target.data;
    this.samples += rows;
    if (this.task === 'regression') {
      if (this.residual.length !== k) {
        this.residual = new Float64Array(k);
        this.targetSum = new Float64Array(k);
        this.targetSquares = new Float64Array(k);
      }
      for (let i = 0; i < o.length; i++) {
        const d = o[i]! - t[i]!;
        const j = i % k;
        this.squared += d * d;
        this.absolute += Math.abs(d);
        this.residual[j] += d * d;
        this.targetSum[j] += t[i]!;
        this.targetSquares[j] += t[i]! * t[i]!;
      }
      return;
    }
    if (this.details) this.count(o, t, rows, k);
    if (k === 1) {
      for (let i = 0; i < rows; i++) if (o[i]! >= 0.5 === t[i]! >= 0.5) this.correct++;
      return;
    }
    for (let i = 0; i < rows; i++) {
      const base = i * k;
      let best = 0;
      let bestTarget = 0;
      for (let j = 1; j < k; j++) {
        if (o[base + j]! > o[base + best]!) best = j;
        if (t[base + j]! > t[base + bestTarget]!) bestTarget = j;
      }
      if (best === bestTarget) this.correct++;
    }
  }

  /** Adds a batch to the confusion counts and, for a binary task, the scores of class 1. */
  private count(o: ArrayLike<number>, t: ArrayLike<number>, rows: number, k: number): void {
    const classes = Math.max(2, k);
    if (this.classes !== classes) {
      this.classes = classes;
      this.confusion = new Float64Array(classes * classes);
    }
    const start = this.samples - rows; // samples already counts this batch
    if (classes === 2 && this.scores.length < this.samples) {
      const scores = new Float64Array(Math.max(this.samples, 2 * this.scores.length));
      const labels = new Uint8Array(scores.length);
      scores.set(this.scores.subarray(0, start));
      labels.set(this.labels.subarray(0, start));
      this.scores = scores;
      this.labels = labels;
    }
    for (let i = 0; i < rows; i++) {
      const truth = classAt(t, i, k);
      this.confusion[truth * classes + classAt(o, i, k)]++;
      if (classes === 2) {
        this.scores[start + i] = k === 1 ? o[i]! : o[i * 2 + 1]!;
        this.labels[start + i] = truth;
      }
    }
  }

  /**
   * The full report of the samples so far (needs `details`): confusion matrix, per-class precision, recall, F1,
   * macro averages, accuracy, and ROC AUC for a binary task. `classNames` name the classes (else 0, 1, ...).
   */
  report(classNames?: readonly string[]): ClassificationReport {
    const n = this.classes;
    const c = this.confusion;
    const confusion = Array.from({ length: n }, (_, i) => Array.from(c.subarray(i * n, (i + 1) * n)));
    const perClass: ClassMetrics[] = confusion.map((row, j) => {
      const tp = row[j]!;
      const support = row.reduce((a, b) => a + b, 0);
      let predicted = 0;
      for (let i = 0; i < n; i++) predicted += confusion[i]![j]!;
      const precision = predicted > 0 ? tp / predicted : 0;
      const recall = support > 0 ? tp / support : 0;
      const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
      return { name: classNames?.[j] ?? String(j), precision, recall, f1, support };
    });
    const mean = (key: 'precision' | 'recall' | 'f1') =>
      n > 0 ? perClass.reduce((a, r) => a + r[key], 0) / n : 0;
    let correct = 0;
    for (let j = 0; j < n; j++) correct += confusion[j]![j]!;
    const report: ClassificationReport = {
      classes: perClass.map((r) => r.name),
      confusion,
      perClass,
      macro: { precision: mean('precision'), recall: mean('recall'), f1: mean('f1') },
      accuracy: correct / Math.max(1, this.samples),
      samples: this.samples,
    };
    if (n === 2) {
      const auc = rocAuc(this.scores, this.labels, this.samples);
      if (!Number.isNaN(auc)) report.auc = auc;
    }
    return report;
  }

  /**
   * The asked {@link MetricName}s among precision, recall, f1 (macro averages) and auc, as metrics keyed with
   * `prefix` (`'val'` gives `valF1`); auc only for a binary task with both classes present.
   */
  detailMetrics(asked: readonly MetricName[], prefix = ''): Metrics {
    const report = this.report();
    const out: Metrics = {};
    const key = (name: string) =>
      prefix === '' ? name : `${prefix}${name[0]!.toUpperCase()}${name.slice(1)}`;
    for (const name of asked) {
      if (name === 'precision' || name === 'recall' || name === 'f1') out[key(name)] = report.macro[name];
      else if (name === 'auc' && report.auc !== undefined) out[key('auc')] = report.auc;
    }
    return out;
  }

  /** The confusion matrix so far (needs `details`): `[i][j]` counts true class i predicted as j. */
  confusionMatrix(): number[][] {
    const n = this.classes;
    return Array.from({ length: n }, (_, i) => Array.from(this.confusion.subarray(i * n, (i + 1) * n)));
  }

  /** The metrics so far, keys prefixed with `prefix` (`'val'` gives `valAccuracy`). */
  result(prefix = '', outputs = 1): Metrics {
    // Object literals with fixed keys for the training metrics (built every epoch); computed keys for the rest.
    if (this.task === 'classification') {
      const accuracy = this.correct / Math.max(1, this.samples);
      return prefix === '' ? { accuracy } : { [`${prefix}Accuracy`]: accuracy };
    }
    const n = Math.max(1, this.samples * outputs);
    const mse = this.squared / n;
    const mae = this.absolute / n;
    const r2 = this.r2();
    return prefix === ''
      ? { mse, mae, r2 }
      : { [`${prefix}Mse`]: mse, [`${prefix}Mae`]: mae, [`${prefix}R2`]: r2 };
  }

  /**
   * R² = 1 - sum (O - t)^2 / sum (t - mean t)^2 of each output column, averaged over the columns (as
   * scikit-learn's `r2_score`); a column of constant targets counts 1 when fitted exactly, else 0.
   */
  private r2(): number {
    const k = this.residual.length;
    if (k === 0 || this.samples === 0) return 0;
    let total = 0;
    for (let j = 0; j < k; j++) {
      const mean = this.targetSum[j]! / this.samples;
      const spread = this.targetSquares[j]! - this.samples * mean * mean;
      const residual = this.residual[j]!;
      total +=
        spread > 1e-12 * Math.max(1, this.targetSquares[j]!) ? 1 - residual / spread : residual === 0 ? 1 : 0;
    }
    return total / k;
  }
}

/**
 * The metrics of outputs O against targets t, as the trainer measures them every epoch: accuracy for
 * classification (argmax, or O >= 0.5 for a single output), mse and mae per output and R² (1 - sum (O - t)^2 /
 * sum (t - mean t)^2, averaged over the outputs as scikit-learn's `r2_score`) for regression. The one
 * place deltaflow computes metrics: training, validation, `deltaflow evaluate`.
 *
 * @example
 * ```ts
 * computeMetrics(model.forward(ds.inputs), ds.targets, 'classification'); // { accuracy: 0.97 }
 * ```
 * @param outputs - O, `[N, K]`
 * @param targets - t, `[N, K]`
 * @param task - which metrics
 * @category Training
 */
export function computeMetrics(
  outputs: Tensor,
  targets: Tensor,
  task: 'classification' | 'regression',
): Metrics {
  const accumulator = new MetricsAccumulator(task);
  accumulator.add(outputs, targets);
  return accumulator.result('', outputs.cols);
}

/**
 * The classification report of outputs O against targets t: confusion matrix (rows true class, columns
 * predicted), per-class precision, recall, F1 and support, macro averages, accuracy and, for a binary task
 * (one sigmoid output, or two outputs), ROC AUC of class 1's score. Classes as the trainer reads them: argmax,
 * or O >= 0.5 for a single output. Computed by the same accumulator as the training metrics.
 *
 * @example
 * ```ts
 * const o = Tensor.fromNested([[0.9], [0.2], [0.6], [0.4]]);
 * const t = Tensor.fromNested([[1], [0], [0], [1]]);
 * const report = classificationReport(o, t, ['no', 'yes']);
 * report.confusion; // → [[1, 1], [1, 1]]
 * report.auc; // positives 0.9, 0.4 against negatives 0.2, 0.6: 3 of 4 pairs → 0.75
 * ```
 * @param outputs - O, `[N, K]`
 * @param targets - t, `[N, K]` (one-hot, or 0/1 for one output)
 * @param classNames - the names of the classes, in order
 * @category Training
 */
export function classificationReport(
  outputs: Tensor,
  targets: Tensor,
  classNames?: readonly string[],
): ClassificationReport {
  const accumulator = new MetricsAccumulator('classification', true);
  accumulator.add(outputs, targets);
  return accumulator.report(classNames);
}
