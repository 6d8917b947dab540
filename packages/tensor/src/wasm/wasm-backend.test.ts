import { describe, expect, it } from 'vitest';
import { jsBackend, loadWasmBackend } from '../backends.js';
import { Random } from '../random.js';
import type { TypedArray } from '../tensor.js';
import { GemmThread } from './gemm-thread.js';
import { instantiateSharedKernels } from './shared-kernels.js';
import { instantiateKernels } from './wasm-module.js';

/** The textbook triple loop in float64: the reference both backends are held to. */
function reference(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: TypedArray,
  b: TypedArray,
  beta: number,
  c: TypedArray,
): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++)
        s += a[transA ? p * m + i : i * k + p]! * b[transB ? j * k + p : p * n + j]!;
      out[i * n + j] = alpha * s + (beta === 0 ? 0 : beta * c[i * n + j]!);
    }
  }
  return out;
}

function random(rng: Random, length: number): Float32Array {
  const x = new Float32Array(length);
  for (let i = 0; i < length; i++) x[i] = rng.range(-1, 1);
  return x;
}

/** Largest |got - want| / (1 + |want|): float32 rounding of a k-term sum stays far below 1e-4 here. */
function worstError(got: TypedArray, want: Float64Array): number {
  let worst = 0;
  for (let i = 0; i < want.length; i++)
    worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / (1 + Math.abs(want[i]!)));
  return worst;
}

const wasm = loadWasmBackend();

