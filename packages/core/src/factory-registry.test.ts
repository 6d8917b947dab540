import { describe, expect, it } from 'vitest';
import { activationEntryProblem } from './entries.js';
import { factoryRegistry } from './factory-registry.js';

describe('factoryRegistry', () => {
  const table = factoryRegistry<(step: number) => number>('schedule');
  table.register('inverse', {
    name: 'inverse',
    defaults: { k: 1, tMax: 10 },
    required: ['tMax'],
    create:
      ({ k }) =>
      (step) =>
        1 / (1 + (k as number) * step),
  });

  it('checks the config with the core checker, then builds from it', () => {
    expect(table.create('inverse', { k: 0.5, tMax: 3 })(2)).toBe(0.5);
    expect(() => table.create('inverse', { K: 0.5, tMax: 3 })).toThrow(
      expect.objectContaining({ code: 'E_CONFIG', message: expect.stringContaining("did you mean 'k'?") }),
    );
    expect(() => table.create('inverse', { k: 0.5 })).toThrow(/needs the config key 'tMax'/);
    expect(() => table.create('inverse', { k: Infinity, tMax: 3 })).toThrow(/must be a finite number/);
  });

  it('refuses a definition that is not a factory', () => {
    expect(() => table.register('odd', { name: 'odd' } as never)).toThrow(
      expect.objectContaining({ code: 'E_DEFINITION' }),
    );
  });
});

describe('entry shapes', () => {
  it('accept the optional kinks of an activation, finite numbers only', () => {
    const relu = { name: 'relu', f: (x: number) => Math.max(0, x), df: (x: number) => (x > 0 ? 1 : 0) };
    expect(activationEntryProblem({ ...relu, kinks: [0] })).toBeUndefined();
    expect(activationEntryProblem({ ...relu, kinks: [Number.NaN] })).toBe(
      'its kinks must be an array of finite numbers',
    );
  });
});
