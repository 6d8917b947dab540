import { Tensor } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import { iris } from './iris.js';
import { Scaler } from './scaler.js';
import { splitDataset } from './split.js';

const train = Tensor.fromNested(
  [
    [1, 10, 5],
    [2, 20, 5],
    [3, 60, 5],
  ],
  'float64',
);

describe('Scaler', () => {
  it('standard: zero mean and unit (population) variance per column; a constant column is only centred', () => {
    const scaler = Scaler.fit('standard', train);
    const out = scaler.transform(train);
    const std1 = Math.sqrt(2 / 3);
    const std2 = Math.sqrt(((10 - 30) ** 2 + (20 - 30) ** 2 + (60 - 30) ** 2) / 3);
    expect(out.toNested()).toEqual([
      [(1 - 2) / std1, (10 - 30) / std2, 0],
      [0, (20 - 30) / std2, 0],
      [(3 - 2) / std1, (60 - 30) / std2, 0],
    ]);
    expect(scaler.toJSON()).toEqual({ kind: 'standard', offset: [2, 30, 5], scale: [std1, std2, 1] });
  });

  it('min-max: onto [0, 1] per column', () => {
    const out = Scaler.fit('min-max', train).transform(train);
    expect(out.toNested()).toEqual([
      [0, 0, 0],
      [0.5, 0.2, 0],
      [1, 1, 0],
    ]);
  });

  it('is fitted on the training part only: validation statistics are not used', () => {
    const { train: part, validation } = splitDataset(iris({ dtype: 'float64' }), {
      validation: 0.3,
      seed: 3,
    });
    const scaler = Scaler.fit('standard', part.inputs);
    const scaledTrain = scaler.transform(part.inputs);
    const scaledValidation = scaler.transform(validation.inputs);
    const mean = (t: Tensor, j: number): number => {
      let s = 0;
      for (let i = 0; i < t.rows; i++) s += t.get(i, j);
      return s / t.rows;
    };
    for (let j = 0; j < 4; j++) {
      expect(mean(scaledTrain, j)).toBeCloseTo(0, 12);
      expect(Math.abs(mean(scaledValidation, j))).toBeGreaterThan(1e-6); // would be 0 if fitted on it
    }
    const refitted = Scaler.fit('standard', validation.inputs).toJSON();
    expect(scaler.toJSON().offset).not.toEqual(refitted.offset);
  });

  it('round-trips through JSON and transforms identically', () => {
    const scaler = Scaler.fit('min-max', train);
    const again = Scaler.fromJSON(JSON.parse(JSON.stringify(scaler)));
    expect(again.kind).toBe('min-max');
    expect(again.features).toBe(3);
    expect(again.transform(train).data).toEqual(scaler.transform(train).data);
    const x = Tensor.fromNested([[2.5, 35, 7]], 'float64');
    expect(again.inverseTransform(again.transform(x)).get(0, 1)).toBeCloseTo(35, 12);
  });

  it('writes into a caller-given output, in place if asked, allocating nothing', () => {
    const scaler = Scaler.fit('standard', train);
    const x = train.clone();
    const out = Tensor.zeros([3, 3], 'float64');
    expect(scaler.transform(x, out)).toBe(out);
    expect(scaler.transform(x, x)).toBe(x);
    expect(x.data).toEqual(out.data);
    const ds = scaler.transformDataset({
      name: 't',
      task: 'regression',
      inputs: train,
      targets: Tensor.zeros([3, 1]),
      featureNames: ['a', 'b', 'c'],
      targetNames: ['y'],
    });
    expect(ds.inputs.data).toEqual(out.data);
  });

  it('refuses bad JSON naming the field, and mismatched shapes', () => {
    expect(() => Scaler.fromJSON(null)).toThrow(
      'Scaler.fromJSON: the scaler should be an object { kind, offset, scale }.',
    );
    expect(() => Scaler.fromJSON({ kind: 'z', offset: [], scale: [] })).toThrow(
      /kind should be 'standard' or 'min-max'/,
    );
    expect(() => Scaler.fromJSON({ kind: 'standard', offset: [1], scale: [0] })).toThrow(
      'Scaler.fromJSON: scale should be an array of finite positive numbers.',
    );
    expect(() => Scaler.fromJSON({ kind: 'standard', offset: [1, 'a'], scale: [1, 1] })).toThrow(
      /offset should be/,
    );
    expect(() => Scaler.fromJSON({ kind: 'standard', offset: [1, 2], scale: [1] })).toThrow(
      /as long as offset/,
    );
    const scaler = Scaler.fit('standard', train);
    expect(() => scaler.transform(Tensor.zeros([2, 2]))).toThrow(/fitted on 3 features/);
    expect(() => scaler.transform(train, Tensor.zeros([2, 3]))).toThrow(/Scaler.transform out/);
    expect(() => Scaler.fit('standard', Tensor.zeros([0, 3]))).toThrow(/N >= 1/);
    expect(() => Scaler.fit('robust' as 'standard', train)).toThrow(/unknown kind 'robust'/);
  });
});
