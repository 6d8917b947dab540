import { DeltaflowError, Tensor } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import { adam } from './adam.js';
import type { AdamOptions } from './adam.js';
import { Optimizer } from './optimizer.js';
import { expectClose, gradient, trajectory as run, w0 } from './testing/quadratic.js';

// A float64 parameter W of 3 values; dE/dW_i = a_i (W_i - c_i), the gradient of E = sum_i a_i/2 (W_i - c_i)^2.
// Expected values follow torch.optim.Adam's documented algorithm, element by element.
const trajectory = (options: Partial<AdamOptions>, steps = 3): number[][] => run(adam, options, steps);

/**
 * torch.optim.Adam, written out: g <- g + lambda W; m <- beta1 m + (1 - beta1) g; v <- beta2 v + (1 - beta2) g^2;
 * mHat = m / (1 - beta1^t); vHat = v / (1 - beta2^t) (with v replaced by max(vMax, v) under amsgrad);
 * W <- W - eta mHat / (sqrt(vHat) + eps).
 */
function byHand(
  eta: number,
  beta1: number,
  beta2: number,
  eps: number,
  lambda: number,
  amsgrad: boolean,
): number[][] {
  const expected: number[][] = [];
  let w = w0;
  let m = [0, 0, 0];
  let v = [0, 0, 0];
  let vMax = [0, 0, 0];
  for (let t = 1; t <= 3; t++) {
    const g = gradient(w).map((gi, i) => gi + lambda * w[i]!);
    m = m.map((mi, i) => beta1 * mi + (1 - beta1) * g[i]!);
    v = v.map((vi, i) => beta2 * vi + (1 - beta2) * g[i]! * g[i]!);
    vMax = vMax.map((x, i) => Math.max(x, v[i]!));
    const second = amsgrad ? vMax : v;
    const mHat = m.map((mi) => mi / (1 - beta1 ** t));
    const vHat = second.map((vi) => vi / (1 - beta2 ** t));
    w = w.map((wi, i) => wi - (eta * mHat[i]!) / (Math.sqrt(vHat[i]!) + eps));
    expected.push(w);
  }
  return expected;
}

describe('adam', () => {
  it("has torch's defaults", () => {
    expect(adam.defaults).toEqual({
      lr: 0.001,
      beta1: 0.9,
      beta2: 0.999,
      eps: 1e-8,
      weightDecay: 0,
      amsgrad: false,
    });
  });

  it('plain, with defaults but lr', () => {
    expectClose(trajectory({ lr: 0.1 }), byHand(0.1, 0.9, 0.999, 1e-8, 0, false));
  });

  it('the first step moves every weight by about eta against the gradient sign', () => {
    const [first] = trajectory({ lr: 0.1 }, 1);
    // mHat = g, vHat = g^2, so W1 = W0 - eta g / (|g| + eps)
    expectClose(
      [first!],
      [w0.map((wi, i) => wi - (0.1 * gradient(w0)[i]!) / (Math.abs(gradient(w0)[i]!) + 1e-8))],
    );
  });

  it('amsgrad uses the running maximum of v (and that changes the result here)', () => {
    const actual = trajectory({ lr: 0.7, beta2: 0.9, amsgrad: true });
    expectClose(actual, byHand(0.7, 0.9, 0.9, 1e-8, 0, true));
    expect(actual[2]![0]).not.toBeCloseTo(trajectory({ lr: 0.7, beta2: 0.9 })[2]![0]!, 6);
  });

  it('weight decay is L2 added to the gradient', () => {
    expectClose(trajectory({ lr: 0.1, weightDecay: 0.1 }), byHand(0.1, 0.9, 0.999, 1e-8, 0.1, false));
  });

  it('other betas and eps', () => {
    expectClose(
      trajectory({ lr: 0.05, beta1: 0.5, beta2: 0.8, eps: 0.01 }),
      byHand(0.05, 0.5, 0.8, 0.01, 0, false),
    );
  });

  it('refuses betas outside [0, 1), negative eps or weight decay, naming the option', () => {
    const params = [{ name: 'w', value: Tensor.zeros([2]), grad: Tensor.zeros([2]) }];
    for (const [options, name] of [
      [{ beta1: 1 }, /beta1/],
      [{ beta1: -0.1 }, /beta1/],
      [{ beta2: 1.5 }, /beta2/],
      [{ eps: -1 }, /eps/],
      [{ weightDecay: -0.1 }, /weightDecay/],
      [{ lr: -1 }, /lr/],
    ] as [Partial<AdamOptions>, RegExp][]) {
      expect(() => new Optimizer(adam, params, options)).toThrow(DeltaflowError);
      expect(() => new Optimizer(adam, params, options)).toThrow(name);
    }
  });
});
