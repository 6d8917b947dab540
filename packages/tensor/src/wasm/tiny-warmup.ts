import type { KernelExports, WasmMemory } from './wasm-module.js';

/** The warm-up network: 64 rows through 8-8-8-1 sigmoid, relu, linear layers (every code path of the kernel). */
const ROWS = 64;
const SIZES = [8, 8, 8, 1] as const;
const CODES = [0, 2, 3] as const;
/** Calls of the warm-up: what V8 needs to see of the kernel (at these sizes) before it optimises it. */
const CALLS = 2;

/**
 * Runs the tiny-network kernel (`tinyEpoch`, see `TinySgdNetwork` of `@deltaflow/network`) on a made-up network at
 * the memory's free space (from `heapBase()`, before anything else uses it), so that the runtime compiles it at
 * load, and its optimising tier picks it up in the background, rather than during a user's first training: a
 * tiny network's epochs are a few microseconds, and a 5,000-epoch run would otherwise spend most of its time in the
 * baseline tier. Costs well under a millisecond once, at load. Writes nothing outside the free space, and leaves
 * nothing behind that anyone reads.
 *
 * @param exports - the kernels just instantiated
 * @param memory - their memory
 */
export function warmTinyKernel(exports: KernelExports, memory: WasmMemory): void {
  const base = (exports.heapBase() + 15) & ~15;
  const layers = SIZES.length - 1;
  const header = 32 + 48 * layers;
  let at = base + ((header + 15) & ~15);
  const take = (floats: number): number => {
    const start = at;
    at = (at + 4 * floats + 15) & ~15;
    return start;
  };
  const results = take(2 * (3 + 11 * layers + 2));
  const inputs = take(ROWS * SIZES[0]);
  const targets = take(ROWS * SIZES[layers]);
  const places: number[][] = [];
  for (let l = 0; l < layers; l++) {
    const n = SIZES[l]!;
    const m = SIZES[l + 1]!;
    places.push([take(n * m), take(m), take(n * m), take(m), take(ROWS * m), take(ROWS * m), take(ROWS * m)]);
  }
  if (memory.buffer.byteLength < at) memory.grow(Math.ceil((at - memory.buffer.byteLength) / 65536));
  const i32 = new Int32Array(memory.buffer);
  const f32 = new Float32Array(memory.buffer);
  i32.set([layers, ROWS, inputs, targets, results, SIZES[layers]], base >> 2);
  for (let l = 0; l < layers; l++) {
    const [w, b, gw, gb, net, out, delta] = places[l]!;
    const below = l > 0 ? places[l - 1]![6]! : 0;
    i32.set(
      [SIZES[l]!, SIZES[l + 1]!, CODES[l]!, w!, b!, gw!, gb!, net!, out!, delta!, below],
      (base + 32 + 48 * l) >> 2,
    );
    for (let i = 0; i < SIZES[l]! * SIZES[l + 1]!; i++) f32[(w! >> 2) + i] = ((i % 7) - 3) / 8;
  }
  for (let i = 0; i < ROWS * SIZES[0]; i++) f32[(inputs >> 2) + i] = ((i % 5) - 2) / 2;
  for (let c = 0; c < CALLS; c++) exports.tinyEpoch(base, 0.01);
}
