import { Tensor } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import type { AdamOptions } from './adam.js';
import { adamw } from './adamw.js';
import { Optimizer } from './optimizer.js';
import { expectClose, gradient, trajectory as run, w0 } from './testing/quadratic.js';

// A float64 parameter W of 3 values; dE/dW_i = a_i (W_i - c_i). Expected values follow torch.optim.AdamW's
// documented algorithm (decoupled weight decay), element by element.
const trajectory = (options: Partial<AdamOptions>, steps = 3): number[][] => run(adamw, options, steps);

/**
 * torch.optim.AdamW, written out: g = dE/dW at the current W; W <- W - eta lambda W; then Adam without L2:
 * m <- beta1 m + (1 - beta1) g; v <- beta2 v + (1 - beta2) g^2 (max(vMax, v) under amsgrad);
 * W <- W - eta (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps).
 */
function byHand(eta: number, beta1: number, beta2: number, lambda: number, amsgrad: boolean): number[][] {
  const eps = 1e-8;
  const expected: number[][] = [];
  let w = w0;
  let m = [0, 0, 0];
  let v = [0, 0, 0];
  let vMax = [0, 0, 0];
  for (let t = 1; t <= 3; t++) {
    const g = gradient(w);
    w = w.map((wi) => wi - eta * lambda * wi);
    m = m.map((mi, i) => beta1 * mi + (1 - beta1) * g[i]!);
    v = v.map((vi, i) => beta2 * vi + (1 - beta2) * g[i]! ** 2);
    vMax = vMax.map((x, i) => Math.max(x, v[i]!));
    const second = amsgrad ? vMax : v;
    w = w.map(
      (wi, i) => wi - (eta * (m[i]! / (1 - beta1 ** t))) / (Math.sqrt(second[i]! / (1 - beta2 ** t)) + eps),
    );
    expected.push(w);
  }
  return expected;
}

describe('adamw', () => {
  it("has torch's defaults (weight decay 0.01)", () => {
    expect(adamw.defaults).toEqual({
      lr: 0.001,
      beta1: 0.9,
      beta2: 0.999,
      eps: 1e-8,
      weightDecay: 0.01,
      amsgrad: false,
    });
  });

  it('decoupled decay with the default weightDecay', () => {
    expectClose(trajectory({ lr: 0.1 }), byHand(0.1, 0.9, 0.999, 0.01, false));
  });

  it('large decay with amsgrad', () => {
    expectClose(
      trajectory({ lr: 0.7, beta2: 0.9, weightDecay: 0.5, amsgrad: true }),
      byHand(0.7, 0.9, 0.9, 0.5, true),
    );
  });

  it('differs from adam with L2 weight decay', () => {
    const decoupled = trajectory({ lr: 0.1, weightDecay: 0.5 });
    expect(decoupled[0]![0]).not.toBeCloseTo(byHand(0.1, 0.9, 0.999, 0, false)[0]![0]!, 6);
  });

  it('refuses bad betas naming them', () => {
    const params = [{ name: 'w', value: Tensor.zeros([2]), grad: Tensor.zeros([2]) }];
    expect(() => new Optimizer(adamw, params, { beta2: 1 })).toThrow(/adamw.*beta2/);
  });
});
