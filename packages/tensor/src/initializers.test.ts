import { describe, expect, it } from 'vitest';
import { getInitializer, initializers } from './initializers.js';
import { Random } from './random.js';

/** A DeltaflowError with code E_CONFIG and `message` (a string or a matcher). */
const configError = (message: unknown) => expect.objectContaining({ code: 'E_CONFIG', message });
const containing = (text: string) => expect.stringContaining(text);

const code = (expected: string) => expect.objectContaining({ code: expected });

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
    expect(() => getInitializer({ name: 'uniform', config: { bounds: 0.1 } })).toThrow(
      configError(
        "The initializer 'uniform' has no config key 'bounds'; did you mean 'bound'? Its keys: bound.",
      ),
    );
    expect(() => getInitializer({ name: 'normal', config: { std: Infinity } })).toThrow(
      configError(containing("config key 'std' must be a finite number")),
    );
  });

  it('gives E_DEFINITION, E_DUPLICATE and E_UNKNOWN as every table does', () => {
    expect(() => initializers.register('odd', { name: 'odd' } as never)).toThrow(code('E_DEFINITION'));
    const zeros = { name: 'zeros', defaults: {}, create: () => () => undefined };
    expect(() => initializers.register('zeros', zeros)).toThrow(code('E_DUPLICATE'));
    expect(() => getInitializer('orthogonal')).toThrow(code('E_UNKNOWN'));
  });
});
