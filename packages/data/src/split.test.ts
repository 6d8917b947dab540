import { describe, expect, it } from 'vitest';
import { selectRows } from './dataset.js';
import { iris } from './iris.js';
import { permutation, shuffleDataset } from './shuffle.js';
import { splitDataset } from './split.js';
import { xor } from './xor.js';

describe('permutation and shuffleDataset', () => {
  it('permute every index once, the same way for the same seed', () => {
    const p = permutation(100, 7);
    expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(permutation(100, 7)).toEqual(p);
    expect(permutation(100, 8)).not.toEqual(p);
    expect(() => permutation(-1)).toThrow(/non-negative integer/);
  });

  it('keep inputs and targets paired', () => {
    const ds = iris();
    const mixed = shuffleDataset(ds, 3);
    const order = permutation(150, 3);
    for (let i = 0; i < 150; i++) {
      expect(mixed.inputs.get(i, 2)).toBe(ds.inputs.get(order[i]!, 2));
      expect(mixed.targets.get(i, 1)).toBe(ds.targets.get(order[i]!, 1));
    }
    expect(mixed.classNames).toEqual(ds.classNames);
  });

  it('selectRows refuses an index that is not a row', () => {
    expect(() => selectRows(xor(), [0, 4])).toThrow(
      "selectRows: index 4 at position 1 is not a row of 'xor', which has rows 0 to 3.",
    );
  });
});

describe('splitDataset', () => {
  it('has the asked sizes, covers every row once, and repeats for a seed', () => {
    const ds = iris({ dtype: 'float64' });
    const { train, validation } = splitDataset(ds, { validation: 0.2, seed: 42 });
    expect(train.inputs.shape).toEqual([120, 4]);
    expect(validation.inputs.shape).toEqual([30, 4]);
    expect(validation.targets.shape).toEqual([30, 3]);
    expect([train.name, validation.name]).toEqual(['iris-train', 'iris-validation']);
    const key = (t: typeof train, i: number): string => [0, 1, 2, 3].map((j) => t.inputs.get(i, j)).join();
    const all = [
      ...Array.from({ length: 120 }, (_, i) => key(train, i)),
      ...Array.from({ length: 30 }, (_, i) => key(validation, i)),
    ];
    const original = Array.from({ length: 150 }, (_, i) => key({ ...ds, name: '' }, i));
    expect(all.sort()).toEqual(original.sort());
    const again = splitDataset(ds, { validation: 0.2, seed: 42 });
    expect(again.validation.inputs.data).toEqual(validation.inputs.data);
    expect(splitDataset(ds, { validation: 0.2, seed: 43 }).validation.inputs.data).not.toEqual(
      validation.inputs.data,
    );
  });

  it('without shuffling, keeps the last rows for validation', () => {
    const { train, validation } = splitDataset(xor(), { validation: 0.25, shuffle: false });
    expect(train.inputs.toNested()).toEqual([
      [0, 0],
      [0, 1],
      [1, 0],
    ]);
    expect(validation.inputs.toNested()).toEqual([[1, 1]]);
  });

  it('allows no validation, and refuses fractions outside [0, 1) or that leave no training rows', () => {
    expect(splitDataset(xor(), { validation: 0 }).validation.inputs.shape).toEqual([0, 2]);
    expect(() => splitDataset(xor(), { validation: 1 })).toThrow(/validation must be a fraction in \[0, 1\)/);
    expect(() => splitDataset(xor(), { validation: NaN })).toThrow(/fraction/);
    expect(() => splitDataset(xor(), { validation: 0.9 })).toThrow(/leaves no training rows out of 4/);
  });
});
