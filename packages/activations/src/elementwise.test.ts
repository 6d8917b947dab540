import { DeltaflowError, Random, Tensor } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import { elementwise, toActivation } from './elementwise.js';
import { activations, getActivation } from './index.js';
import { linear, linearSpec } from './linear.js';
import { relu, reluSpec } from './relu.js';
import { sigmoid, sigmoidSpec } from './sigmoid.js';
import { tanh, tanhSpec } from './tanh.js';

const square = { name: 'square', f: (x: number) => x * x, df: (x: number) => 2 * x };

function randomTensor(rng: Random, shape: [number, number], dtype: 'float32' | 'float64'): Tensor {
  const t = Tensor.zeros(shape, dtype);
  for (let i = 0; i < t.size; i++) t.data[i] = rng.range(-5, 5);
  return t;
}

describe('elementwise', () => {
  it('runs f forward and df(x, y) * dy backward over a batch', () => {
    const a = elementwise(square);
    const x = Tensor.fromNested(
      [
        [1, -2],
        [3, 0.5],
      ],
      'float64',
    );
    const y = Tensor.zeros([2, 2], 'float64');
    const dx = Tensor.zeros([2, 2], 'float64');
    a.forward(x, y);
    a.backward(
      x,
      y,
      Tensor.fromNested(
        [
          [1, 1],
          [2, -1],
        ],
        'float64',
      ),
      dx,
    );
    expect(y.toNested()).toEqual([
      [1, 4],
      [9, 0.25],
    ]);
    expect(dx.toNested()).toEqual([
      [2, -4],
      [12, -1],
    ]);
    expect(a.name).toBe('square');
    expect(a.config).toEqual({});
  });

  it('passes y = f(x) to df, and keeps the config', () => {
    const seen: number[] = [];
    const a = elementwise({
      name: 'spy',
      f: (x) => x + 10,
      df: (_x, y) => (seen.push(y), 1),
      config: { k: 1 },
    });
    const x = Tensor.fromNested([1, 2], 'float64');
    const y = Tensor.zeros([2], 'float64');
    a.forward(x, y);
    a.backward(x, y, y, Tensor.zeros([2], 'float64'));
    expect(seen).toEqual([11, 12]);
    expect(a.config).toEqual({ k: 1 });
  });

  it('may write dx into dy (in place)', () => {
    for (const name of activations.names()) {
      const a = getActivation(name);
      const x = Tensor.fromNested([[-1.5, 0.3, 2]], 'float64');
      const y = Tensor.zeros([1, 3], 'float64');
      a.forward(x, y);
      const dy = Tensor.fromNested([[0.4, -0.7, 0.2]], 'float64');
      const dx = Tensor.zeros([1, 3], 'float64');
      a.backward(x, y, dy, dx);
      a.backward(x, y, dy, dy);
      expect(Array.from(dy.data)).toEqual(Array.from(dx.data));
    }
  });

  it('names the shapes when they differ', () => {
    const a = elementwise(square);
    const x = Tensor.zeros([2, 3]);
    let error: unknown;
    try {
      a.forward(x, Tensor.zeros([3, 3]));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DeltaflowError);
    expect((error as DeltaflowError).code).toBe('E_SHAPE');
    expect((error as DeltaflowError).message).toContain('square.forward: out [3, 3] must match x [2, 3]');
    expect(() => a.backward(x, x, x, Tensor.zeros([5]))).toThrow(/square.backward/);
    expect(() => getActivation('sigmoid').forward(x, Tensor.zeros([1]))).toThrow(/sigmoid.forward/);
    expect(() => getActivation('softmax').forward(x, Tensor.zeros([3, 2]))).toThrow(/softmax.forward/);
  });

  it('refuses a spec without name, f or df', () => {
    expect(() => elementwise({ name: 'x', f: Math.sin } as never)).toThrow(/f\(x\) and df\(x, y\)/);
    expect(() => elementwise({ name: '', f: Math.sin, df: Math.cos })).toThrow(DeltaflowError);
  });
});

describe('toActivation', () => {
  it('returns a full activation as it is and wraps an elementwise spec', () => {
    const relu = getActivation('relu');
    expect(toActivation(relu)).toBe(relu);
    const a = toActivation(square);
    const y = Tensor.zeros([1], 'float64');
    a.forward(Tensor.fromNested([3], 'float64'), y);
    expect(y.data[0]).toBe(9);
  });
});

describe('the fast kernels of sigmoid, tanh, relu and linear', () => {
  const pairs = [
    [sigmoid, sigmoidSpec],
    [tanh, tanhSpec],
    [relu, reluSpec],
    [linear, linearSpec],
  ] as const;
  for (const [fast, spec] of pairs) {
    it(`${spec.name}: the same numbers as the scalar spec they are written from`, () => {
      const rng = new Random(3);
      const slow = elementwise(spec);
      const x = randomTensor(rng, [5, 7], 'float64');
      x.data[0] = -800;
      x.data[1] = 800;
      const dy = randomTensor(rng, [5, 7], 'float64');
      const [y1, y2, dx1, dx2] = [0, 1, 2, 3].map(() => Tensor.zeros([5, 7], 'float64'));
      fast.forward(x, y1!);
      slow.forward(x, y2!);
      fast.backward(x, y1!, dy, dx1!);
      slow.backward(x, y2!, dy, dx2!);
      for (let i = 0; i < x.size; i++) {
        expect(y1!.data[i]! - y2!.data[i]!).toBe(0);
        expect(dx1!.data[i]! - dx2!.data[i]!).toBe(0);
      }
    });
  }
});

describe('kinks', () => {
  it('the built-ins that are not smooth declare where: relu, leaky-relu and elu at 0; the smooth ones none', () => {
    expect(relu.kinks).toEqual([0]);
    expect(getActivation('leaky-relu').kinks).toEqual([0]);
    expect(getActivation({ name: 'elu', config: { alpha: 0.5 } }).kinks).toEqual([0]);
    for (const name of ['sigmoid', 'tanh', 'gelu', 'swish', 'softplus', 'linear', 'softmax']) {
      expect(getActivation(name).kinks, name).toBeUndefined();
    }
  });

  it("elementwise keeps a spec's kinks, frozen, and refuses kinks that are not finite numbers", () => {
    const spec = { name: 'kinked', f: Math.abs, df: Math.sign, kinks: [0] };
    const activation = elementwise(spec);
    expect(activation.kinks).toEqual([0]);
    expect(Object.isFrozen(activation.kinks)).toBe(true);
    expect(elementwise({ name: 'smooth', f: (x) => x, df: () => 1 }).kinks).toBeUndefined();
    for (const kinks of [[Number.NaN], ['0'], 0]) {
      expect(() => elementwise({ ...spec, kinks } as never)).toThrow(DeltaflowError);
    }
  });
});
