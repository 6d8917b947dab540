import { describe, expect, it } from 'vitest';
import { DeltaflowError } from '@deltaflow/core';
import { addRowVector, argmaxRows, columnSums, linear, map, matmul, rowSums, zip } from './ops.js';
import { Random } from './random.js';
import { Tensor } from './tensor.js';

/** Textbook triple loop, the reference every gemm variant is checked against. */
function naiveGemm(a: number[][], b: number[][], transA: boolean, transB: boolean): number[][] {
  const A = transA ? a[0]!.map((_, j) => a.map((row) => row[j]!)) : a;
  const B = transB ? b[0]!.map((_, j) => b.map((row) => row[j]!)) : b;
  return A.map((row) => B[0]!.map((_, j) => row.reduce((s, v, p) => s + v * B[p]![j]!, 0)));
}

function randomMatrix(rng: Random, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.range(-1, 1)));
}

describe('matmul', () => {
  const rng = new Random(7);
  const shapes: [number, number, number][] = [
    [1, 1, 1],
    [3, 5, 7],
    [4, 4, 4],
    [7, 1, 9],
    [9, 300, 130],
    [33, 17, 257],
  ];
  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      it(`agrees with the triple loop for transA=${transA} transB=${transB} on odd shapes`, () => {
        for (const [m, n, k] of shapes) {
          const a = randomMatrix(rng, transA ? k : m, transA ? m : k);
          const b = randomMatrix(rng, transB ? n : k, transB ? k : n);
          const c0 = randomMatrix(rng, m, n);
          const out = Tensor.fromNested(c0, 'float64');
          matmul(Tensor.fromNested(a, 'float64'), Tensor.fromNested(b, 'float64'), out, {
            transA,
            transB,
            alpha: 0.5,
            beta: 2,
          });
          const expected = naiveGemm(a, b, transA, transB);
          for (let i = 0; i < m; i++) {
            for (let j = 0; j < n; j++) {
              expect(out.get(i, j)).toBeCloseTo(0.5 * expected[i]![j]! + 2 * c0[i]![j]!, 10);
            }
          }
        }
      });
    }
  }

  it('overwrites NaN in out when beta is 0', () => {
    const out = Tensor.fromNested([[NaN]], 'float64');
    matmul(Tensor.fromNested([[2]], 'float64'), Tensor.fromNested([[3]], 'float64'), out);
    expect(out.get(0, 0)).toBe(6);
  });

  it('names both shapes when the inner sizes differ', () => {
    const a = Tensor.zeros([2, 3]);
    const b = Tensor.zeros([4, 5]);
    expect(() => matmul(a, b, Tensor.zeros([2, 5]))).toThrow(/\[2, 3\] cannot multiply \[4, 5\]/);
    expect(() => matmul(a, b, Tensor.zeros([2, 5]))).toThrow(DeltaflowError);
  });

  it('names the expected output shape', () => {
    expect(() => matmul(Tensor.zeros([2, 3]), Tensor.zeros([3, 4]), Tensor.zeros([2, 5]))).toThrow(
      /is \[2, 4\] but out is \[2, 5\]/,
    );
  });

  it('refuses to mix dtypes', () => {
    expect(() => matmul(Tensor.zeros([1, 1]), Tensor.zeros([1, 1], 'float64'), Tensor.zeros([1, 1]))).toThrow(
      /cannot mix float32 and float64/,
    );
  });
});

describe('linear', () => {
  it('computes a w + bias for every row, small and large (packed) alike', () => {
    const rng = new Random(3);
    for (const [rows, inputs, units] of [
      [4, 2, 3],
      [33, 70, 17],
    ] as const) {
      for (const dtype of ['float32', 'float64'] as const) {
        const a = Tensor.fromNested(randomMatrix(rng, rows, inputs), dtype);
        const w = Tensor.fromNested(randomMatrix(rng, inputs, units), dtype);
        const bias = Tensor.fromNested(randomMatrix(rng, 1, units)[0]!, dtype);
        const out = Tensor.zeros([rows, units], dtype);
        out.data.fill(NaN);
        linear(a, w, bias, out);
        const want = naiveGemm(a.toNested() as number[][], w.toNested() as number[][], false, false);
        for (let i = 0; i < rows; i++)
          for (let j = 0; j < units; j++)
            expect(out.get(i, j)).toBeCloseTo(want[i]![j]! + bias.get(j), dtype === 'float32' ? 4 : 10);
      }
    }
  });

  it('names the shapes that do not fit', () => {
    expect(() =>
      linear(Tensor.zeros([2, 3]), Tensor.zeros([4, 5]), Tensor.zeros([5]), Tensor.zeros([2, 5])),
    ).toThrow(/\[2, 3\] cannot multiply \[4, 5\]/);
    expect(() =>
      linear(Tensor.zeros([2, 3]), Tensor.zeros([3, 5]), Tensor.zeros([4]), Tensor.zeros([2, 5])),
    ).toThrow(/needs a bias of 5/);
  });
});

describe('row and column kernels', () => {
  const a = Tensor.fromNested(
    [
      [1, 2, 3],
      [4, 5, 6],
    ],
    'float64',
  );

  it('adds a row vector to every row', () => {
    const out = Tensor.zeros([2, 3], 'float64');
    addRowVector(a, Tensor.fromNested([10, 20, 30], 'float64'), out);
    expect(out.toNested()).toEqual([
      [11, 22, 33],
      [14, 25, 36],
    ]);
  });

  it('sums columns, with beta accumulation', () => {
    const out = Tensor.fromNested([1, 1, 1], 'float64');
    columnSums(a, out, 1);
    expect(out.toNested()).toEqual([6, 8, 10]);
    columnSums(a, out);
    expect(out.toNested()).toEqual([5, 7, 9]);
  });

  it('sums rows', () => {
    expect(rowSums(a, Tensor.zeros([2], 'float64')).toNested()).toEqual([6, 15]);
  });

  it('finds the first largest entry per row', () => {
    const t = Tensor.fromNested([
      [0, 3, 3],
      [-1, -5, -2],
    ]);
    expect(Array.from(argmaxRows(t))).toEqual([1, 0]);
  });

  it('maps and zips elementwise, in place', () => {
    const x = Tensor.fromNested([1, 4, 9], 'float64');
    map(x, Math.sqrt, x);
    expect(x.toNested()).toEqual([1, 2, 3]);
    zip(x, Tensor.fromNested([1, 1, 1], 'float64'), (p, q) => p - q, x);
    expect(x.toNested()).toEqual([0, 1, 2]);
  });

  it('names the shapes that do not fit', () => {
    expect(() => addRowVector(a, Tensor.zeros([2], 'float64'), Tensor.zeros([2, 3], 'float64'))).toThrow(
      /a row of 2 cannot be added to \[2, 3\]/,
    );
  });
});
