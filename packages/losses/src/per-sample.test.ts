import { Tensor } from '@deltaflow/tensor';
import type { TypedArray } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import type { PerSampleLossSpec } from './loss.js';
import { mse } from './mse.js';
import { perSample } from './per-sample.js';
import { lossGradientError, rng, uniformBatch } from './testing/support.js';

/** The lecture notes' mse as a plugin would write it, recording the row views it is given. */
function pluginMse(seen: TypedArray[] = []): PerSampleLossSpec {
  return {
    name: 'plugin-mse',
    f: (o, t) => {
      seen.push(o, t);
      let s = 0;
      for (let k = 0; k < o.length; k++) s += 0.5 * (o[k]! - t[k]!) ** 2;
      return s;
    },
    df: (o, t, out) => {
      seen.push(o, t, out);
      for (let k = 0; k < o.length; k++) out[k] = o[k]! - t[k]!;
    },
  };
}

describe('perSample', () => {
  const r = rng(9);
  const O = uniformBatch(r, 3, 4, -2, 2);
  const t = uniformBatch(r, 3, 4, -2, 2);

  it('averages f over the rows and divides df by the batch size, equal to the built-in it imitates', () => {
    const loss = perSample(pluginMse());
    expect(loss.name).toBe('plugin-mse');
    expect(loss.config).toEqual({});
    expect(loss.fused).toBeUndefined();
    expect(loss.forward(O, t)).toBeCloseTo(mse().forward(O, t), 15);
    const mine = Tensor.zeros([3, 4], 'float64');
    const builtin = Tensor.zeros([3, 4], 'float64');
    loss.backward(O, t, mine);
    mse().backward(O, t, builtin);
    expect(Array.from(mine.data)).toEqual(Array.from(builtin.data).map((g) => expect.closeTo(g, 15)));
  });

  it('hands f and df one row per sample, viewing the batch without copying', () => {
    const seen: TypedArray[] = [];
    const grad = Tensor.zeros([3, 4], 'float64');
    perSample(pluginMse(seen)).backward(O, t, grad);
    expect(seen).toHaveLength(9);
    expect(seen[0]!.buffer).toBe(O.data.buffer);
    expect(seen[3]!.byteOffset).toBe(4 * 8);
    expect(seen[8]!.buffer).toBe(grad.data.buffer); // out is the gradient's third row
    expect(seen[8]!.byteOffset).toBe(8 * 8);
  });

  it('reuses its row views across calls with the same buffers', () => {
    const first: TypedArray[] = [];
    const second: TypedArray[] = [];
    const spec = pluginMse(first);
    const loss = perSample(spec);
    const grad = Tensor.zeros([3, 4], 'float64');
    loss.forward(O, t);
    loss.backward(O, t, grad);
    const again = perSample({ ...pluginMse(second), name: 'other' });
    again.forward(O, t);
    again.backward(O, t, grad);
    loss.forward(O, t);
    loss.backward(O, t, grad);
    expect(first).toHaveLength(30);
    for (let i = 0; i < 15; i++) {
      expect(first[15 + i]).toBe(first[i]); // same object, not just equal
      expect(second[i]).toBe(first[i]);
    }
  });

  it('makes new views when the same data is seen with another row length', () => {
    const seen: TypedArray[] = [];
    const loss = perSample(pluginMse(seen));
    loss.forward(O, t);
    const E = loss.forward(O.reshape([2, 6]), t.reshape([2, 6]));
    expect(seen.at(-1)).toHaveLength(6);
    expect(E).toBeCloseTo((mse().forward(O, t) * 3) / 2, 14);
  });

  it('passes a float64 central-difference gradient check', () => {
    expect(lossGradientError(perSample(pluginMse()), O, t)).toBeLessThan(1e-6);
  });

  it('keeps the spec config and refuses mismatched shapes', () => {
    const loss = perSample({ ...pluginMse(), config: { scale: 2 } });
    expect(loss.config).toEqual({ scale: 2 });
    expect(() => loss.forward(Tensor.zeros([3, 4]), Tensor.zeros([4, 3]))).toThrow(
      /plugin-mse: output \[3, 4\] and target \[4, 3\] differ in shape/,
    );
  });
});
