import { describe, expect, it } from 'vitest';
import { getActivation, registerActivation } from './index.js';

/** A DeltaflowError with code E_CONFIG and `message` (a string or a matcher). */
const configError = (message: unknown) => expect.objectContaining({ code: 'E_CONFIG', message });
const containing = (text: string) => expect.stringContaining(text);

describe('the activation table uses the core checker and codes', () => {
  it('names an unknown config key with a suggestion (E_CONFIG)', () => {
    expect(() => getActivation({ name: 'leaky-relu', config: { negative_slope: 0.2 } })).toThrow(
      configError(
        "The activation 'leaky-relu' has no config key 'negative_slope'; did you mean 'negativeSlope'? Its keys: negativeSlope.",
      ),
    );
  });

  it('refuses a number that is not finite (E_CONFIG)', () => {
    expect(() => getActivation({ name: 'elu', config: { alpha: Number.NaN } })).toThrow(
      configError(containing("config key 'alpha' must be a finite number")),
    );
  });

  it('gives E_DEFINITION for a malformed definition, E_DUPLICATE for a taken name, E_UNKNOWN for a missing one', () => {
    expect(() => registerActivation({ name: 'half', f: Math.sin } as never)).toThrow(
      expect.objectContaining({ code: 'E_DEFINITION' }),
    );
    expect(() => registerActivation({ name: 'relu', f: Math.sin, df: Math.cos })).toThrow(
      expect.objectContaining({ code: 'E_DUPLICATE' }),
    );
    expect(() => getActivation('nope')).toThrow(expect.objectContaining({ code: 'E_UNKNOWN' }));
  });
});
