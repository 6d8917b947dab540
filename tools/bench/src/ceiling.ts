import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarize } from './stats.js';
import type { Summary } from './stats.js';
import type { KernelExports } from '@deltaflow/tensor';

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
  instantiate(
    bytes: Uint8Array,
    imports: object,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
}

/** One loop of the ceiling: `run(iterations)` does `flopsPerIteration` flops an iteration in registers. */
export interface CeilingLoop {
  name: string;
  run(iterations: number): number;
  flopsPerIteration: number;
}

/**
 * The compiled ceiling loops: `fill(seed)` their operands; `ceiling(iterations)` is the loop (12 chains,
 * `flopsPerIteration` flops an iteration); `loops` are it and the two register tiles, the bench's ceiling being
 * the best of them.
 */
export interface CeilingModule {
  fill(seed: number): void;
  ceiling(iterations: number): number;
  flopsPerIteration: number;
  loops: CeilingLoop[];
}

/**
 * The exports of @deltaflow/tensor's assembly/kernels.ts the bench calls (addresses are byte offsets): the
 * package's own `KernelExports`, with the module's own memory.
 */
export type KernelsModule = Pick<KernelExports, 'heapBase' | 'gemmWorkBytes' | 'gemm'> & {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
};

/**
 * Compiles an AssemblyScript file under tools/bench (or a path relative to it) with the flags of
 * @deltaflow/tensor's kernels (simd, -O3, stub runtime) and instantiates it; or says why it cannot.
 */
async function compileAssembly(file: string): Promise<Record<string, unknown> | string> {
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
    [file, '--enable', 'simd', '-O3', '--runtime', 'stub', '--noAssert', '--outFile', 'out.wasm'],
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
  if (error || !binary) return `asc failed on ${file}: ${stderr.toString().trim() || error?.message}`;
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!wasm) return 'this runtime has no WebAssembly';
  if (!wasm.validate(binary)) return 'this runtime has no WebAssembly SIMD';
  const abort = (): never => {
    throw new Error(`${file}: abort`);
  };
  const { instance } = await wasm.instantiate(binary, { env: { abort } });
  return instance.exports;
}

/**
 * Compiles assembly/ceiling.ts with AssemblyScript (the flags of @deltaflow/tensor's kernels: simd, -O3, stub
 * runtime) and instantiates it; or says why it cannot (no SIMD in this runtime, asc missing).
 */
export async function compileCeiling(): Promise<CeilingModule | string> {
  const compiled = await compileAssembly('assembly/ceiling.ts');
  if (typeof compiled === 'string') return compiled;
  const exports = compiled as unknown as {
    fill(seed: number): void;
    ceiling(iterations: number): number;
    tile5x8(iterations: number): number;
    tile3x12(iterations: number): number;
    FLOPS_PER_ITERATION: { value: number };
    FLOPS_5X8: { value: number };
    FLOPS_3X12: { value: number };
  };
  return {
    fill: (seed) => exports.fill(seed),
    ceiling: (iterations) => exports.ceiling(iterations),
    flopsPerIteration: exports.FLOPS_PER_ITERATION.value,
    loops: [
      {
        name: "12 chains (the issue's)",
        run: (iterations) => exports.ceiling(iterations),
        flopsPerIteration: exports.FLOPS_PER_ITERATION.value,
      },
      {
        name: '5 x 8 tile',
        run: (iterations) => exports.tile5x8(iterations),
        flopsPerIteration: exports.FLOPS_5X8.value,
      },
      {
        name: '3 x 12 tile',
        run: (iterations) => exports.tile3x12(iterations),
        flopsPerIteration: exports.FLOPS_3X12.value,
      },
    ],
  };
}

/**
 * Compiles @deltaflow/tensor's assembly/kernels.ts, the source of its WebAssembly backend, with the flags of its
 * build, so `--kernels` can time the gemm kernel on operands already in its memory (the backend also copies
 * them in and out). Or says why it cannot.
 */
export async function compileKernels(): Promise<KernelsModule | string> {
  const compiled = await compileAssembly('../../packages/tensor/assembly/kernels.ts');
  return typeof compiled === 'string' ? compiled : (compiled as unknown as KernelsModule);
}

/** Seconds by the wall clock, or of this process's CPU time (user + system: robust to a busy machine). */
export function now(clock: 'wall' | 'cpu'): number {
  if (clock === 'wall') return performance.now() / 1000;
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/**
 * GFLOP/s of a ceiling loop (the 12 chains unless `loop` is given) on this thread by `clock`: `repeats`
 * timings of about `ms` each (after a warm-up that also lets V8 move the function from its baseline compiler to
 * its optimizing one).
 */
export function measureCeiling(
  module: CeilingModule,
  repeats: number,
  ms: number,
  clock: 'wall' | 'cpu' = 'wall',
  loop: CeilingLoop = module.loops[0]!,
): Summary {
  module.fill(1);
  const time = (iterations: number): number => {
    const t0 = now(clock);
    loop.run(iterations);
    return (now(clock) - t0) * 1000;
  };
  let iterations = 1 << 16;
  while (time(iterations) < 20) iterations *= 2;
  iterations = Math.max(1, Math.round((iterations * ms) / Math.max(time(iterations), 1e-3)));
  const values: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t = time(iterations);
    values.push((loop.flopsPerIteration * iterations) / (t / 1000) / 1e9);
  }
  return summarize(values);
}
