import { afterEach, describe, expect, it } from 'vitest';
import { getLoss, losses, registerLoss } from './index.js';

/** A DeltaflowError with code E_CONFIG and `message` (a string or a matcher). */
const configError = (message: unknown) => expect.objectContaining({ code: 'E_CONFIG', message });
const containing = (text: string) => expect.stringContaining(text);

afterEach(() => losses.unregister('scaled-mse'));

describe('the loss table uses the core checker and codes', () => {
  it('names an unknown config key with a suggestion (E_CONFIG)', () => {
    expect(() => getLoss({ name: 'huber', config: { detla: 2 } as never })).toThrow(
      configError("The loss 'huber' has no config key 'detla'; did you mean 'delta'? Its keys: delta."),
    );
  });

  it('refuses a number that is not finite, for any factory (E_CONFIG)', () => {
    // A plugin's factory that checks nothing itself: the table refuses NaN before create sees it.
    registerLoss({ name: 'scaled-mse', defaults: { scale: 1 }, create: () => getLoss('mse') });
    for (const scale of [Number.NaN, Infinity]) {
      expect(() => getLoss({ name: 'scaled-mse', config: { scale } })).toThrow(
        configError(containing("config key 'scale' must be a finite number")),
      );
    }
  });

  it('gives E_DEFINITION for a malformed definition, E_DUPLICATE for a taken name, E_UNKNOWN for a missing one', () => {
    expect(() => registerLoss({ name: 'half', f: () => 0 } as never)).toThrow(
      expect.objectContaining({ code: 'E_DEFINITION' }),
    );
    expect(() => registerLoss({ name: 'mse', f: () => 0, df: () => undefined })).toThrow(
      expect.objectContaining({ code: 'E_DUPLICATE' }),
    );
    expect(() => getLoss('nope')).toThrow(expect.objectContaining({ code: 'E_UNKNOWN' }));
  });
});
