import { activations, getActivation } from '@deltaflow/activations';
import { gradientCheck, installPlugin, mlp, modelFromJSON, modelToJSON } from '@deltaflow/network';
import { Random, Tensor } from '@deltaflow/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import activationsPlugin from './index.js';

const names = ['mish', 'softsign', 'hard-sigmoid'];

beforeAll(() => installPlugin(activationsPlugin));
afterAll(() => names.forEach((name) => activations.unregister(name)));

/** A [8, 3] float64 batch of inputs in [-2, 2] and [8, 2] targets in [0, 1]. */
function data(): { x: Tensor; t: Tensor } {
  const rng = new Random(7);
  const x = Tensor.fromArray(
    Float64Array.from({ length: 24 }, () => rng.range(-2, 2)),
    [8, 3],
  );
  const t = Tensor.fromArray(
    Float64Array.from({ length: 16 }, () => rng.range(0, 1)),
    [8, 2],
  );
  return { x, t };
}

describe('the plugin, installed with one call', () => {
  it('registers its three activations under its name', () => {
    for (const name of names) {
      expect(activations.source(name)).toBe('@deltaflow/plugin-activations');
      expect(getActivation(name).name).toBe(name);
    }
  });

  it.each(names)('%s passes gradientCheck in a 3-5-4-2 network (float64)', (name) => {
    const model = mlp({
      inputs: 3,
      layers: [
        { units: 5, activation: name },
        { units: 4, activation: name },
        { units: 2, activation: 'sigmoid' },
      ],
      seed: 3,
      dtype: 'float64',
    });
    const { x, t } = data();
    const { worst } = gradientCheck(model, x, t, 'mse');
    expect(worst).toBeLessThan(1e-6);
  });

  it('round-trips through the model file', () => {
    const model = mlp({
      inputs: 3,
      layers: [
        { units: 4, activation: 'mish' },
        { units: 2, activation: 'softsign' },
      ],
    });
    const again = modelFromJSON(JSON.parse(JSON.stringify(modelToJSON(model))));
    expect(again.layers.map((layer) => layer.activation.name)).toEqual(['mish', 'softsign']);
  });
});
