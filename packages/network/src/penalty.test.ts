import { Random, Tensor } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import { gradientCheck } from './gradient-check.js';
import { modelFromJSON } from './model-json.js';
import { Penalty } from './penalty.js';
import { mlp } from './sequential.js';

/** 1 -> 2 -> 1 with W^(1) = [1, -2], W^(2) = [0.5, -0.25], biases 0.3 and -0.1 (not penalised). */
const tiny = () =>
  modelFromJSON({
    format: 'deltaflow-model',
    version: 1,
    dtype: 'float64',
    layers: [
      { type: 'dense', inputs: 1, units: 2, activation: 'tanh', weights: [[1, -2]], bias: [0.3, 0.3] },
      { type: 'dense', inputs: 2, units: 1, activation: 'linear', weights: [[0.5], [-0.25]], bias: [-0.1] },
    ],
  });

describe('L1 and L2 penalties', () => {
  it('value: lambda_1 sum |W| + lambda_2 / 2 sum W^2, by hand, global and per layer; biases not included', () => {
    const model = tiny();
    // sum |W| = 1 + 2 + 0.5 + 0.25 = 3.75; sum W^2 = 1 + 4 + 0.25 + 0.0625 = 5.3125
    expect(new Penalty(model, { l1: 0.1, l2: 0.2 }).value()).toBeCloseTo(0.1 * 3.75 + 0.1 * 5.3125, 15);
    // per layer: l1 on layer 0 only (0.1 * 3), l2 on layer 1 only (0.2 / 2 * 0.3125)
    expect(new Penalty(model, { l1: [0.1, 0], l2: [0, 0.2] }).value()).toBeCloseTo(0.3 + 0.03125, 15);
    expect(new Penalty(model).value()).toBe(0);
    expect(new Penalty(model).active).toBe(false);
  });

  it('gradient: dE/dW += lambda_1 sign(W) + lambda_2 W, by hand', () => {
    const model = tiny();
    model.zeroGrad();
    new Penalty(model, { l1: [0.1, 0], l2: [0, 0.2] }).addGradients();
    expect(Array.from(model.layers[0]!.weightGrad.data)).toEqual([0.1, -0.1]);
    expect(Array.from(model.layers[1]!.weightGrad.data)).toEqual([0.1, -0.05]);
    expect(Array.from(model.layers[0]!.biasGrad.data)).toEqual([0, 0]);
  });

  it('gradient check passes below 1e-6 with L1, L2, both, per layer, and with dropout (frozen mask)', () => {
    const model = mlp({
      inputs: 3,
      layers: [
        { units: 5, activation: 'tanh', dropout: 0.3 },
        { units: 4, activation: 'sigmoid' },
        { units: 2, activation: 'linear' },
      ],
      seed: 4,
      dtype: 'float64',
    });
    const rng = new Random(8);
    const x = Tensor.fromNested(
      Array.from({ length: 6 }, () => [rng.range(-1, 1), rng.range(-1, 1), rng.range(-1, 1)]),
      'float64',
    );
    const t = Tensor.fromNested(
      Array.from({ length: 6 }, () => [rng.range(-1, 1), rng.range(-1, 1)]),
      'float64',
    );
    const penalties = [
      { l1: 0.05 },
      { l2: 0.3 },
      { l1: 0.02, l2: 0.1 },
      { l1: [0.1, 0, 0.01], l2: [0, 0.5, 0.2] },
    ];
    for (const penalty of penalties) {
      for (const dropoutMask of [undefined, 3]) {
        const result = gradientCheck(model, x, t, 'mse', { penalty, dropoutMask });
        expect(result.worst, JSON.stringify({ penalty, dropoutMask })).toBeLessThan(1e-6);
        expect(result.atKink).toBe(0);
      }
    }
  });

  it('refuses negative rates and lists of the wrong length, naming the option', () => {
    const model = tiny();
    expect(() => new Penalty(model, { l2: -1 })).toThrow(/`l2` rates must be numbers >= 0/);
    expect(() => new Penalty(model, { l1: [0.1] })).toThrow(/`l1` has 1 rates but the model has 2 layers/);
  });

  it('toJSON gives one rate when all layers share it, else the list', () => {
    const model = tiny();
    expect(new Penalty(model, { l1: 0.1, l2: [0, 0.2] }).toJSON()).toEqual({ l1: 0.1, l2: [0, 0.2] });
    expect(new Penalty(model, {}).toJSON()).toEqual({});
  });
});