describe('the WebAssembly SIMD backend', () => {
  it('is available in this Node (WebAssembly with SIMD)', () => {
    expect(wasm?.name).toBe('wasm-simd');
  });

  // Odd sizes on every side of the register tile (4 x 8) and the blocks (KC 256, MC 128), random shapes too.
  const rng = new Random(2024);
  const shapes: [number, number, number][] = [
    [1, 1, 4097],
    [3, 5, 300],
    [17, 9, 33],
    [33, 17, 257],
    [129, 257, 300],
    [128, 1024, 64],
    [300, 9, 513],
    [5, 1000, 3],
    // The narrow path (n < 16, not 8): a 10-unit layer's products, odd rows (m % 8, m % 2), k % 4 tails, k = 1.
    [32, 10, 128],
    [128, 10, 32],
    [1024, 10, 128],
    [129, 10, 258],
    [37, 15, 131],
    [61, 3, 77],
    [300, 1, 17],
    [4097, 7, 1],
    // Small k (a 10-unit layer's dE/dO = delta W^T): a single depth block stored when beta = 0.
    [32, 128, 10],
    [130, 1024, 10],
  ];
  for (let s = 0; s < 6; s++) shapes.push([1 + rng.int(150), 1 + rng.int(150), 1 + rng.int(300)]);

  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      const variant = `${transA ? 'T' : 'N'}${transB ? 'T' : 'N'}`;
      it(`agrees with the TypeScript gemm and the float64 reference, ${variant}, on odd and random shapes`, () => {
        for (const [m, n, k] of shapes) {
          for (const [alpha, beta] of [
            [1, 0],
            [0.5, 1],
            [-2, 0.25],
          ] as const) {
            const a = random(rng, m * k);
            const b = random(rng, k * n);
            const c0 = random(rng, m * n);
            const want = reference(transA, transB, m, n, k, alpha, a, b, beta, c0);
            const viaWasm = c0.slice();
            const viaJs = c0.slice();
            wasm!.gemm(transA, transB, m, n, k, alpha, a, b, beta, viaWasm);
            jsBackend.gemm(transA, transB, m, n, k, alpha, a, b, beta, viaJs);
            const label = `${variant} [${m}, ${n}, ${k}] alpha ${alpha} beta ${beta}`;
            expect(worstError(viaWasm, want), label).toBeLessThan(1e-4);
            expect(worstError(viaJs, want), label).toBeLessThan(1e-4);
          }
        }
      });
    }
  }

  it('agrees with the TypeScript linear (a w + bias) on odd shapes', () => {
    for (const [rows, inputs, units] of [
      [1, 4097, 3],
      [31, 70, 17],
      [128, 300, 129],
    ] as const) {
      const a = random(rng, rows * inputs);
      const w = random(rng, inputs * units);
      const bias = random(rng, units);
      const viaWasm = new Float32Array(rows * units).fill(NaN);
      const viaJs = new Float32Array(rows * units).fill(NaN);
      wasm!.linear(a, w, bias, rows, inputs, units, viaWasm);
      jsBackend.linear(a, w, bias, rows, inputs, units, viaJs);
      const want = reference(false, false, rows, units, inputs, 1, a, w, 0, viaJs);
      for (let i = 0; i < rows; i++) for (let j = 0; j < units; j++) want[i * units + j] += bias[j]!;
      expect(worstError(viaWasm, want)).toBeLessThan(1e-4);
      expect(worstError(viaJs, want)).toBeLessThan(1e-4);
    }
  });

  it('overwrites NaN in C when beta is 0, as the TypeScript gemm does', () => {
    const m = 20;
    const a = new Float32Array(m * m).fill(1);
    const c = new Float32Array(m * m).fill(NaN);
    wasm!.gemm(false, false, m, m, m, 1, a, a, 0, c);
    expect(Array.from(c).every((v) => v === m)).toBe(true);
  });

  it('overwrites NaN in C when beta is 0 on the narrow path and over several depth blocks (stores, then adds)', () => {
    const r = new Random(13);
    for (const [transA, transB, m, n, k] of [
      [false, false, 33, 10, 129],
      [true, false, 33, 10, 129],
      [false, true, 33, 10, 129],
      [false, false, 40, 24, 600],
      [true, true, 40, 24, 600],
    ] as const) {
      const a = random(r, m * k);
      const b = random(r, k * n);
      const c = new Float32Array(m * n).fill(NaN);
      wasm!.gemm(transA, transB, m, n, k, 0.3, a, b, 0, c);
      const want = reference(transA, transB, m, n, k, 0.3, a, b, 0, c);
      expect(worstError(c, want), `[${m}, ${n}, ${k}]`).toBeLessThan(1e-4);
    }
  });

  it('leaves float64 data to the TypeScript kernels, exactly', () => {
    const rng64 = new Random(5);
    const [m, n, k] = [40, 30, 50];
    const a = Float64Array.from({ length: m * k }, () => rng64.range(-1, 1));
    const b = Float64Array.from({ length: k * n }, () => rng64.range(-1, 1));
    const viaWasm = new Float64Array(m * n);
    const viaJs = new Float64Array(m * n);
    wasm!.gemm(false, true, m, n, k, 1, a, b, 0, viaWasm);
    jsBackend.gemm(false, true, m, n, k, 1, a, b, 0, viaJs);
    expect(viaWasm).toEqual(viaJs);
  });

  it('reuses its memory across calls of growing and shrinking sizes', () => {
    const r = new Random(9);
    for (const size of [16, 700, 32, 1100, 64]) {
      const a = random(r, size * 48);
      const b = random(r, 48 * 40);
      const c = new Float32Array(size * 40);
      wasm!.gemm(false, false, size, 40, 48, 1, a, b, 0, c);
      expect(worstError(c, reference(false, false, size, 40, 48, 1, a, b, 0, c))).toBeLessThan(1e-4);
    }
  });
});

