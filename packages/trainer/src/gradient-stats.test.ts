/**
 * EpochStatistics (what the training loop measures every epoch) gives gradientStats's numbers bit for bit, with
 * its own sums or with the fused path's, and says whether the weights are finite as weightsAreFinite does.
 */
import { getLoss } from '@deltaflow/losses';
import { FusedSmallNetwork, mlp } from '@deltaflow/network';
import type { Sequential } from '@deltaflow/network';
import { Random, Tensor } from '@deltaflow/tensor';
import type { DType } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import { EpochStatistics, WeightSnapshot, gradientStats, weightsAreFinite } from './gradient-stats.js';

function batch(model: Sequential, rows: number, seed: number, dtype: DType) {
  const rng = new Random(seed);
  const x = Tensor.zeros([rows, model.inputs], dtype);
  const t = Tensor.zeros([rows, model.outputs], dtype);
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.uniform() * 4 - 2;
  for (let i = 0; i < t.data.length; i++) t.data[i] = rng.uniform();
  return { x, t };
}

/** A few sgd steps; returns the pass of the last one (the fused path's, or the general one's). */
function steps(model: Sequential, fused: FusedSmallNetwork | null, dtype: DType) {
  const pass = model.createPass();
  for (let s = 0; s < 4; s++) {
    const { x, t } = batch(model, 5, s + 1, dtype);
    if (fused) {
      fused.forwardLoss(x, t, pass);
      fused.backward(t);
    } else {
      model.zeroGrad();
      model.forward(x, pass);
      model.backwardLoss(pass, t, getLoss('mse'));
    }
    for (const p of model.parameters()) {
      const v = p.value.data;
      for (let i = 0; i < v.length; i++) v[i]! -= 0.3 * p.grad.data[i]!;
    }
  }
  return pass;
}

describe('EpochStatistics', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    for (const source of ['its own sums', "the fused path's sums"]) {
      it(`equals gradientStats with ${source} (${dtype}), and advances the snapshot`, () => {
        const model = mlp({
          inputs: 3,
          layers: [{ units: 6, activation: 'tanh' }, { units: 4, activation: 'relu' }, { units: 2 }],
          seed: 11,
          dtype,
        });
        const start = new WeightSnapshot(model);
        const stats = new EpochStatistics(model, start);
        const fused = source === 'its own sums' ? null : FusedSmallNetwork.plan(model)!;
        const pass = steps(model, fused, dtype);
        const expected = gradientStats(model, start, pass);
        // the update ratio is measured against the snapshot made before the steps
        expect(expected.every((l) => l.updateRatio > 0)).toBe(true);
        expect(stats.measure(pass, fused ? fused.stats : null)).toEqual(expected);
        expect(stats.finite).toBe(true);
        // the weights measured are now the snapshot: the next epoch starts from them
        expect(stats.advanced).toBe(true);
        expect(start.toArrays()).toEqual(model.parameters().map((p) => Array.from(p.value.data)));
        expect(stats.measure(pass, null).every((l) => l.updateRatio === 0)).toBe(true);
        expect(gradientStats(model, start, pass)).toEqual(stats.measure(pass, null));
      });
    }
  }

  it('keeps one snapshot for a large model (no spare copy): the loop takes it at the epoch start', () => {
    const model = mlp({ inputs: 300, layers: [{ units: 256 }, { units: 2 }], seed: 2, dtype: 'float32' });
    const start = new WeightSnapshot(model);
    const stats = new EpochStatistics(model, start);
    const pass = steps(model, null, 'float32');
    const before = start.toArrays();
    const expected = gradientStats(model, start, pass);
    expect(stats.measure(pass, null)).toEqual(expected);
    expect(stats.finite).toBe(true);
    expect(stats.advanced).toBe(false);
    expect(start.toArrays()).toEqual(before);
  });

  it('says whether the weights are finite, as weightsAreFinite', () => {
    const model = mlp({ inputs: 2, layers: [{ units: 3 }, { units: 1 }], seed: 1, dtype: 'float64' });
    const start = new WeightSnapshot(model);
    const stats = new EpochStatistics(model, start);
    const pass = steps(model, null, 'float64');
    // squares that overflow with every weight finite: still finite
    model.layers[0]!.weights.data[1] = 1e200;
    stats.measure(pass, null);
    expect(stats.finite).toBe(true);
    expect(weightsAreFinite(model)).toBe(true);
    const finiteSnapshot = start.toArrays();
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      model.layers[1]!.bias.data[0] = bad;
      stats.measure(pass, null);
      expect(stats.finite).toBe(false);
      expect(weightsAreFinite(model)).toBe(false);
      // the snapshot keeps the last finite weights (what a diverged run puts back)
      expect(stats.advanced).toBe(false);
      expect(start.toArrays()).toEqual(finiteSnapshot);
    }
    model.layers[1]!.bias.data[0] = 0.5;
    model.layers[0]!.weights.data[1] = 0.5;
    stats.measure(pass, null);
    expect(stats.finite).toBe(true);
  });
});
