import { describe, expect, it } from 'vitest';
import { Tensor, expectShape } from './tensor.js';

describe('Tensor', () => {
  it('is row-major: (i, j) lives at i * cols + j', () => {
    const t = Tensor.fromNested([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.get(1, 2)).toBe(6);
    expect(t.data[1 * 3 + 0]).toBe(4);
    expect(t.dtype).toBe('float32');
  });

  it('creates zeros, rank 1 and rank 2, in either dtype', () => {
    const z = Tensor.zeros([3], 'float64');
    expect(z.data).toBeInstanceOf(Float64Array);
    expect(z.rank).toBe(1);
    expect(z.rows).toBe(1);
    expect(z.cols).toBe(3);
    expect(Tensor.zeros([2, 2]).data).toBeInstanceOf(Float32Array);
  });

  it('wraps typed arrays without copying and converts dtypes on request', () => {
    const data = new Float64Array([1, 2, 3, 4]);
    expect(Tensor.fromArray(data, [2, 2]).data).toBe(data);
    const f32 = Tensor.fromArray(data, [4], 'float32');
    expect(f32.data).toBeInstanceOf(Float32Array);
    expect(Array.from(f32.data)).toEqual([1, 2, 3, 4]);
  });

  it('rounds to float32 and keeps float64 exact', () => {
    expect(Tensor.fromNested([0.1]).get(0)).toBe(Math.fround(0.1));
    expect(Tensor.fromNested([0.1], 'float64').get(0)).toBe(0.1);
  });

  it('round-trips nested arrays and clones deeply', () => {
    const rows = [
      [1, 2],
      [3, 4],
    ];
    const t = Tensor.fromNested(rows, 'float64');
    const c = t.clone();
    c.set(9, 0, 0);
    expect(t.toNested()).toEqual(rows);
    expect(c.get(0, 0)).toBe(9);
  });

  it('names the ragged row', () => {
    expect(() => Tensor.fromNested([[1, 2], [3, 4], [5]])).toThrow(/row 2 has 1 entries, row 0 has 2/);
  });

  it('refuses data that does not fill the shape, and bad shapes', () => {
    expect(() => new Tensor(new Float32Array(5), [2, 3])).toThrow(/holds 6 numbers but the data has 5/);
    expect(() => Tensor.zeros([1, 2, 3])).toThrow(/not a rank-1 or rank-2 shape/);
    expect(() => Tensor.zeros([-1])).toThrow(/not a rank-1 or rank-2 shape/);
  });

  it('expectShape names where and both shapes', () => {
    expect(() => expectShape(Tensor.zeros([2, 3]), [3, 2], 'Dense.weights')).toThrow(
      'Dense.weights: expected shape [3, 2] but got [2, 3].',
    );
  });
});
