import { KERNELS_WASM_BASE64 } from './kernels-wasm.generated.js';
import { warmTinyKernel } from './tiny-warmup.js';

/**
 * A WebAssembly memory, as the few members used here (the tensor package compiles without DOM or Node types).
 *
 * @example
 * ```ts
 * // not-runnable: a memory of the kernels
 * declare const memory: WasmMemory;
 * const view = new Float32Array(memory.buffer); // made again after memory.grow(pages)
 * ```
 * @category Backend
 */
export interface WasmMemory {
  /** The memory's bytes (replaced by a grow). */
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  /** Adds `pages` pages of 64 KiB; returns the previous size in pages. */
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { readonly exports: unknown } }>;
}

/** Pages of the shared memory's maximum, as declared by the shared build (scripts/build-wasm.mjs). */
export const SHARED_MAX_PAGES = 16384;

/**
 * The exports of the WebAssembly SIMD kernels (packages/tensor/assembly/kernels.ts). Addresses are byte offsets
 * into the memory; float32 arrays of `n` values.
 *
 * @example
 * ```ts
 * const resident = loadWasmBackend({ threads: 1 })?.resident; // undefined without WebAssembly SIMD
 * if (resident) {
 *   const base = resident.claim({ evict: () => undefined }, 64);
 *   resident.f32().set([0, 1], base >> 2);
 *   resident.kernels.sigmoidForward(base, base + 16, 2); // O = 1 / (1 + e^-x): 0.5 and 0.731 at base + 16
 * }
 * ```
 * @category Backend
 */
