import { DeltaflowError, Tensor } from '@deltaflow/tensor';
import { afterEach, describe, expect, it } from 'vitest';
import type { Activation, ActivationFactory, ElementwiseActivationSpec } from './index.js';
import { activationToJSON, activations, elementwise, getActivation, registerActivation } from './index.js';

const BUILTINS = [
  'sigmoid',
  'tanh',
  'relu',
  'linear',
  'swish',
  'softmax',
  'leaky-relu',
  'elu',
  'softplus',
  'gelu',
];

const softsign: ElementwiseActivationSpec = {
  name: 'softsign',
  f: (x) => x / (1 + Math.abs(x)),
  df: (x) => 1 / (1 + Math.abs(x)) ** 2,
};

/** f applied to [-2, -0.5, 0.5, 2] in float64. */
function outputs(activation: Activation): number[] {
  const x = Tensor.fromNested([-2, -0.5, 0.5, 2], 'float64');
  const y = Tensor.zeros([4], 'float64');
  activation.forward(x, y);
  return Array.from(y.data);
}

/** The DeltaflowError `fn` throws (fails the test if it throws nothing). */
function errorOf(fn: () => unknown): DeltaflowError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DeltaflowError);
    return error as DeltaflowError;
  }
  throw new Error('expected a DeltaflowError');
}

afterEach(() => {
  for (const name of ['softsign', 'scaled-tanh', 'fixed', 'my-softmax']) activations.unregister(name);
});

describe('the activation registry', () => {
  it('holds the ten built-ins, marked builtin', () => {
    expect([...activations.names()].sort()).toEqual([...BUILTINS].sort());
    for (const name of BUILTINS) {
      expect(activations.source(name)).toBe('builtin');
      expect(getActivation(name).name).toBe(name);
    }
  });

  it('looks up by name with PyTorch defaults, by { name, config }, and passes an instance through', () => {
    expect(getActivation('leaky-relu').config).toEqual({ negativeSlope: 0.01 });
    expect(getActivation('elu').config).toEqual({ alpha: 1 });
    expect(getActivation('softplus').config).toEqual({ beta: 1, threshold: 20 });
    expect(getActivation('gelu').config).toEqual({ approximate: 'none' });
    expect(outputs(getActivation('leaky-relu'))).toEqual([-0.02, -0.005, 0.5, 2]);
    const steep = getActivation({ name: 'leaky-relu', config: { negativeSlope: 0.2 } });
    expect(outputs(steep)).toEqual([-0.4, -0.1, 0.5, 2]);
    expect(steep.config).toEqual({ negativeSlope: 0.2 });
    expect(getActivation(steep)).toBe(steep);
    expect(getActivation({ name: 'sigmoid' }).name).toBe('sigmoid');
  });

  it('refuses a duplicate name unless replace is asked for', () => {
    registerActivation(softsign);
    expect(errorOf(() => registerActivation(softsign)).code).toBe('E_DUPLICATE');
    expect(errorOf(() => registerActivation({ ...softsign, name: 'relu' })).message).toMatch(/builtin/);
    const other = { ...softsign, f: (x: number) => 2 * x };
    registerActivation(other, { replace: true, source: 'my-plugin' });
    expect(activations.source('softsign')).toBe('my-plugin');
    expect(outputs(getActivation('softsign'))).toEqual([-4, -1, 1, 4]);
  });

  it('answers an unknown name with the registered ones', () => {
    const error = errorOf(() => getActivation('swishy'));
    expect(error.code).toBe('E_UNKNOWN');
    expect(error.message).toContain("'swishy'");
    for (const name of BUILTINS) expect(error.message).toContain(name);
  });

  it('registers a plugin-style elementwise spec that then works everywhere by name', () => {
    registerActivation(softsign, { source: 'my-plugin' });
    const a = getActivation('softsign');
    expect(outputs(a)).toEqual([-2 / 3, -1 / 3, 1 / 3, 2 / 3]);
    const x = Tensor.fromNested([[-2, 0.5]], 'float64');
    const y = Tensor.zeros([1, 2], 'float64');
    const dx = Tensor.zeros([1, 2], 'float64');
    a.forward(x, y);
    a.backward(x, y, Tensor.fromNested([[1, 1]], 'float64'), dx);
    expect(Array.from(dx.data)).toEqual([1 / 9, 1 / 2.25]);
    expect(getActivation({ name: 'softsign' })).toBe(a);
    expect(activationToJSON(a)).toEqual({ name: 'softsign' });
  });

  it('registers a full Activation (not elementwise)', () => {
    const mine: Activation = { ...getActivation('softmax'), name: 'my-softmax' };
    registerActivation(mine);
    expect(getActivation('my-softmax')).toBe(mine);
  });

  it('registers a parametrised factory whose config is checked and merged', () => {
    const scaledTanh: ActivationFactory<{ scale: number }> = {
      name: 'scaled-tanh',
      defaults: { scale: 1 },
      create: (config) =>
        elementwise({
          name: 'scaled-tanh',
          config,
          f: (x) => config.scale * Math.tanh(x),
          df: (_x, y) => config.scale - (y * y) / config.scale,
        }),
    };
    registerActivation(scaledTanh);
    const a = getActivation({ name: 'scaled-tanh', config: { scale: 2 } });
    expect(outputs(a)[3]).toBeCloseTo(2 * Math.tanh(2), 15);
    expect(activationToJSON(a)).toEqual({ name: 'scaled-tanh', config: { scale: 2 } });
    expect(errorOf(() => getActivation({ name: 'scaled-tanh', config: { scal: 2 } })).message).toContain(
      "'scal'",
    );
  });

  it('keeps the config of a fixed activation fixed', () => {
    registerActivation({ ...softsign, name: 'fixed', config: { k: 2 } });
    expect(getActivation({ name: 'fixed', config: { k: 2 } }).config).toEqual({ k: 2 });
    expect(errorOf(() => getActivation({ name: 'fixed', config: { k: 3 } })).code).toBe('E_CONFIG');
  });

  it('refuses definitions that are none of the three forms', () => {
    for (const bad of [{ name: 'x' }, { name: '', f: Math.sin, df: Math.cos }, { f: Math.sin }, null, 42]) {
      expect(errorOf(() => registerActivation(bad as never)).code).toBe('E_DEFINITION');
    }
    expect(errorOf(() => getActivation(42 as never)).code).toBe('E_DEFINITION');
  });
});

describe('activationToJSON', () => {
  it('writes the name, and the config only when it is not empty; getActivation reads it back', () => {
    expect(activationToJSON(getActivation('sigmoid'))).toEqual({ name: 'sigmoid' });
    expect(activationToJSON(getActivation('softmax'))).toEqual({ name: 'softmax' });
    const json = activationToJSON(getActivation({ name: 'elu', config: { alpha: 0.5 } }));
    expect(json).toEqual({ name: 'elu', config: { alpha: 0.5 } });
    const copy = getActivation(JSON.parse(JSON.stringify(json)));
    expect(copy.config).toEqual({ alpha: 0.5 });
    expect(outputs(copy)).toEqual(outputs(getActivation({ name: 'elu', config: { alpha: 0.5 } })));
  });
});
