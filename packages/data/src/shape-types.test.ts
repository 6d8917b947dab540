import type { Tensor2D } from '@deltaflow/tensor';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { Batcher } from './batcher.js';
import { parseCsv } from './csv.js';
import { iris } from './iris.js';
import { splitDataset } from './split.js';

// Type-level tests (checked by the typecheck target): what a user reads in the docs, `ds.inputs.shape`, gives
// numbers for both dimensions, because datasets and batches are matrices.

describe('datasets and batches are matrices', () => {
  it('ds.inputs.shape[1] is the number of features, typed number', () => {
    const ds = iris();
    const features: number = ds.inputs.shape[1];
    const [samples, classes] = [ds.targets.shape[0], ds.targets.shape[1]];
    expectTypeOf(ds.inputs).toEqualTypeOf<Tensor2D>();
    expectTypeOf(ds.targets.shape).toEqualTypeOf<readonly [number, number]>();
    expect([features, samples, classes]).toEqual([4, 150, 3]);
  });

  it('so are the parts of a split, a parsed CSV and a batch', () => {
    const { train, validation } = splitDataset(iris(), { validation: 0.2, seed: 1 });
    expectTypeOf(validation.inputs.shape[1]).toEqualTypeOf<number>();
    const csv = parseCsv('a,b,t\n1,2,3\n4,5,6\n', { target: 't' });
    expectTypeOf(csv.targets.shape[1]).toEqualTypeOf<number>();
    const batch = new Batcher(train, { batchSize: 8 }).batch(0);
    expectTypeOf(batch.inputs).toEqualTypeOf<Tensor2D>();
    expect([validation.inputs.shape[1], csv.targets.shape[1], batch.inputs.shape[0]]).toEqual([4, 1, 8]);
  });
});
