import { Tensor } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import { Optimizer } from './optimizer.js';
import { rmsprop } from './rmsprop.js';
import type { RmspropOptions } from './rmsprop.js';
import { expectClose, gradient, trajectory as run, w0 } from './testing/quadratic.js';

// A float64 parameter W of 3 values; dE/dW_i = a_i (W_i - c_i). Expected values follow torch.optim.RMSprop's
// documented algorithm, element by element.
const trajectory = (options: Partial<RmspropOptions>, steps = 3): number[][] => run(rmsprop, options, steps);

/**
 * torch.optim.RMSprop, written out: g <- g + lambda W; v <- alpha v + (1 - alpha) g^2; vTilde = v, minus gAvg^2
 * when centered (gAvg <- alpha gAvg + (1 - alpha) g); with momentum b <- mu b + g / (sqrt(vTilde) + eps) and
 * W <- W - eta b, else W <- W - eta g / (sqrt(vTilde) + eps).
 */
function byHand(o: {
  eta: number;
  alpha?: number;
  eps?: number;
  lambda?: number;
  mu?: number;
  centered?: boolean;
}) {
  const { eta, alpha = 0.99, eps = 1e-8, lambda = 0, mu = 0, centered = false } = o;
  const expected: number[][] = [];
  let w = w0;
  let v = [0, 0, 0];
  let gAvg = [0, 0, 0];
  let b = [0, 0, 0];
  for (let t = 1; t <= 3; t++) {
    const g = gradient(w).map((gi, i) => gi + lambda * w[i]!);
    v = v.map((vi, i) => alpha * vi + (1 - alpha) * g[i]! * g[i]!);
    gAvg = gAvg.map((x, i) => alpha * x + (1 - alpha) * g[i]!);
    const vTilde = v.map((vi, i) => (centered ? vi - gAvg[i]! * gAvg[i]! : vi));
    const scaled = g.map((gi, i) => gi / (Math.sqrt(vTilde[i]!) + eps));
    if (mu > 0) {
      b = b.map((bi, i) => mu * bi + scaled[i]!);
      w = w.map((wi, i) => wi - eta * b[i]!);
    } else {
      w = w.map((wi, i) => wi - eta * scaled[i]!);
    }
    expected.push(w);
  }
  return expected;
}

describe('rmsprop', () => {
  it("has torch's defaults", () => {
    expect(rmsprop.defaults).toEqual({
      lr: 0.01,
      alpha: 0.99,
      eps: 1e-8,
      weightDecay: 0,
      momentum: 0,
      centered: false,
    });
  });

  it('plain', () => {
    expectClose(trajectory({}), byHand({ eta: 0.01 }));
  });

  it('momentum', () => {
    expectClose(trajectory({ lr: 0.01, momentum: 0.9 }), byHand({ eta: 0.01, mu: 0.9 }));
  });

  it('centered', () => {
    expectClose(
      trajectory({ lr: 0.01, alpha: 0.9, centered: true }),
      byHand({ eta: 0.01, alpha: 0.9, centered: true }),
    );
  });

  it('centered with momentum and weight decay', () => {
    const options = { lr: 0.01, momentum: 0.5, centered: true, weightDecay: 0.1 };
    expectClose(trajectory(options), byHand({ eta: 0.01, mu: 0.5, centered: true, lambda: 0.1 }));
  });

  it('refuses negative alpha, eps, momentum and weight decay, naming them', () => {
    const params = [{ name: 'w', value: Tensor.zeros([2]), grad: Tensor.zeros([2]) }];
    expect(() => new Optimizer(rmsprop, params, { alpha: -0.1 })).toThrow(/alpha/);
    expect(() => new Optimizer(rmsprop, params, { eps: -1 })).toThrow(/eps/);
    expect(() => new Optimizer(rmsprop, params, { momentum: -1 })).toThrow(/momentum/);
    expect(() => new Optimizer(rmsprop, params, { weightDecay: -1 })).toThrow(/weightDecay/);
  });
});
