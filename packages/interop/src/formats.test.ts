import { describe, expect, it } from 'vitest';
import { EXPORT_FORMATS } from './index.js';

describe('EXPORT_FORMATS', () => {
  it('lists the three formats the CLI offers, in its order', () => {
    expect(EXPORT_FORMATS).toEqual(['onnx', 'torch', 'js']);
  });
});
