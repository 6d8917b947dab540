import { DeltaflowError } from '@deltaflow/core';
import { describe, expect, it } from 'vitest';
import { getActivation, registerActivation } from './index.js';

/** The code and message of what `fn` throws. */
function thrown(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DeltaflowError);
    return { code: (error as DeltaflowError).code, message: (error as Error).message };
  }
  throw new Error('expected a DeltaflowError');
}

describe('the activation table uses the core checker and codes', () => {
  it('names an unknown config key with a suggestion (E_CONFIG)', () => {
    expect(thrown(() => getActivation({ name: 'leaky-relu', config: { negative_slope: 0.2 } }))).toEqual({
      code: 'E_CONFIG',
      message:
        "The activation 'leaky-relu' has no config key 'negative_slope'; did you mean 'negativeSlope'? Its keys: negativeSlope.",
    });
  });

  it('refuses a number that is not finite (E_CONFIG)', () => {
    const error = thrown(() => getActivation({ name: 'elu', config: { alpha: Number.NaN } }));
    expect(error.code).toBe('E_CONFIG');
    expect(error.message).toContain("config key 'alpha' must be a finite number");
  });

  it('gives E_DEFINITION for a malformed definition, E_DUPLICATE for a taken name, E_UNKNOWN for a missing one', () => {
    expect(thrown(() => registerActivation({ name: 'half', f: Math.sin } as never)).code).toBe(
      'E_DEFINITION',
    );
    expect(thrown(() => registerActivation({ name: 'relu', f: Math.sin, df: Math.cos })).code).toBe(
      'E_DUPLICATE',
    );
    expect(thrown(() => getActivation('nope')).code).toBe('E_UNKNOWN');
  });
});
