import { Tensor } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import { MetricsAccumulator, computeMetrics } from './metrics.js';

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
