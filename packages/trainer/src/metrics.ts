import type { Tensor } from '@deltaflow/tensor';
import type { Metrics } from './events.js';

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

  constructor(private readonly task: 'classification' | 'regression') {}

  /** Starts a new epoch. */
  reset(): void {
    this.samples = 0;
    this.correct = 0;
    this.squared = 0;
    this.absolute = 0;
    this.residual.fill(0);
    this.targetSum.fill(0);
    this.targetSquares.fill(0);
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