describe('the WebAssembly gemm kernel called directly (strides, sub-blocks of rows, tiny products)', () => {
  const { exports, memory } = instantiateKernels();
  const work = (exports.heapBase() + 15) & ~15;
  const base = (work + exports.gemmWorkBytes() + 15) & ~15;
  const PAD = 3;

  /**
   * Places A (rows `lda` apart), B and C (rows `ldc` apart, the padding filled with 7) in the memory, runs the
   * kernel on the blocks of rows of op(A) and C between `splits` (a helper thread's call), or of columns of op(B)
   * and C when `by` is 'columns' (B's rows still `ldb` = n, or k when transB, apart), or on all of them, and
   * returns C.
   */
  function run(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Float32Array,
    b: Float32Array,
    beta: number,
    c0: Float32Array,
    splits: number[],
    by: 'rows' | 'columns' | 'pieces-of-columns' | 'pieces-of-rows' = 'rows',
  ): Float32Array {
    const lda = (transA ? m : k) + PAD;
    const ldc = n + PAD;
    const aRows = transA ? k : m;
    const aAt = base;
    const bAt = aAt + ((4 * aRows * lda + 15) & ~15);
    const cAt = bAt + ((4 * k * n + 15) & ~15);
    const end = cAt + 4 * m * ldc;
    if (memory.buffer.byteLength < end) memory.grow(Math.ceil((end - memory.buffer.byteLength) / 65536));
    const heap = new Float32Array(memory.buffer);
    const aCols = transA ? m : k;
    for (let i = 0; i < aRows; i++) heap.set(a.subarray(i * aCols, (i + 1) * aCols), aAt / 4 + i * lda);
    heap.set(b, bAt / 4);
    heap.fill(7, cAt / 4, end / 4);
    for (let i = 0; i < m; i++) heap.set(c0.subarray(i * n, (i + 1) * n), cAt / 4 + i * ldc);
    const ldb = transB ? k : n;
    if (by === 'pieces-of-columns' || by === 'pieces-of-rows') {
      // the kernels' gemmPart, every piece of splits[0], the last first (the threads take them in any order)
      const parts = splits[0]!;
      const signed = by === 'pieces-of-columns' ? parts : -parts;
      const gemmPart = (exports as unknown as { gemmPart: (...args: number[]) => void }).gemmPart;
      for (let i = parts - 1; i >= 0; i--)
        gemmPart(
          transA ? 1 : 0,
          transB ? 1 : 0,
          m,
          n,
          k,
          alpha,
          aAt,
          bAt,
          beta,
          cAt,
          work,
          lda,
          ldb,
          ldc,
          signed,
          i,
        );
    }
    const bounds = by.startsWith('pieces') ? [] : [0, ...splits, by === 'rows' ? m : n];
    for (let s = 0; s + 1 < bounds.length; s++) {
      const r0 = bounds[s]!;
      const size = bounds[s + 1]! - r0;
      if (by === 'columns') {
        const bOffset = transB ? r0 * k : r0;
        exports.gemm(
          transA ? 1 : 0,
          transB ? 1 : 0,
          m,
          size,
          k,
          alpha,
          aAt,
          bAt + 4 * bOffset,
          beta,
          cAt + 4 * r0,
          work,
          lda,
          ldb,
          ldc,
        );
        continue;
      }
      const aOffset = transA ? r0 : r0 * lda;
      exports.gemm(
        transA ? 1 : 0,
        transB ? 1 : 0,
        size,
        n,
        k,
        alpha,
        aAt + 4 * aOffset,
        bAt,
        beta,
        cAt + 4 * r0 * ldc,
        work,
        lda,
        ldb,
        ldc,
      );
    }
    const out = new Float32Array(m * n);
    for (let i = 0; i < m; i++) {
      out.set(heap.subarray(cAt / 4 + i * ldc, cAt / 4 + i * ldc + n), i * n);
      for (let j = n; j < ldc; j++) expect(heap[cAt / 4 + i * ldc + j], 'the padding of C').toBe(7);
    }
    return out;
  }

  // Both paths (n = 10 and n < 8 narrow, the others packed), k = 1 and k % 4 tails, more than one depth block.
  const shapes: [number, number, number][] = [
    [1, 1, 1],
    [2, 10, 1],
    [3, 10, 5],
    [9, 10, 7],
    [17, 5, 33],
    [13, 11, 300],
    [33, 10, 129],
    [6, 128, 10],
    [21, 17, 3],
    [35, 40, 257],
  ];
  const rng = new Random(4242);
  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      const variant = `${transA ? 'T' : 'N'}${transB ? 'T' : 'N'}`;
      it(`agrees with the float64 reference with strided A and C, ${variant}, and writes nothing past n`, () => {
        for (const [m, n, k] of shapes) {
          for (const [alpha, beta] of [
            [1, 0],
            [0.3, 1],
            [-2, 0.7],
          ] as const) {
            const a = random(rng, m * k);
            const b = random(rng, k * n);
            const c0 = random(rng, m * n);
            const got = run(transA, transB, m, n, k, alpha, a, b, beta, c0, []);
            const want = reference(transA, transB, m, n, k, alpha, a, b, beta, c0);
            expect(worstError(got, want), `${variant} [${m}, ${n}, ${k}] ${alpha} ${beta}`).toBeLessThan(
              1e-4,
            );
          }
        }
      });

      it(`gives the same bits on blocks of rows as on the whole product (a helper thread's half), ${variant}`, () => {
        for (const [m, n, k] of [
          [37, 10, 131],
          [64, 10, 32],
          [29, 128, 10],
          [45, 24, 300],
        ] as const) {
          const a = random(rng, m * k);
          const b = random(rng, k * n);
          const c0 = random(rng, m * n);
          for (const beta of [0, 0.7]) {
            const whole = run(transA, transB, m, n, k, 0.3, a, b, beta, c0, []);
            for (const splits of [[4], [8, 20], [m - 3]]) {
              const parts = run(transA, transB, m, n, k, 0.3, a, b, beta, c0, splits);
              expect(parts, `${variant} [${m}, ${n}, ${k}] split at ${splits.join(', ')}`).toEqual(whole);
            }
          }
        }
      });

      it(`gives the same bits on blocks of columns as on the whole product (B's rows ldb apart), ${variant}`, () => {
        // blocks of at least 16 columns (never the narrow path), some not a multiple of the 8-column tile; more
        // than one depth block (k > 256) and a short last one
        for (const [m, n, k] of [
          [32, 128, 300],
          [37, 48, 131],
          [5, 181, 520],
          [64, 33, 10],
        ] as const) {
          const a = random(rng, m * k);
          const b = random(rng, k * n);
          const c0 = random(rng, m * n);
          for (const beta of [0, 0.7]) {
            const whole = run(transA, transB, m, n, k, 0.3, a, b, beta, c0, []);
            for (const splits of [
              [n >> 1],
              [16],
              [n - 16],
              [(n >> 1) & ~7],
              ...(n >= 48 ? [[16, n - 16]] : []),
            ]) {
              const parts = run(transA, transB, m, n, k, 0.3, a, b, beta, c0, splits, 'columns');
              expect(parts, `${variant} [${m}, ${n}, ${k}] columns split at ${splits.join(', ')}`).toEqual(
                whole,
              );
            }
          }
        }
      });

      it(`gives the same bits in pieces (gemmPart, by columns and by rows, the threads' pieces) as whole, ${variant}`, () => {
        // pieces of columns at least 16 wide (at most n / 32 of them, or 2), of rows at least 4 high (at most m / 8)
        for (const [m, n, k] of [
          [32, 128, 300],
          [37, 48, 131],
          [64, 181, 520],
          [130, 40, 10],
        ] as const) {
          const a = random(rng, m * k);
          const b = random(rng, k * n);
          const c0 = random(rng, m * n);
          for (const beta of [0, 0.7]) {
            const whole = run(transA, transB, m, n, k, 0.3, a, b, beta, c0, []);
            for (let parts = 2; parts <= Math.max(2, n >> 5); parts++) {
              const got = run(transA, transB, m, n, k, 0.3, a, b, beta, c0, [parts], 'pieces-of-columns');
              expect(got, `${variant} [${m}, ${n}, ${k}] ${parts} pieces of columns`).toEqual(whole);
            }
            for (let parts = 2; parts <= m >> 3; parts += parts < 4 ? 1 : 5) {
              const got = run(transA, transB, m, n, k, 0.3, a, b, beta, c0, [parts], 'pieces-of-rows');
              expect(got, `${variant} [${m}, ${n}, ${k}] ${parts} pieces of rows`).toEqual(whole);
            }
          }
        }
      });
    }
  }
});

