/**
 * The sums the fused backward takes on the way (`FusedSmallNetwork.stats`) are those of the buffers it wrote:
 * sum and max of |delta| and the squared gradients, in index order, bit for bit.
 */
import { getLoss } from '@deltaflow/losses';
import { Random, Tensor } from '@deltaflow/tensor';
import type { DType, TypedArray } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import { mlp } from '../sequential.js';
import type { LayerSpec } from '../sequential.js';
import { FusedSmallNetwork } from './small-network.js';

function squares(g: TypedArray): number {
  let s = 0;
  for (let i = 0; i < g.length; i++) s += g[i]! * g[i]!;
  return s;
}

const CASES: { layers: LayerSpec[]; dtype: DType }[] = [
  { layers: [{ units: 4 }, { units: 1 }], dtype: 'float32' },
  {
    layers: [
      { units: 6, activation: 'tanh' },
      { units: 5, activation: 'relu' },
      { units: 2, activation: 'linear' },
    ],
    dtype: 'float64',
  },
];

describe('FusedSmallNetwork.stats', () => {
  for (const { layers, dtype } of CASES) {
    it(`are the sums of the stored deltas and gradients (${layers.map((l) => l.activation ?? 'sigmoid').join('/')}, ${dtype})`, () => {
      const model = mlp({ inputs: 3, layers, seed: 5, dtype });
      const rng = new Random(9);
      const rows = 5;
      const x = Tensor.zeros([rows, 3], dtype);
      const t = Tensor.zeros([rows, model.outputs], dtype);
      for (let i = 0; i < x.data.length; i++) x.data[i] = rng.uniform() * 4 - 2;
      for (let i = 0; i < t.data.length; i++) t.data[i] = rng.uniform();
      const fused = FusedSmallNetwork.plan(model)!;
      const pass = model.createPass();
      for (let step = 0; step < 3; step++) {
        fused.forwardLoss(x, t, pass);
        fused.backward(t);
        pass.layers.forEach((p, l) => {
          const d = p.delta.data;
          let sum = 0;
          let max = 0;
          for (let i = 0; i < d.length; i++) {
            const a = Math.abs(d[i]!);
            sum += a;
            if (a > max) max = a;
          }
          const layer = model.layers[l]!;
          expect(fused.stats[3 * l]).toBe(sum);
          expect(fused.stats[3 * l + 1]).toBe(max);
          expect(fused.stats[3 * l + 2]).toBe(
            0 + squares(layer.weightGrad.data) + squares(layer.biasGrad.data),
          );
        });
        // and the gradients are the general path's
        const general = model.createPass();
        const grads = model.layers.map((l) => [Array.from(l.weightGrad.data), Array.from(l.biasGrad.data)]);
        model.zeroGrad();
        model.forward(x, general);
        model.backwardLoss(general, t, getLoss('mse'));
        expect(model.layers.map((l) => [Array.from(l.weightGrad.data), Array.from(l.biasGrad.data)])).toEqual(
          grads,
        );
        for (const layer of model.layers) {
          for (let i = 0; i < layer.weights.data.length; i++)
            layer.weights.data[i]! -= 0.1 * layer.weightGrad.data[i]!;
        }
      }
    });
  }
});
