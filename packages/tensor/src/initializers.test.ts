import { DeltaflowError } from '@deltaflow/core';
import { describe, expect, it } from 'vitest';
import { getInitializer, initializers } from './initializers.js';
import { Random } from './random.js';

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

describe('the initializer table', () => {
  it('is a Registry of the built-ins, with configs for uniform and normal', () => {
    expect(initializers.names()).toEqual([
      'zeros',
      'uniform',
      'normal',
      'glorot-uniform',
      'glorot-normal',
      'he-uniform',
      'he-normal',
      'lecun-normal',
    ]);
    expect(initializers.source('he-normal')).toBe('builtin');
    const w = new Float64Array(1000);
    getInitializer({ name: 'uniform', config: { bound: 0.5 } })(w, 10, 100, new Random(1));
    expect(Math.max(...w)).toBeGreaterThan(0.4);
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(0.5);
  });

  it('names an unknown config key with a suggestion, refuses a number that is not finite (E_CONFIG)', () => {
    expect(thrown(() => getInitializer({ name: 'uniform', config: { bounds: 0.1 } }))).toEqual({
      code: 'E_CONFIG',
      message: "The initializer 'uniform' has no config key 'bounds'; did you mean 'bound'? Its keys: bound.",
    });
    const error = thrown(() => getInitializer({ name: 'normal', config: { std: Infinity } }));
    expect(error.code).toBe('E_CONFIG');
    expect(error.message).toContain("config key 'std' must be a finite number");
  });

  it('gives E_DEFINITION, E_DUPLICATE and E_UNKNOWN as every table does', () => {
    expect(thrown(() => initializers.register('odd', { name: 'odd' } as never)).code).toBe('E_DEFINITION');
    expect(
      thrown(() =>
        initializers.register('zeros', { name: 'zeros', defaults: {}, create: () => () => undefined }),
      ).code,
    ).toBe('E_DUPLICATE');
    expect(thrown(() => getInitializer('orthogonal')).code).toBe('E_UNKNOWN');
  });
});
