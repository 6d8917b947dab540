// Gradient checks at kinks: net inputs sitting exactly on a point where the activation is not smooth (xor's
// sample (0,0) with zero biases puts the first layer's x on 0) are left out and counted; a wrong derivative still
// fails.
import { activations } from '@deltaflow/activations';
import { Tensor } from '@deltaflow/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { gradientCheck } from './gradient-check.js';
import { definePlugin, installPlugin } from './plugin.js';
import { mlp } from './sequential.js';

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

const relu = (x: number) => Math.max(x, 0);
installPlugin(
  definePlugin({
    name: 'kink-test',
    activations: [
      { name: 'kink-test-relu', f: relu, df: (x) => (x > 0 ? 1 : 0), kinks: [0] },
      { name: 'kink-test-undeclared', f: relu, df: (x) => (x > 0 ? 1 : 0) },
      { name: 'kink-test-half', f: relu, df: (x) => (x > 0 ? 0.5 : 0), kinks: [0] },
    ],
  }),
);
/** The classic XOR network 2-4-1 with zero biases (the default), hidden activation `activation`. */
const xorNet = (activation: string) =>
  mlp({ inputs: 2, layers: [{ units: 4, activation }, { units: 1 }], seed: 42, dtype: 'float64' });

describe('gradientCheck at kinks', () => {
  it.each(['relu', 'leaky-relu', 'elu', 'kink-test-relu'])(
    '%s: the first-layer biases move x off the kink and are left out; the rest agree',
    (activation) => {
      const result = gradientCheck(xorNet(activation), inputs, targets, 'mse');
      expect(result.worst).toBeLessThan(1e-6);
      expect(result.layers.map((l) => [l.atKink, l.checked])).toEqual([
        [4, 8],
        [0, 5],
      ]);
      expect(result).toMatchObject({ atKink: 4, checked: 13 });
    },
  );

  it('without a declared kink, the same correct relu fails: central differences straddle x = 0', () => {
    const result = gradientCheck(xorNet('kink-test-undeclared'), inputs, targets, 'mse');
    expect(result.atKink).toBe(0);
    expect(result.worst).toBeGreaterThan(0.1);
  });

  it('a wrong derivative still fails with its kink declared', () => {
    const result = gradientCheck(xorNet('kink-test-half'), inputs, targets, 'mse');
    expect(result.atKink).toBe(4);
    expect(result.worst).toBeGreaterThan(0.1);
  });

  it('smooth activations leave nothing out', () => {
    const result = gradientCheck(xorNet('tanh'), inputs, targets, 'mse');
    expect(result).toMatchObject({ atKink: 0, checked: 17 });
    expect(result.worst).toBeLessThan(1e-6);
  });

  it('an entry whose step stays clear of the kink is checked even in a kinked layer', () => {
    // Inputs away from 0 and biases that keep every x far from 0: nothing is left out.
    const away = Tensor.fromNested(
      [
        [0.5, 0.25],
        [0.75, 1],
      ],
      'float64',
    );
    const model = xorNet('relu');
    model.layers[0]!.bias.data.fill(0.5);
    const result = gradientCheck(model, away, Tensor.fromNested([[0.2], [0.7]], 'float64'), 'mse');
    expect(result.atKink).toBe(0);
    expect(result.worst).toBeLessThan(1e-6);
  });
});

afterAll(() => {
  for (const name of ['kink-test-relu', 'kink-test-undeclared', 'kink-test-half'])
    activations.unregister(name);
});
