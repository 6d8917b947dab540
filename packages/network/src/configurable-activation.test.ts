import { activations, getActivation } from '@deltaflow/activations';
import { DeltaflowError } from '@deltaflow/core';
import { Tensor } from '@deltaflow/tensor';
import { afterEach, describe, expect, it } from 'vitest';
import { gradientCheck } from './gradient-check.js';
import { modelFromJSON, modelToJSON } from './model-json.js';
import { installPlugin } from './plugin.js';
import { mlp } from './sequential.js';

// A configurable activation as a plugin author writes it with nothing imported: create returns { f, df } only.
// isru: f(x) = x / sqrt(1 + a x^2), f'(x) = (1 / sqrt(1 + a x^2))^3.
const isru = {
  name: 'isru-test',
  defaults: { a: 1 },
  create: ({ a }: { a: number }) => {
    if (!(a > 0)) throw new RangeError(`a must be positive, got ${a}`);
    return {
      f: (x: number) => x / Math.sqrt(1 + a * x * x),
      df: (x: number) => (1 / Math.sqrt(1 + a * x * x)) ** 3,
    };
  },
};

afterEach(() => activations.unregister('isru-test'));

function errorOf(fn: () => unknown): DeltaflowError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DeltaflowError);
    return error as DeltaflowError;
  }
  throw new Error('expected a DeltaflowError');
}

describe('configurable plugin activations', () => {
  it('a create returning { f, df } alone is wrapped into a full activation with the name and config', () => {
    installPlugin({ name: 'isru-plugin', activations: [isru] });
    const activation = getActivation({ name: 'isru-test', config: { a: 0.5 } });
    expect(activation.name).toBe('isru-test');
    expect(activation.config).toEqual({ a: 0.5 });
    const x = Tensor.fromNested([[-2, 0, 3]], 'float64');
    const out = Tensor.zeros([1, 3], 'float64');
    activation.forward(x, out);
    expect(Array.from(out.data)).toEqual([-2 / Math.sqrt(3), 0, 3 / Math.sqrt(5.5)]);
    expect(getActivation('isru-test').config).toEqual({ a: 1 });
  });

  it('trains, passes the gradient check, and round-trips through a model file with its config', () => {
    installPlugin({ name: 'isru-plugin', activations: [isru] });
    const model = mlp({
      inputs: 2,
      layers: [{ units: 3, activation: { name: 'isru-test', config: { a: 0.25 } } }, { units: 1 }],
      seed: 3,
      dtype: 'float64',
    });
    const inputs = Tensor.fromNested(
      [
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
      ],
      'float64',
    );
    const targets = Tensor.fromNested([[0], [1], [1], [0]], 'float64');
    expect(gradientCheck(model, inputs, targets, 'mse').worst).toBeLessThan(1e-6);
    const json = modelToJSON(model);
    expect((json.layers[0] as { activation?: unknown }).activation).toEqual({
      name: 'isru-test',
      config: { a: 0.25 },
    });
    const back = modelFromJSON(JSON.parse(JSON.stringify(json)));
    expect(Array.from(back.forward(inputs).data)).toEqual(Array.from(model.forward(inputs).data));
  });

  it('a plain Error thrown in create at use names the plugin, the entry and create', () => {
    installPlugin({ name: 'isru-plugin', activations: [isru] });
    const error = errorOf(() => getActivation({ name: 'isru-test', config: { a: -1 } }));
    expect(error.code).toBe('E_PLUGIN_THREW');
    expect(error.message).toBe(
      "The activation 'isru-test' of the plugin 'isru-plugin' failed: its create threw RangeError: a must be " +
        'positive, got -1; fix the plugin, or run without it.',
    );
    // in a model file, the layer is named too
    const file = {
      format: 'deltaflow-model',
      version: 1,
      layers: [
        {
          type: 'dense',
          inputs: 1,
          units: 1,
          activation: { name: 'isru-test', config: { a: -1 } },
          weights: [[1]],
          bias: [0],
        },
      ],
    };
    expect(errorOf(() => modelFromJSON(file, 'm.json')).message).toMatch(
      /^Model m\.json: layers\[0\]\.activation is not usable: The activation 'isru-test' of the plugin 'isru-plugin' failed/,
    );
  });

  it('a factory building the wrong shape is refused at install, naming the plugin and the entry', () => {
    const broken = { ...isru, create: () => ({ forward: () => undefined }) };
    const error = errorOf(() => installPlugin({ name: 'broken-plugin', activations: [broken as never] }));
    expect(error.code).toBe('E_DEFINITION');
    expect(error.message).toBe(
      "The plugin 'broken-plugin' was not installed (nothing of it is registered): activations[0] 'isru-test' " +
        'is malformed: its create({ a: 1 }) returned an activation without both forward and backward.',
    );
    expect(activations.has('isru-test')).toBe(false);
  });
});
