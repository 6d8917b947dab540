import type { Tensor } from '@deltaflow/tensor';
import type { Metrics } from './events.js';

/**
 * Accumulates the metrics of an epoch batch by batch, from outputs the training pass computed anyway (no extra
 * forward pass): accuracy for classification (argmax, or O >= 0.5 for a single output), mse and mae for
 * regression.
 */
export class MetricsAccumulator {
  private samples = 0;
  private correct = 0;
  private squared = 0;
  private absolute = 0;

  constructor(private readonly task: 'classification' | 'regression') {}

  /** Starts a new epoch. */
  reset(): void {
    this.samples = 0;
    this.correct = 0;
    this.squared = 0;
    this.absolute = 0;
  }

  /** Adds one batch of outputs O and targets t (`[B, K]` each). */
  add(output: Tensor, target: Tensor): void {
    const rows = output.rows;
    const k = output.cols;
    const o = output.data;
    const t = target.data;
    this.samples += rows;
    if (this.task === 'regression') {
      for (let i = 0; i < o.length; i++) {
        const d = o[i]! - t[i]!;
        this.squared += d * d;
        this.absolute += Math.abs(d);
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
    return prefix === '' ? { mse, mae } : { [`${prefix}Mse`]: mse, [`${prefix}Mae`]: mae };
  }
}

/**
 * The metrics of outputs O against targets t, as the trainer measures them every epoch: accuracy for
 * classification (argmax, or O >= 0.5 for a single output), mse and mae per output for regression. The one
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
