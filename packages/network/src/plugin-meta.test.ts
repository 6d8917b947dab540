import { activations } from '@deltaflow/activations';
import { DeltaflowError, pluginRegistries } from '@deltaflow/core';
import { afterEach, describe, expect, it } from 'vitest';
import { modelFromJSON, modelToJSON } from './model-json.js';
import { installPlugin } from './plugin.js';
import { pluginSources } from './plugin-meta.js';
import { mlp } from './sequential.js';

const plugin = {
  name: '@acme/deltaflow-cube',
  activations: [{ name: 'cube-meta', f: (x: number) => x ** 3, df: (x: number) => 3 * x * x }],
  optimizers: [{ name: 'noop-meta', defaults: { lr: 0.1 }, init: () => ({}), update: () => undefined }],
};

afterEach(() => {
  activations.unregister('cube-meta');
  pluginRegistries.optimizer.unregister('noop-meta');
});

describe('meta.plugins', () => {
  it('names the plugin of every name that is not built in, by kind', () => {
    expect(pluginSources({ activation: ['sigmoid', 'tanh'], loss: ['mse'], optimizer: ['sgd'] })).toBe(
      undefined,
    );
    installPlugin(plugin);
    expect(
      pluginSources({ activation: ['sigmoid', 'cube-meta'], loss: ['mse'], optimizer: ['noop-meta'] }),
    ).toEqual({
      activation: { 'cube-meta': '@acme/deltaflow-cube' },
      optimizer: { 'noop-meta': '@acme/deltaflow-cube' },
    });
  });

  it('a model file whose activation is missing names the plugin its meta recorded', () => {
    installPlugin(plugin);
    const model = mlp({ inputs: 1, layers: [{ units: 1, activation: 'cube-meta' }], seed: 1 });
    const json = modelToJSON(model, {
      plugins: pluginSources({ activation: ['cube-meta'] }),
    });
    activations.unregister('cube-meta');
    let error: unknown;
    try {
      modelFromJSON(JSON.parse(JSON.stringify(json)), 'cube.json');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DeltaflowError);
    expect((error as DeltaflowError).message).toMatch(
      /^Model cube\.json: layers\[0\]\.activation is not usable: Unknown activation 'cube-meta'; .*; the model was saved with 'cube-meta' from the plugin @acme\/deltaflow-cube: load that plugin first \(installPlugin, or --plugin @acme\/deltaflow-cube\)\.$/,
    );
  });
});
