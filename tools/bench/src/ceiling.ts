import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarize } from './stats.js';
import type { Summary } from './stats.js';

/** tools/bench, where assembly/ceiling.ts is (the same relative path from src/ and dist/). */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The part of AssemblyScript's `asc` API the bench uses (as scripts/build-wasm.mjs of @deltaflow/tensor). */
interface AscApi {
  main(
    argv: string[],
    options: {
      readFile(name: string, baseDir: string): string | null;
      writeFile(name: string, contents: Uint8Array | string): void;
      listFiles(): string[];
    },
  ): Promise<{ error: Error | null; stderr: { toString(): string } }>;
}

/** The few members of the WebAssembly JS API used here (the bench compiles with Node's types only). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  instantiate(bytes: Uint8Array): Promise<{ instance: { exports: Record<string, unknown> } }>;
}

/** The compiled ceiling loop: `fill(seed)` its operands, `ceiling(iterations)`, and the flops of one iteration. */
export interface CeilingModule {
  fill(seed: number): void;
  ceiling(iterations: number): number;
  flopsPerIteration: number;
}

/**
 * Compiles assembly/ceiling.ts with AssemblyScript (the flags of @deltaflow/tensor's kernels: simd, -O3, stub
 * runtime) and instantiates it; or says why it cannot (no SIMD in this runtime, asc missing).
 */
export async function compileCeiling(): Promise<CeilingModule | string> {
  let asc: AscApi;
  try {
    // a specifier in a variable: the compiler's own typings would replace Node's globals (console, ...)
    const specifier = 'assemblyscript/asc';
    asc = ((await import(specifier)) as { default: AscApi }).default;
  } catch (error) {
    return `assemblyscript is not installed (${(error as Error).message})`;
  }
  let binary: Uint8Array | null = null;
  const { error, stderr } = await asc.main(
    [
      'assembly/ceiling.ts',
      '--enable',
      'simd',
      '-O3',
      '--runtime',
      'stub',
      '--noAssert',
      '--outFile',
      'ceiling.wasm',
    ],
    {
      readFile: (name: string, baseDir: string) => {
        try {
          return readFileSync(resolve(ROOT, baseDir, name), 'utf8');
        } catch {
          return null;
        }
      },
      writeFile: (name: string, contents: Uint8Array | string) => {
        if (name.endsWith('.wasm')) binary = contents as Uint8Array;
      },
      listFiles: () => [],
    },
  );
  if (error || !binary)
    return `asc failed on assembly/ceiling.ts: ${stderr.toString().trim() || error?.message}`;
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!wasm) return 'this runtime has no WebAssembly';
  if (!wasm.validate(binary)) return 'this runtime has no WebAssembly SIMD';
  const { instance } = await wasm.instantiate(binary);
  const exports = instance.exports as unknown as {
    fill(seed: number): void;
    ceiling(iterations: number): number;
    FLOPS_PER_ITERATION: { value: number };
  };
  return {
    fill: (seed) => exports.fill(seed),
    ceiling: (iterations) => exports.ceiling(iterations),
    flopsPerIteration: exports.FLOPS_PER_ITERATION.value,
  };
}

/** Seconds by the wall clock, or of this process's CPU time (user + system: robust to a busy machine). */
export function now(clock: 'wall' | 'cpu'): number {
  if (clock === 'wall') return performance.now() / 1000;
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/**
 * GFLOP/s of the ceiling loop on this thread by `clock`: `repeats` timings of about `ms` each (after a warm-up
 * that also lets V8 move the function from its baseline compiler to its optimizing one).
 */
export function measureCeiling(
  module: CeilingModule,
  repeats: number,
  ms: number,
  clock: 'wall' | 'cpu' = 'wall',
): Summary {
  module.fill(1);
  const time = (iterations: number): number => {
    const t0 = now(clock);
    module.ceiling(iterations);
    return (now(clock) - t0) * 1000;
  };
  let iterations = 1 << 16;
  while (time(iterations) < 20) iterations *= 2;
  iterations = Math.max(1, Math.round((iterations * ms) / Math.max(time(iterations), 1e-3)));
  const values: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t = time(iterations);
    values.push((module.flopsPerIteration * iterations) / (t / 1000) / 1e9);
  }
  return summarize(values);
}
