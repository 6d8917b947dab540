import { DeltaflowError } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import { prepareRun } from './prepare.js';
import {
  MAX_ARRAY_VALUES,
  TRAINING_COPIES,
  availableMemory,
  checkModelSize,
  parameterCount,
} from './size.js';
import type { ModelShape } from './size.js';

const iris = (layers: number[], dtype: ModelShape['dtype'] = 'float32'): ModelShape => ({
  inputs: 4,
  layers,
  outputs: 3,
  dtype,
});

const errorOf = (action: () => unknown): DeltaflowError => {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(DeltaflowError);
    return error as DeltaflowError;
  }
  throw new Error('expected an error');
};

describe('checkModelSize: absurd sizes are refused before anything is allocated', () => {
  it('counts weights W_jk and one theta per unit, layer by layer', () => {
    expect(parameterCount({ inputs: 2, layers: [4], outputs: 1, dtype: 'float32' })).toBe(
      2 * 4 + 4 + 4 * 1 + 1,
    );
    expect(parameterCount(iris([40000, 40000]))).toBe(
      4 * 40000 + 40000 + 40000 * 40000 + 40000 + 40000 * 3 + 3,
    );
  });

  it('refuses --layers 40000,40000 against 16 GB, stating the rule and both sizes', () => {
    const error = errorOf(() => checkModelSize(iris([40000, 40000]), 16e9));
    expect(error.code).toBe('E_OPTION');
    expect(error.message).toBe(
      '`layers` 40000,40000 needs 25.6 GB (1,600,360,003 parameters × 4 bytes (float32) × 4 copies: weights, gradients, optimizer state), more than the 16.0 GB of memory available; use smaller layers.',
    );
  });

  it('refuses --layers 100000,100000 whatever the memory: its weight matrix exceeds the largest array', () => {
    for (const memory of [undefined, null, 1e15]) {
      const error = errorOf(() => checkModelSize(iris([100000, 100000]), memory));
      expect(error.code).toBe('E_OPTION');
      expect(error.message).toBe(
        '`layers` 100000,100000 is too large: a 100000×100000 weight matrix has 10,000,000,000 values, more than the 4,294,967,296 of the largest array JavaScript can make; use smaller layers.',
      );
    }
  });

  it('accepts a model that just fits, and refuses it one byte less', () => {
    const shape = iris([2000, 2000]);
    const needed = parameterCount(shape) * 4 * TRAINING_COPIES;
    expect(() => checkModelSize(shape, needed)).not.toThrow();
    expect(() => checkModelSize(shape, needed - 1)).toThrow(/needs 64\.3 MB .* more than the 64\.3 MB/);
    // float64 takes twice the bytes
    expect(() => checkModelSize(iris([2000, 2000], 'float64'), needed)).toThrow(/× 8 bytes \(float64\)/);
    // a weight matrix of exactly the largest array is allowed by the array rule
    expect(() =>
      checkModelSize({ inputs: 1, layers: [MAX_ARRAY_VALUES], outputs: 1, dtype: 'float32' }, null),
    ).not.toThrow();
  });

  it('reads the memory available to this process under Node', () => {
    const memory = availableMemory();
    expect(memory).toBeGreaterThan(0);
  });
});

describe('prepareRun refuses an absurd model with E_OPTION before building it', () => {
  it.each([
    [[100000, 100000], /is too large: a 100000×100000 weight matrix/],
    [
      [40000, 40000, 40000, 40000],
      /needs .* GB \(4,800,\d{3},\d{3} parameters × 4 bytes \(float32\) × 4 copies/,
    ],
  ])('layers %j', async (layers, message) => {
    // 4.8e9 parameters need 76.8 GB: more than any machine this test runs on
    const started = Date.now();
    await expect(prepareRun({ data: 'iris', layers })).rejects.toThrow(message);
    await expect(prepareRun({ data: 'iris', layers })).rejects.toMatchObject({ code: 'E_OPTION' });
    expect(Date.now() - started).toBeLessThan(5000); // nothing was allocated
  });

  it('builds a model that fits', async () => {
    const run = await prepareRun({ data: 'iris', layers: [2000, 2000], epochs: 1 });
    expect(run.model.summary().layers.map((l) => l.units)).toEqual([2000, 2000, 3]);
  });
});
