import { Tensor } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import { getActivation } from './index.js';

const softmax = getActivation('softmax');

describe('softmax', () => {
  it('normalises each row (one sample) on its own', () => {
    const x = Tensor.fromNested(
      [
        [1, 2, 3],
        [0, 0, 0],
        [-5, 10, 0.5],
      ],
      'float64',
    );
    const y = Tensor.zeros([3, 3], 'float64');
    softmax.forward(x, y);
    for (let i = 0; i < 3; i++) {
      const row = [0, 1, 2].map((j) => Math.exp(x.get(i, j)));
      const sum = row[0]! + row[1]! + row[2]!;
      for (let j = 0; j < 3; j++) expect(y.get(i, j)).toBeCloseTo(row[j]! / sum, 15);
    }
    expect(y.get(1, 0)).toBe(1 / 3);
  });

  it('does not change when a constant is added to a row', () => {
    const y1 = Tensor.zeros([1, 3], 'float64');
    const y2 = Tensor.zeros([1, 3], 'float64');
    softmax.forward(Tensor.fromNested([[1, 2, 3]], 'float64'), y1);
    softmax.forward(Tensor.fromNested([[501, 502, 503]], 'float64'), y2);
    for (let j = 0; j < 3; j++) expect(y2.data[j]).toBeCloseTo(y1.data[j]!, 14);
  });

  it('treats a rank-1 tensor as one row', () => {
    const y = Tensor.zeros([2], 'float64');
    softmax.forward(Tensor.fromNested([0, Math.log(3)], 'float64'), y);
    expect(y.data[0]).toBeCloseTo(0.25, 15);
    expect(y.data[1]).toBeCloseTo(0.75, 15);
  });

  it('backward is dx_i = y_i (dy_i - sum_k dy_k y_k), row by row', () => {
    const x = Tensor.fromNested(
      [
        [0.2, -1, 0.7],
        [3, 1, -2],
      ],
      'float64',
    );
    const y = Tensor.zeros([2, 3], 'float64');
    softmax.forward(x, y);
    const dy = Tensor.fromNested(
      [
        [1, -2, 0.5],
        [0, 0, 1],
      ],
      'float64',
    );
    const dx = Tensor.zeros([2, 3], 'float64');
    softmax.backward(x, y, dy, dx);
    for (let i = 0; i < 2; i++) {
      let dot = 0;
      for (let k = 0; k < 3; k++) dot += dy.get(i, k) * y.get(i, k);
      let rowSum = 0;
      for (let j = 0; j < 3; j++) {
        expect(dx.get(i, j)).toBeCloseTo(y.get(i, j) * (dy.get(i, j) - dot), 15);
        rowSum += dx.get(i, j);
      }
      expect(rowSum).toBeCloseTo(0, 15); // the outputs always sum to 1, so a row's gradient sums to 0
    }
  });

  it('refuses outputs whose rows differ from the input', () => {
    const x = Tensor.zeros([2, 3]);
    expect(() => softmax.forward(x, Tensor.zeros([3, 2]))).toThrow(/softmax.forward/);
    expect(() => softmax.backward(x, Tensor.zeros([3, 2]), x, x)).toThrow(/softmax.backward/);
  });
});
