import { describe, expect, it } from 'vitest';
import type { Loss } from '../loss.js';
import { mse } from '../mse.js';
import { perSample } from '../per-sample.js';
import { lossGradientError, maxRelativeError, numericGradient, rng, uniformBatch } from './support.js';

describe('the gradient check used by these tests', () => {
  it('differentiates a known function', () => {
    const x = new Float64Array([1, -2, 0.5]);
    const g = numericGradient(() => x[0]! ** 3 + Math.sin(x[1]!) + Math.exp(x[2]!), x);
    expect(maxRelativeError(g, [3, Math.cos(-2), Math.exp(0.5)])).toBeLessThan(1e-9);
    expect(Array.from(x)).toEqual([1, -2, 0.5]);
  });

  it('catches a wrong gradient: mse without the 1/B, or without the 1/2 in E', () => {
    const r = rng(10);
    const O = uniformBatch(r, 3, 4, -2, 2);
    const t = uniformBatch(r, 3, 4, -2, 2);
    const right = mse();
    const wrong: Loss = {
      ...right,
      backward: (o, tt, g) => {
        right.backward(o, tt, g);
        for (let i = 0; i < g.size; i++) g.data[i] = g.data[i]! * 3; // as if B were left out
      },
    };
    expect(lossGradientError(wrong, O, t)).toBeGreaterThan(0.5);
    const noHalf = perSample({
      name: 'no-half',
      f: (o, tt) => {
        let s = 0;
        for (let k = 0; k < o.length; k++) s += (o[k]! - tt[k]!) ** 2;
        return s;
      },
      df: (o, tt, out) => {
        for (let k = 0; k < o.length; k++) out[k] = o[k]! - tt[k]!;
      },
    });
    expect(lossGradientError(noHalf, O, t)).toBeGreaterThan(0.4);
  });
});
