import { describe, expect, it } from 'vitest';
import { previewValue } from './preview.js';

describe('previewValue', () => {
  it('shows numbers JSON cannot write as they are, not as null', () => {
    expect(previewValue(Infinity)).toBe('Infinity');
    expect(previewValue(-Infinity)).toBe('-Infinity');
    expect(previewValue(NaN)).toBe('NaN');
    expect(previewValue(null)).toBe('null');
    expect(previewValue(undefined)).toBe('nothing');
  });

  it('cuts long texts and describes arrays and objects without walking into them', () => {
    expect(previewValue('abc')).toBe('"abc"');
    expect(previewValue('x'.repeat(1000))).toBe(`"${'x'.repeat(37)}..."`);
    expect(previewValue([])).toBe('an empty array');
    expect(previewValue([1])).toBe('an array of 1 item');
    expect(previewValue({ a: 1, b: 2, c: 3, d: 4 })).toBe('an object with keys a, b, c, ...');
    expect(previewValue({})).toBe('an empty object');
  });

  it('costs nothing for a value nested 100,000 levels deep (JSON.stringify overflows the stack)', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(() => JSON.stringify(deep)).toThrow(/call stack/);
    expect(previewValue(deep)).toBe('an array of 1 item');
  });
});

describe('checkConfig with a hostile config', () => {
  it('refuses a config nested 100,000 deep in one sentence (no stack overflow)', async () => {
    const { checkConfig } = await import('./config.js');
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(() => checkConfig('activation', 'leaky-relu', deep as never, { negativeSlope: 0.01 })).toThrow(
      /^The activation 'leaky-relu' takes a config object such as \{ negativeSlope: 0\.01 \}, not an array of 1 item\.$/,
    );
  });
});
