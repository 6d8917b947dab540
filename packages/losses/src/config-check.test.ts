import { DeltaflowError } from '@deltaflow/core';
import { afterEach, describe, expect, it } from 'vitest';
import { getLoss, losses, registerLoss } from './index.js';

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

afterEach(() => losses.unregister('scaled-mse'));

describe('the loss table uses the core checker and codes', () => {
  it('names an unknown config key with a suggestion (E_CONFIG)', () => {
    expect(thrown(() => getLoss({ name: 'huber', config: { detla: 2 } as never }))).toEqual({
      code: 'E_CONFIG',
      message: "The loss 'huber' has no config key 'detla'; did you mean 'delta'? Its keys: delta.",
    });
  });

  it('refuses a number that is not finite, for any factory (E_CONFIG)', () => {
    // A plugin's factory that checks nothing itself: the table refuses NaN before create sees it.
    registerLoss({ name: 'scaled-mse', defaults: { scale: 1 }, create: () => getLoss('mse') });
    for (const scale of [Number.NaN, Infinity]) {
      const error = thrown(() => getLoss({ name: 'scaled-mse', config: { scale } }));
      expect(error.code).toBe('E_CONFIG');
      expect(error.message).toContain("config key 'scale' must be a finite number");
    }
  });

  it('gives E_DEFINITION for a malformed definition, E_DUPLICATE for a taken name, E_UNKNOWN for a missing one', () => {
    expect(thrown(() => registerLoss({ name: 'half', f: () => 0 } as never)).code).toBe('E_DEFINITION');
    expect(thrown(() => registerLoss({ name: 'mse', f: () => 0, df: () => undefined })).code).toBe(
      'E_DUPLICATE',
    );
    expect(thrown(() => getLoss('nope')).code).toBe('E_UNKNOWN');
  });
});
