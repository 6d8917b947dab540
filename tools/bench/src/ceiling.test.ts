import { describe, expect, it } from 'vitest';
import { compileCeiling, measureCeiling } from './ceiling.js';

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

describe('the WebAssembly SIMD ceiling loop', () => {
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
