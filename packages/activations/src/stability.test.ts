import { Tensor } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import type { ActivationConfig } from './index.js';
import { activations, getActivation } from './index.js';

const X = [-1e4, -1000, -1, 0, 1, 1000, 1e4];

/** forward then backward (dy = 1) of a built-in at X, in `dtype`. */
function run(name: string, dtype: 'float32' | 'float64', config?: ActivationConfig) {
  const activation = getActivation({ name, config });
  const x = Tensor.fromNested([X], dtype);
  const y = Tensor.zeros(x.shape, dtype);
  const dx = Tensor.zeros(x.shape, dtype);
  activation.forward(x, y);
  activation.backward(x, y, Tensor.fromNested([X.map(() => 1)], dtype), dx);
  return { y: Array.from(y.data), dx: Array.from(dx.data) };
}

describe('stability at |x| = 1000 and 1e4', () => {
  const variants: [string, ActivationConfig?][] = [
    ...activations.names().map((name): [string] => [name]),
    ['gelu', { approximate: 'tanh' }],
    ['softplus', { beta: 3 }],
  ];
  for (const [name, config] of variants) {
    for (const dtype of ['float64', 'float32'] as const) {
      it(`${name} ${config ? JSON.stringify(config) : ''} (${dtype}): outputs and derivatives finite`, () => {
        const { y, dx } = run(name, dtype, config);
        for (const v of [...y, ...dx]) expect(Number.isFinite(v)).toBe(true);
      });
    }
  }

  it('sigmoid saturates to exactly 1 and 0 with zero derivative', () => {
    const { y, dx } = run('sigmoid', 'float64');
    expect(y[5]).toBe(1);
    expect(y[6]).toBe(1);
    expect(y[1]).toBeLessThan(1e-300);
    expect(y[1]).toBeGreaterThanOrEqual(0);
    expect(dx[0]).toBe(0);
    expect(dx[6]).toBe(0);
  });

  it('softplus is the identity above the threshold and 0 far below', () => {
    const { y, dx } = run('softplus', 'float64');
    expect(y[5]).toBe(1000);
    expect(y[6]).toBe(1e4);
    expect(dx[5]).toBe(1);
    expect(y[1]).toBe(0);
    expect(dx[1]).toBe(0);
  });

  it('tanh, gelu, swish and elu reach their asymptotes', () => {
    expect(run('tanh', 'float64').y).toEqual([-1, -1, Math.tanh(-1), 0, Math.tanh(1), 1, 1]);
    for (const name of ['gelu', 'swish']) {
      const { y, dx } = run(name, 'float64');
      expect(Math.abs(y[1]!)).toBe(0);
      expect(y[5]).toBe(1000);
      expect(Math.abs(dx[1]!)).toBe(0);
      expect(dx[6]).toBe(1);
    }
    const elu = run('elu', 'float64');
    expect(elu.y[0]).toBe(-1);
    expect(elu.dx[0]).toBe(0);
  });

  it('softmax of [1000, 0] is [1, 0], and of [-1e4, 1e4, 1e4] is [0, 0.5, 0.5]', () => {
    const softmax = getActivation('softmax');
    const x = Tensor.fromNested(
      [
        [1000, 0],
        [-1000, 0],
      ],
      'float64',
    );
    const y = Tensor.zeros([2, 2], 'float64');
    softmax.forward(x, y);
    expect(y.toNested()).toEqual([
      [1, 0],
      [0, 1],
    ]);
    const x3 = Tensor.fromNested([[-1e4, 1e4, 1e4]]);
    const y3 = Tensor.zeros([1, 3]);
    softmax.forward(x3, y3);
    expect(Array.from(y3.data)).toEqual([0, 0.5, 0.5]);
    const dx = Tensor.zeros([1, 3]);
    softmax.backward(x3, y3, Tensor.fromNested([[1, 2, 3]]), dx);
    expect(Array.from(dx.data, (v) => v + 0)).toEqual([0, -0.25, 0.25]); // + 0 turns -0 into 0
  });
});