export interface KernelExports {
  /** The module's own memory (the shared build imports its memory instead). */
  readonly memory?: WasmMemory;
  /** The first free byte after the module's static data. */
  heapBase(): number;
  /** Bytes of scratch one gemm call needs at its `work` address. */
  gemmWorkBytes(): number;
  /** Copies the `cols` floats at `row` into each of the `rows` rows of `c` (a bias over a batch). */
  broadcastRows(c: number, row: number, rows: number, cols: number): void;
  /** W <- W - lr g in float64, rounded to float32 once. */
  sgdStep(param: number, grad: number, n: number, lr: number): void;
  /** torch's general sgd step (momentum, dampening, weight decay, nesterov), as the TypeScript one. */
  sgdMomentumStep(
    param: number,
    grad: number,
    buffer: number,
    n: number,
    lr: number,
    momentum: number,
    keep: number,
    weightDecay: number,
    nesterov: number,
    first: number,
  ): void;
  /** O = 1 / (1 + e^-x) on `n` float32 values (`out` may be `x`). */
  sigmoidForward(x: number, out: number, n: number): void;
  /** O = tanh x on `n` float32 values (`out` may be `x`). */
  tanhForward(x: number, out: number, n: number): void;
  /** O = max(x, 0) on `n` float32 values (`out` may be `x`). */
  reluForward(x: number, out: number, n: number): void;
  /** `n` float32 values from `src` to `dst`. */
  copyFloats(dst: number, src: number, n: number): void;
  /** delta = O (1 - O) dE/dO from the outputs y (`dx` may be `dy`). */
  sigmoidBackward(y: number, dy: number, dx: number, n: number): void;
  /** delta = (1 - O^2) dE/dO from the outputs y (`dx` may be `dy`). */
  tanhBackward(y: number, dy: number, dx: number, n: number): void;
  /** delta = dE/dO where the net input x > 0, else 0 (`dx` may be `dy`). */
  reluBackward(x: number, dy: number, dx: number, n: number): void;
  /** out[j] = 0 + sum of column j, rounded to float32 after every addition. */
  columnSumsF32(a: number, out: number, rows: number, cols: number): void;
  /** E = (0.5 sum (O - t)^2) / rows over `n` values, in float64. */
  mseLoss(o: number, t: number, n: number, rows: number): number;
  /** dE/dO = (O - t) / rows into `g`. */
  mseGrad(o: number, t: number, g: number, n: number, rows: number): void;
  /** softmax over each row of `cols` net inputs. */
  softmaxForward(x: number, out: number, rows: number, cols: number): void;
  /** The cross-entropy E of a softmax output from its net inputs, by log-sum-exp. */
  softmaxCrossEntropyLoss(x: number, t: number, rows: number, cols: number): number;
  /** dE/dx = (O sum t - t) / rows for a softmax output with cross-entropy, into `g`. */
  softmaxCrossEntropyGrad(o: number, t: number, g: number, rows: number, cols: number): void;
  /**
   * One training epoch of a tiny dense float32 network described at `plan` (forward, mse E, accuracy count, delta
   * rule, sgd step at `lr`, the epoch's sums), bit for bit the TypeScript path's; returns E (see `TinySgdNetwork`
   * of `@deltaflow/network`).
   */
  tinyEpoch(plan: number, lr: number): number;
  /** e^x by fdlibm's algorithm, as V8's Math.exp computes it. */
  tinyExp(x: number): number;
  /**
   * The epoch statistics' sums over `n` float32 values of a parameter v, its start-of-epoch copy s and its gradient
   * g, each in float64 in index order, as four float64 at `out`: sum v^2, sum (v - s)^2, sum s^2, sum g^2.
   */
  epochParameterSums(v: number, s: number, g: number, n: number, out: number): void;
  /** {@link KernelExports.epochParameterSums} of two parameters in turn (one call for the helper thread). */
  epochParameterSumsTwo(
    v: number,
    s: number,
    g: number,
    n: number,
    out: number,
    v2: number,
    s2: number,
    g2: number,
    n2: number,
    out2: number,
  ): void;
  /** sum |delta| (float64, in index order) and max |delta| over `n` float32 values, as two float64 at `out`. */
  epochDeltaSums(d: number, n: number, out: number): void;
  /**
   * C <- alpha op(A) op(B) + beta C on float32 matrices (rows of stored A `lda`, of stored B `ldb`, of C `ldc`
   * floats apart: a block of rows or of columns of a larger product).
   */
  gemm(
    transA: number,
    transB: number,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: number,
    b: number,
    beta: number,
    c: number,
    work: number,
    lda: number,
    ldb: number,
    ldc: number,
  ): void;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decodes base64 (no atob: it is not in every runtime's type library, and this is 20 lines). */
export function decodeBase64(text: string): Uint8Array {
  const clean = text.replace(/[^A-Za-z0-9+/]/g, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let o = 0;
  for (let i = 0; i < clean.length; i++) {
    value = (value << 6) | BASE64.indexOf(clean[i]!);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (value >> bits) & 0xff;
    }
  }
  return out.subarray(0, o);
}

/** The runtime's WebAssembly object, or undefined. */
export function webAssembly(): WasmApi | undefined {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
}

let bytes: Uint8Array | null = null;

/**
 * The kernels module's bytes (decoded once), the build with its own memory. The shared-memory build, for threads,
 * is in shared-kernels.ts, which only Node's entry (threads.node.ts) imports: browser bundles do not carry it.
 */
export function kernelBytes(): Uint8Array {
  return (bytes ??= decodeBase64(KERNELS_WASM_BASE64));
}

/** The kernels' `env.abort` import. */
export function abort(): never {
  throw new Error('deltaflow wasm kernels: abort');
}
const imports = { env: { abort } };

/**
 * Whether this runtime can run the kernels: it has WebAssembly and validates the module, which uses SIMD
 * (f32x4) instructions, so a runtime without SIMD answers false.
 */
export function wasmSimdSupported(): boolean {
  const api = webAssembly();
  if (!api) return false;
  try {
    return api.validate(kernelBytes());
  } catch {
    return false;
  }
}

/** Compiles and instantiates the kernels synchronously (fine in Node and workers, and for a small module). */
export function instantiateKernels(): { exports: KernelExports; memory: WasmMemory } {
  const api = webAssembly()!;
  const exports = new api.Instance(new api.Module(kernelBytes()), imports).exports as KernelExports;
  warmTinyKernel(exports, exports.memory!);
  return { exports, memory: exports.memory! };
}

/** Compiles and instantiates the kernels asynchronously (for a browser's main thread). */
export async function instantiateKernelsAsync(): Promise<{ exports: KernelExports; memory: WasmMemory }> {
  const { instance } = await webAssembly()!.instantiate(kernelBytes(), imports);
  const exports = instance.exports as KernelExports;
  warmTinyKernel(exports, exports.memory!);
  return { exports, memory: exports.memory! };
}
