import { describe, expect, expectTypeOf, it } from 'vitest';
import { Tensor, expectShape } from './tensor.js';
import type { Rank, Shape, Tensor1D, Tensor2D } from './tensor.js';

// Type-level tests: the typecheck target (tsc over the tests) fails if `shape` stops type-checking as the docs
// show it; the runtime assertions check that the types tell the truth.

describe('shape types', () => {
  it('a matrix written row by row is a Tensor2D whose shape[0] and shape[1] are numbers', () => {
    const x = Tensor.fromNested([
      [0, 0],
      [0, 1],
      [1, 0],
    ]);
    expectTypeOf(x).toEqualTypeOf<Tensor2D>();
    expectTypeOf(x.shape).toEqualTypeOf<readonly [number, number]>();
    expectTypeOf(x.shape[1]).toEqualTypeOf<number>();
    expectTypeOf(x.rank).toEqualTypeOf<2>();
    expectTypeOf(x.toNested()).toEqualTypeOf<number[][]>();
    expectTypeOf(x.clone('float64')).toEqualTypeOf<Tensor2D>();
    const [rows, cols] = x.shape;
    expect([rows, cols, x.rank]).toEqual([3, 2, 2]);
  });

  it('zeros, fromArray and reshape with a literal shape know the rank', () => {
    expectTypeOf(Tensor.zeros([2, 3])).toEqualTypeOf<Tensor2D>();
    expectTypeOf(Tensor.zeros([3])).toEqualTypeOf<Tensor1D>();
    expectTypeOf(Tensor.fromArray([1, 2, 3, 4], [2, 2])).toEqualTypeOf<Tensor2D>();
    expectTypeOf(Tensor.fromArray([1, 2, 3])).toEqualTypeOf<Tensor1D>();
    expectTypeOf(Tensor.fromNested([1, 2])).toEqualTypeOf<Tensor1D>();
    const v = Tensor.zeros([6]);
    expectTypeOf(v.reshape([2, 3])).toEqualTypeOf<Tensor2D>();
    expectTypeOf(v.shape[0]).toEqualTypeOf<number>();
    // @ts-expect-error a vector has no second dimension
    expect(v.shape[1]).toBeUndefined();
    expect(v.reshape([2, 3]).shape).toEqual([2, 3]);
    expect(Tensor.fromArray([1, 2, 3]).rank).toBe(1);
  });

  it('a tensor of unknown rank keeps both shapes open; rows and cols are always numbers', () => {
    const dims: number[] = [2, 2];
    const t = Tensor.zeros(dims);
    expectTypeOf(t).toEqualTypeOf<Tensor>();
    expectTypeOf(t.shape).toEqualTypeOf<Shape>();
    expectTypeOf(t.shape[1]).toEqualTypeOf<number | undefined>();
    expectTypeOf(t.rank).toEqualTypeOf<Rank>();
    expectTypeOf(t.cols).toEqualTypeOf<number>();
    // a matrix is a tensor: everything that takes a Tensor takes it
    expectTypeOf<Tensor2D>().toExtend<Tensor>();
    expectTypeOf<Tensor>().not.toExtend<Tensor2D>();
    expect(t.cols).toBe(2);
  });

  it('new Tensor<2> and expectShape turn a tensor into a matrix; a wrong literal shape does not compile', () => {
    const data = new Float32Array(4);
    const m = new Tensor<2>(data, [2, 2]);
    expectTypeOf(m.shape[1]).toEqualTypeOf<number>();
    // @ts-expect-error a matrix needs [rows, cols]
    expect(() => new Tensor<2>(data, [4])).not.toThrow(); // the type, not the data, is wrong here
    const t: Tensor = new Tensor(data, [2, 2]);
    expectShape(t, [2, 2], 'test');
    expectTypeOf(t).toEqualTypeOf<Tensor2D>();
    expect(t.shape[1]).toBe(2);
  });
});
