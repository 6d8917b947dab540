import { Tensor } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import { adagrad } from './adagrad.js';
import type { AdagradOptions } from './adagrad.js';
import { Optimizer } from './optimizer.js';
import { expectClose, gradient, trajectory as run, w0 } from './testing/quadratic.js';

// A float64 parameter W of 3 values; dE/dW_i = a_i (W_i - c_i). Expected values follow torch.optim.Adagrad's
// documented algorithm, element by element.
const trajectory = (options: Partial<AdagradOptions>, steps = 3): number[][] => run(adagrad, options, steps);

/**
 * torch.optim.Adagrad, written out: etaT = eta / (1 + (t - 1) etaDecay); g <- g + lambda W;
 * sum <- sum + g^2 (sum starting at tau); W <- W - etaT g / (sqrt(sum) + eps).
 */
function byHand(eta: number, etaDecay: number, lambda: number, tau: number): number[][] {
  const eps = 1e-10;
  const expected: number[][] = [];
  let w = w0;
  let sum = [tau, tau, tau];
  for (let t = 1; t <= 3; t++) {
    const etaT = eta / (1 + (t - 1) * etaDecay);
    const g = gradient(w).map((gi, i) => gi + lambda * w[i]!);
    sum = sum.map((s, i) => s + g[i]! * g[i]!);
    w = w.map((wi, i) => wi - (etaT * g[i]!) / (Math.sqrt(sum[i]!) + eps));
    expected.push(w);
  }
  return expected;
}

describe('adagrad', () => {
  it("has torch's defaults", () => {
    expect(adagrad.defaults).toEqual({
      lr: 0.01,
      lrDecay: 0,
      weightDecay: 0,
      initialAccumulatorValue: 0,
      eps: 1e-10,
    });
  });

  it('plain', () => {
    expectClose(trajectory({ lr: 0.1 }), byHand(0.1, 0, 0, 0));
  });

  it('lr decay, weight decay and an initial accumulator value', () => {
    const options = { lr: 0.1, lrDecay: 0.5, weightDecay: 0.1, initialAccumulatorValue: 0.2 };
    expectClose(trajectory(options), byHand(0.1, 0.5, 0.1, 0.2));
  });

  it('refuses negative options, naming them', () => {
    const params = [{ name: 'w', value: Tensor.zeros([2]), grad: Tensor.zeros([2]) }];
    expect(() => new Optimizer(adagrad, params, { lrDecay: -1 })).toThrow(/lrDecay/);
    expect(() => new Optimizer(adagrad, params, { initialAccumulatorValue: -1 })).toThrow(
      /initialAccumulatorValue/,
    );
    expect(() => new Optimizer(adagrad, params, { eps: -1 })).toThrow(/eps/);
  });
});
