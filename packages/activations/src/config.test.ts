import { DeltaflowError } from '@deltaflow/tensor';
import { describe, expect, it } from 'vitest';
import { getActivation } from './index.js';

/** The DeltaflowError `fn` throws (fails the test if it throws nothing). */
function errorOf(fn: () => unknown): DeltaflowError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DeltaflowError);
    return error as DeltaflowError;
  }
  throw new Error('expected a DeltaflowError');
}

describe('config of the built-ins', () => {
  it('rejects unknown keys, naming the key and the accepted ones', () => {
    const error = errorOf(() => getActivation({ name: 'leaky-relu', config: { slope: 0.2 } }));
    expect(error.code).toBe('E_CONFIG');
    expect(error.message).toContain("'slope'");
    expect(error.message).toContain('negativeSlope');
    expect(errorOf(() => getActivation({ name: 'sigmoid', config: { beta: 2 } })).message).toMatch(
      /'beta'.*no parameters/,
    );
  });

  it('rejects non-numeric and non-finite values, naming the key', () => {
    for (const alpha of ['1', NaN, Infinity, true, null]) {
      const error = errorOf(() => getActivation({ name: 'elu', config: { alpha } as never }));
      expect(error.code).toBe('E_CONFIG');
      expect(error.message).toContain("'alpha'");
    }
    expect(errorOf(() => getActivation({ name: 'elu', config: 'alpha' as never })).code).toBe('E_CONFIG');
  });

  it('checks ranges and choices', () => {
    expect(errorOf(() => getActivation({ name: 'softplus', config: { beta: 0 } })).message).toContain('beta');
    const gelu = errorOf(() => getActivation({ name: 'gelu', config: { approximate: 'sigmoid' } }));
    expect(gelu.message).toContain("'none' or 'tanh'");
    expect(getActivation({ name: 'gelu', config: { approximate: 'tanh' } }).config).toEqual({
      approximate: 'tanh',
    });
  });

  it('merges a partial config over the defaults', () => {
    expect(getActivation({ name: 'softplus', config: { beta: 2 } }).config).toEqual({
      beta: 2,
      threshold: 20,
    });
  });
});
