/**
 * The kernels run the tiny-network kernel once when they are instantiated (its warm-up), in the memory's free
 * space, and are as usable as before afterwards.
 */
import { describe, expect, it } from 'vitest';
import { instantiateKernels, instantiateKernelsAsync } from './wasm-module.js';

/** Where the warm-up's plan and results are: from heapBase(), after a header of 3 layers (32 + 3 x 48 bytes). */
function warmed(exports: { heapBase(): number }, buffer: ArrayBufferLike): { layers: number; loss: number } {
  const base = (exports.heapBase() + 15) & ~15;
  return {
    layers: new Int32Array(buffer, base, 1)[0]!,
    loss: new Float64Array(buffer, base + ((32 + 48 * 3 + 15) & ~15), 1)[0]!,
  };
}

describe('tiny-network kernel warm-up', () => {
  it('runs at instantiation, synchronous and asynchronous, and leaves the kernels working', async () => {
    for (const { exports, memory } of [instantiateKernels(), await instantiateKernelsAsync()]) {
      const { layers, loss } = warmed(exports, memory.buffer);
      expect(layers).toBe(3);
      expect(Number.isFinite(loss)).toBe(true);
      expect(loss).toBeGreaterThan(0);
      expect(exports.tinyExp(1)).toBe(Math.E);
    }
  });
});