describe('the sgd step W <- W - lr g of the WebAssembly backends', () => {
  /** What JavaScript computes: param[i] - lr * grad[i] in float64, rounded to float32 by the store. */
  function expected(param: Float32Array, grad: Float32Array, lr: number): Float32Array {
    const out = new Float32Array(param.length);
    for (let i = 0; i < param.length; i++) out[i] = param[i]! - lr * grad[i]!;
    return out;
  }

  /** How many entries differ in their bits (a plain loop: toEqual on 100k floats is slow). */
  function differing(a: Float32Array, b: Float32Array): number {
    const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
    const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
    let count = Math.abs(a.length - b.length);
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (x[i] !== y[i]) count++;
    return count;
  }

  const backends = [wasm!, loadWasmBackend({ threads: 2 })!];
  for (const backend of backends) {
    it(`gives bit for bit the TypeScript step (float64 arithmetic, one rounding), ${backend.name}`, () => {
      const rng = new Random(31);
      // Below SMALL_SGD (TypeScript), at it, odd tails of the 4-lane loop, MNIST's 784 x 128 weights.
      for (const n of [7, 1023, 1024, 1027, 4099, 100_352]) {
        // lr not representable in float32 (0.01, 0.3) would round differently in float32 arithmetic.
        for (const lr of [0.5, 0.01, 0.3, 1e-3]) {
          const param = random(rng, n);
          const grad = random(rng, n);
          for (let i = 0; i < n; i += 97) grad[i] = grad[i]! * 1e-6; // tiny updates: rounding is the whole result
          const want = expected(param, grad, lr);
          const viaJs = param.slice();
          jsBackend.sgdStep(viaJs, grad, lr);
          backend.sgdStep(param, grad, lr);
          expect(differing(param, want)).toBe(0);
          expect(differing(viaJs, want)).toBe(0);
        }
      }
    });
  }

  // torch.optim.SGD's general step: every combination of weight decay, momentum, dampening and nesterov, three
  // steps (the first sets the buffer), against the element-by-element TypeScript loop written out here.
  const variants = [
    { lr: 0.01, momentum: 0, dampening: 0, weightDecay: 1e-3, nesterov: false },
    { lr: 0.3, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false },
    { lr: 0.01, momentum: 0.9, dampening: 0.1, weightDecay: 5e-4, nesterov: false },
    { lr: 0.05, momentum: 0.7, dampening: 0, weightDecay: 1e-2, nesterov: true },
  ];
  function referenceStep(
    param: Float32Array,
    grad: Float32Array,
    buffer: Float32Array,
    o: (typeof variants)[number],
    first: boolean,
  ): void {
    for (let i = 0; i < param.length; i++) {
      let g = grad[i]!;
      if (o.weightDecay !== 0) g += o.weightDecay * param[i]!;
      if (o.momentum !== 0) {
        buffer[i] = first ? g : o.momentum * buffer[i]! + (1 - o.dampening) * g;
        g = o.nesterov ? g + o.momentum * buffer[i]! : buffer[i]!;
      }
      param[i] = param[i]! - o.lr * g;
    }
  }
  for (const backend of backends) {
    it(`gives bit for bit the TypeScript momentum and weight-decay steps, ${backend.name}`, () => {
      const rng = new Random(32);
      for (const n of [9, 1024, 1027, 30_001]) {
        for (const options of variants) {
          const param = random(rng, n);
          const want = param.slice();
          const viaJs = param.slice();
          const buffer = new Float32Array(n);
          const wantBuffer = new Float32Array(n);
          const jsBuffer = new Float32Array(n);
          for (let step = 1; step <= 3; step++) {
            const grad = random(rng, n);
            referenceStep(want, grad, wantBuffer, options, step === 1);
            jsBackend.sgdMomentumStep(viaJs, grad, jsBuffer, options, step === 1);
            backend.sgdMomentumStep(param, grad, buffer, options, step === 1);
          }
          expect(differing(param, want)).toBe(0);
          expect(differing(viaJs, want)).toBe(0);
          expect(differing(buffer, wantBuffer)).toBe(0);
          expect(differing(jsBuffer, wantBuffer)).toBe(0);
        }
      }
    });
  }

  it('leaves float64 parameters to the TypeScript step, exactly', () => {
    const param = Float64Array.from({ length: 3000 }, (_, i) => Math.sin(i));
    const grad = Float64Array.from({ length: 3000 }, (_, i) => Math.cos(i));
    const viaJs = param.slice();
    wasm!.sgdStep(param, grad, 0.01);
    jsBackend.sgdStep(viaJs, grad, 0.01);
    expect(param).toEqual(viaJs);
    expect(param[1]).toBe(Math.sin(1) - 0.01 * Math.cos(1));
  });
});

