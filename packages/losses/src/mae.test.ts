import { Tensor } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import { mae } from './mae.js';
import { lossGradientError, rng, uniformBatch } from './testing/support.js';

const f64 = (rows: number[][]): Tensor => Tensor.fromNested(rows, 'float64');

describe('mae', () => {
  it('sums |O_k - t_k| over a sample and averages over the batch', () => {
    // sample 1: |1 - 0| + |2 - 4| = 3; sample 2: |0.5 - 0| + |0 - 0| = 0.5; mean 1.75
    expect(
      mae().forward(
        f64([
          [1, 2],
          [0.5, 0],
        ]),
        f64([
          [0, 4],
          [0, 0],
        ]),
      ),
    ).toBe(1.75);
  });

  it('writes sign(O - t) / B, and 0 where O = t', () => {
    const grad = Tensor.zeros([2, 2], 'float64');
    mae().backward(
      f64([
        [1, 2],
        [0.5, 0],
      ]),
      f64([
        [0, 4],
        [0, 0],
      ]),
      grad,
    );
    expect(grad.toNested()).toEqual([
      [0.5, -0.5],
      [0.5, 0],
    ]);
  });

  it('matches PyTorch', () => {
    const O = f64([
      [0.5, -1.2, 2.0],
      [3.1, 0.25, -0.4],
    ]);
    const t = f64([
      [0.0, 0.3, 0.5],
      [1.0, 0.5, -2.5],
    ]);
    const grad = Tensor.zeros([2, 3], 'float64');
    // torch.nn.L1Loss(reduction='sum')(O, t) / B, float64; grad by autograd
    expect(mae().forward(O, t)).toBeCloseTo(3.975, 14);
    mae().backward(O, t, grad);
    expect(Array.from(grad.data)).toEqual([0.5, -0.5, 0.5, 0.5, -0.5, 0.5]);
  });

  it('passes a float64 central-difference gradient check', () => {
    const r = rng(2);
    const O = uniformBatch(r, 3, 4, -2, 2);
    const t = uniformBatch(r, 3, 4, -2, 2);
    expect(lossGradientError(mae(), O, t)).toBeLessThan(1e-6);
  });

  it('refuses mismatched shapes', () => {
    expect(() => mae().forward(Tensor.zeros([2, 3]), Tensor.zeros([3, 2]))).toThrow(
      /mae: output \[2, 3\] and target \[3, 2\]/,
    );
  });
});
