import { Tensor } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import { mse } from './mse.js';
import { lossGradientError, rng, thrown, uniformBatch } from './testing/support.js';

const f64 = (rows: number[][]): Tensor => Tensor.fromNested(rows, 'float64');

describe('mse', () => {
  it('gives the E of the worked example of the lecture notes, 1/2 sum_k (O_k - t_k)^2', () => {
    const E = mse().forward(f64([[0.75136507, 0.772928465]]), f64([[0.01, 0.99]]));
    const byHand = 0.5 * ((0.75136507 - 0.01) ** 2 + (0.772928465 - 0.99) ** 2);
    expect(E).toBeCloseTo(byHand, 15);
    expect(E).toBeCloseTo(0.298371109, 9);
  });

  it('averages the per-sample errors over the batch', () => {
    const E = mse().forward(
      f64([
        [1, 2],
        [0, 0],
      ]),
      f64([
        [0, 0],
        [0, 1],
      ]),
    );
    // sample 1: 1/2 (1 + 4) = 2.5; sample 2: 1/2 (0 + 1) = 0.5; mean 1.5
    expect(E).toBe(1.5);
  });

  it('writes dE/dO = (O - t) / B, the seed gradient O - t divided by the batch size', () => {
    const grad = Tensor.zeros([2, 2], 'float64');
    mse().backward(
      f64([
        [1, 2],
        [0, 0],
      ]),
      f64([
        [0, 0],
        [0, 1],
      ]),
      grad,
    );
    expect(grad.toNested()).toEqual([
      [0.5, 1],
      [0, -0.5],
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
    // torch.nn.MSELoss(reduction='sum')(O, t) / (2 * B), float64; grad by autograd
    expect(mse().forward(O, t)).toBeCloseTo(3.408125, 14);
    mse().backward(O, t, grad);
    expect(Array.from(grad.data)).toEqual(
      [0.25, -0.75, 0.75, 1.05, -0.125, 1.05].map((g) => expect.closeTo(g, 14)),
    );
  });

  it('passes a float64 central-difference gradient check', () => {
    const r = rng(1);
    const O = uniformBatch(r, 3, 4, -2, 2);
    const t = uniformBatch(r, 3, 4, -2, 2);
    expect(lossGradientError(mse(), O, t)).toBeLessThan(1e-6);
  });

  it('refuses an output and target of different shapes, naming both', () => {
    const error = thrown(() => mse().forward(Tensor.zeros([3, 4]), Tensor.zeros([3, 2])));
    expect(error).toMatchObject({ name: 'DeltaflowError', code: 'E_SHAPE' });
    expect((error as Error).message).toMatch(/output \[3, 4\] and target \[3, 2\]/);
    expect(() => mse().backward(Tensor.zeros([3, 4]), Tensor.zeros([3, 4]), Tensor.zeros([4, 3]))).toThrow(
      /grad \[4, 3\] must have the output's shape \[3, 4\]/,
    );
    expect(() => mse().forward(Tensor.zeros([0, 4]), Tensor.zeros([0, 4]))).toThrow(/has no samples/);
  });

  it('treats a rank-1 tensor as one sample and works in float32', () => {
    expect(mse().forward(Tensor.fromNested([1, 3]), Tensor.fromNested([0, 1]))).toBe(2.5);
  });
});