describe('the WebAssembly SIMD backend with a helper thread', () => {
  const threaded = loadWasmBackend({ threads: 2 });

  it('starts its helper thread (a worker on the shared memory) within a moment', async () => {
    const shared = instantiateSharedKernels();
    const helper = GemmThread.create(shared.module, shared.memory)!;
    for (let i = 0; i < 100 && !helper.ready; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(helper.ready).toBe(true);
    await helper.stop();
  });

  it("runs a call the helper has not taken on the caller, in the caller's work space, and both threads' calls alike", async () => {
    const shared = instantiateSharedKernels();
    const helper = GemmThread.create(shared.module, shared.memory)!;
    for (let i = 0; i < 100 && !helper.ready; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(helper.ready).toBe(true);
    const k = shared.exports;
    const work = (k.heapBase() + 15) & ~15;
    const helperWork = (work + k.gemmWorkBytes() + 15) & ~15;
    const at = (helperWork + k.gemmWorkBytes() + 15) & ~15;
    const [m, n, kk] = [37, 40, 300];
    const bytes = at + 4 * (m * kk + kk * n + 3 * m * n) + 64;
    if (shared.memory.buffer.byteLength < bytes)
      shared.memory.grow(Math.ceil((bytes - shared.memory.buffer.byteLength) / 65536));
    const heap = new Float32Array(shared.memory.buffer);
    const rng = new Random(5);
    const [aAt, bAt] = [at, at + 4 * m * kk];
    const cAt = [0, 1, 2].map((i) => bAt + 4 * kk * n + 4 * i * m * n);
    heap.set(random(rng, m * kk), aAt >> 2);
    heap.set(random(rng, kk * n), bAt >> 2);
    const product = (c: number): Float32Array => heap.slice(c >> 2, (c >> 2) + m * n);
    k.gemm(0, 0, m, n, kk, 1, aAt, bAt, 0, cAt[0]!, work, kk, n, n);
    // taken by the helper (it spins on the control block after starting): finish waits for it
    helper.start(false, false, m, n, kk, 1, aAt, bAt, 0, cAt[1]!, helperWork, kk, n, n);
    helper.finish();
    expect(product(cAt[1]!)).toEqual(product(cAt[0]!));
    // a stopped helper never takes a call: finish, given the caller's kernels, runs it here
    await helper.stop();
    helper.start(false, false, m, n, kk, 1, aAt, bAt, 0, cAt[2]!, helperWork, kk, n, n);
    helper.finish(k, work);
    expect(product(cAt[2]!)).toEqual(product(cAt[0]!));
  });

  it('runs in Node, next to the 1-thread backend', () => {
    expect(threaded?.name).toBe('wasm-simd-2t');
    expect(loadWasmBackend({ threads: 1 })?.name).toBe('wasm-simd');
  });

  it('gives bit for bit the 1-thread results in every transpose variant (rows split between the threads)', async () => {
    // The helper starts asynchronously; until it is up, products run on one thread (also correct).
    await new Promise((resolve) => setTimeout(resolve, 300));
    const rng = new Random(77);
    const single = loadWasmBackend({ threads: 1 })!;
    // Just above THREAD_MIN (2^22 multiply-adds), odd sizes on each side.
    for (const [m, n, k] of [
      [130, 129, 251],
      [64, 513, 129],
      [1025, 64, 65],
      [9, 1000, 467],
    ] as const) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          const a = random(rng, m * k);
          const b = random(rng, k * n);
          const c0 = random(rng, m * n);
          const viaThreads = c0.slice();
          const viaOne = c0.slice();
          threaded!.gemm(transA, transB, m, n, k, 0.5, a, b, 0.75, viaThreads);
          single.gemm(transA, transB, m, n, k, 0.5, a, b, 0.75, viaOne);
          expect(viaThreads).toEqual(viaOne);
          const want = reference(transA, transB, m, n, k, 0.5, a, b, 0.75, c0);
          expect(worstError(viaThreads, want)).toBeLessThan(1e-4);
        }
      }
    }
    const [rows, inputs, units] = [128, 300, 129];
    const a = random(rng, rows * inputs);
    const w = random(rng, inputs * units);
    const bias = random(rng, units);
    const viaThreads = new Float32Array(rows * units);
    const viaOne = new Float32Array(rows * units);
    threaded!.linear(a, w, bias, rows, inputs, units, viaThreads);
    single.linear(a, w, bias, rows, inputs, units, viaOne);
    expect(viaThreads).toEqual(viaOne);
  }, 30_000);
});
