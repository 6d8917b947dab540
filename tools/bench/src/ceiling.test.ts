import { describe, expect, it } from 'vitest';
import { compileCeiling, compileKernels, measureCeiling } from './ceiling.js';

const f = Math.fround;

/** The ceiling loop in float32 arithmetic, lane by lane, as assembly/ceiling.ts writes it. */
function reference(iterations: number, seed: number): number {
  const buffer = Array.from({ length: 256 }, (_, i) => f(f(f(seed) * f((i % 7) + 1)) / 1024));
  const acc = Array.from({ length: 12 }, () => [0, 0, 0, 0]);
  for (let i = 0; i < iterations; i++) {
    const slot = (i & 15) * 16;
    for (let r = 0; r < 12; r++) {
      const a = buffer[slot + 4 + r]!;
      const chain = acc[r]!;
      for (let lane = 0; lane < 4; lane++) chain[lane] = f(chain[lane]! + f(a * buffer[slot + lane]!));
    }
  }
  const s = [0, 1, 2, 3].map((lane) =>
    acc.slice(1).reduce((x, chain) => f(x + chain[lane]!), acc[0]![lane]!),
  );
  return f(f(f(s[0]! + s[1]!) + s[2]!) + s[3]!);
}

/** A register tile's loop (rows broadcasts times `vectors` f32x4 of b), as assembly/ceiling.ts writes it. */
function tileReference(rows: number, vectors: number, iterations: number, seed: number): number {
  const buffer = Array.from({ length: 256 }, (_, i) => f(f(f(seed) * f((i % 7) + 1)) / 1024));
  const acc = Array.from({ length: rows * vectors }, () => [0, 0, 0, 0]);
  for (let i = 0; i < iterations; i++) {
    const slot = (i & 15) * 16;
    for (let r = 0; r < rows; r++) {
      const a = buffer[slot + 4 * vectors + r]!;
      for (let v = 0; v < vectors; v++) {
        const chain = acc[r * vectors + v]!;
        for (let lane = 0; lane < 4; lane++)
          chain[lane] = f(chain[lane]! + f(a * buffer[slot + 4 * v + lane]!));
      }
    }
  }
  const s = [0, 1, 2, 3].map((lane) =>
    acc.slice(1).reduce((x, chain) => f(x + chain[lane]!), acc[0]![lane]!),
  );
  return f(f(f(s[0]! + s[1]!) + s[2]!) + s[3]!);
}

describe('the WebAssembly SIMD ceiling loop', () => {
  it('also runs the 5 x 8 and 3 x 12 register tiles (80 and 72 flops an iteration), bit for bit', async () => {
    const module = await compileCeiling();
    if (typeof module === 'string') throw new Error(module);
    const [chains, tile5x8, tile3x12] = module.loops;
    expect(chains!.flopsPerIteration).toBe(96);
    expect(tile5x8!.flopsPerIteration).toBe(80);
    expect(tile3x12!.flopsPerIteration).toBe(72);
    for (const [iterations, seed] of [
      [0, 1],
      [1, 0.5],
      [1000, 1],
      [4097, -2],
    ] as const) {
      module.fill(seed);
      expect(tile5x8!.run(iterations)).toBe(tileReference(5, 2, iterations, seed));
      expect(tile3x12!.run(iterations)).toBe(tileReference(3, 3, iterations, seed));
      expect(chains!.run(iterations)).toBe(reference(iterations, seed));
    }
    const summary = measureCeiling(module, 2, 5, 'cpu', tile3x12);
    expect(summary.n).toBe(2);
    expect(summary.min).toBeGreaterThan(0);
  });

  it("compiles @deltaflow/tensor's kernels for --kernels (the gemm alone, on operands in its memory)", async () => {
    const kernels = await compileKernels();
    if (typeof kernels === 'string') throw new Error(kernels);
    const work = (kernels.heapBase() + 15) & ~15;
    const at = (work + kernels.gemmWorkBytes() + 15) & ~15;
    const have = kernels.memory.buffer.byteLength;
    if (have < at + 64) kernels.memory.grow(Math.ceil((at + 64 - have) / 65536));
    const heap = new Float32Array(kernels.memory.buffer);
    heap.set([1, 2, 3, 4, 5, 6], at >> 2); // A [2 x 3] then B [3 x 1], C [2 x 1]
    heap.set([1, 1, 1], (at >> 2) + 6);
    kernels.gemm(0, 0, 2, 1, 3, 1, at, at + 24, 0, at + 36, work, 3, 1, 1);
    expect(Array.from(heap.subarray((at >> 2) + 9, (at >> 2) + 11))).toEqual([6, 15]);
  });

  it('compiles and runs 12 chains acc_r += a_r * b of f32x4 (96 flops an iteration), bit for bit', async () => {
    const module = await compileCeiling();
    if (typeof module === 'string') throw new Error(module);
    expect(module.flopsPerIteration).toBe(96);
    for (const [iterations, seed] of [
      [0, 1],
      [1, 0.5],
      [1000, 1],
      [4097, -2],
    ] as const) {
      module.fill(seed);
      expect(module.ceiling(iterations)).toBe(reference(iterations, seed));
    }
  });

  it('reports GFLOP/s as a summary of the repeats asked for', async () => {
    const module = await compileCeiling();
    if (typeof module === 'string') throw new Error(module);
    const summary = measureCeiling(module, 3, 5);
    expect(summary.n).toBe(3);
    expect(summary.min).toBeGreaterThan(0);
    expect(summary.min).toBeLessThanOrEqual(summary.median);
    expect(summary.median).toBeLessThanOrEqual(summary.max);
  });
});
