import { Tensor } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import { huber } from './huber.js';
import { lossGradientError, rng, thrown, uniformBatch } from './testing/support.js';

const f64 = (rows: number[][]): Tensor => Tensor.fromNested(rows, 'float64');

describe('huber', () => {
  it('is 1/2 d^2 inside delta and delta (|d| - delta / 2) outside, summed over k', () => {
    const O = f64([
      [0.5, 3],
      [-2, 0],
    ]);
    const t = f64([
      [0, 0],
      [0, 0.25],
    ]);
    // sample 1: 0.5 * 0.25 + 1 * (3 - 0.5) = 2.625; sample 2: 1 * (2 - 0.5) + 0.5 * 0.0625 = 1.53125
    expect(huber().forward(O, t)).toBe((2.625 + 1.53125) / 2);
    // delta 4: everything inside; sample 1: 0.125 + 4.5; sample 2: 2 + 0.03125
    expect(huber({ delta: 4 }).forward(O, t)).toBe((4.625 + 2.03125) / 2);
  });

  it('writes d / B inside delta and delta sign(d) / B outside', () => {
    const grad = Tensor.zeros([1, 4], 'float64');
    huber({ delta: 2 }).backward(f64([[1, -1.5, 3, -7]]), f64([[0, 0, 0, 0]]), grad);
    expect(Array.from(grad.data)).toEqual([1, -1.5, 2, -2]);
  });

  it('matches PyTorch, with the default delta and with delta 2', () => {
    const O = f64([
      [0.5, -1.2, 2.0],
      [3.1, 0.25, -0.4],
    ]);
    const t = f64([
      [0.0, 0.3, 0.5],
      [1.0, 0.5, -2.5],
    ]);
    const grad = Tensor.zeros([2, 3], 'float64');
    // torch.nn.HuberLoss(reduction='sum')(O, t) / B, float64; grad by autograd
    expect(huber().forward(O, t)).toBeCloseTo(2.678125, 14);
    huber().backward(O, t, grad);
    expect(Array.from(grad.data)).toEqual(
      [0.25, -0.5, 0.5, 0.5, -0.125, 0.5].map((g) => expect.closeTo(g, 14)),
    );
    // torch.nn.HuberLoss(reduction='sum', delta=2.0)(O, t) / B
    expect(huber({ delta: 2 }).forward(O, t)).toBeCloseTo(3.403125, 14);
    huber({ delta: 2 }).backward(O, t, grad);
    expect(Array.from(grad.data)).toEqual(
      [0.25, -0.75, 0.75, 1, -0.125, 1].map((g) => expect.closeTo(g, 14)),
    );
  });

  it('passes a float64 central-difference gradient check on both sides of delta', () => {
    const r = rng(3);
    for (const delta of [1, 0.5]) {
      const O = uniformBatch(r, 3, 4, -2, 2);
      const t = uniformBatch(r, 3, 4, -2, 2);
      expect(lossGradientError(huber({ delta }), O, t)).toBeLessThan(1e-6);
    }
  });

  it('keeps its config and refuses unknown keys and bad deltas', () => {
    expect(huber().config).toEqual({ delta: 1 });
    expect(huber({ delta: 0.5 }).config).toEqual({ delta: 0.5 });
    const unknown = thrown(() => huber({ beta: 1 } as never));
    expect(unknown).toMatchObject({ code: 'E_CONFIG' });
    expect((unknown as Error).message).toMatch(/The loss 'huber' has no config key 'beta'.* Its keys: delta/);
    expect(() => huber({ delta: -1 })).toThrow(/positive finite/);
    expect(() => huber({ delta: '1' } as never)).toThrow(
      /The loss 'huber': config key 'delta' must be a finite number/,
    );
  });
});
