import type { Backend, SgdStepOptions } from '../backend.js';
import { jsBackend } from '../js-backend.js';
import { sgdMomentumStepJs, sgdStepJs } from '../kernels/elementwise.js';
import { SMALL_GEMM, gemmJs, linearJs } from '../kernels/gemm.js';
import type { GemmThread } from './gemm-thread.js';
import { ResidentMemory } from './resident.js';
import type { KernelExports, WasmMemory } from './wasm-module.js';

const PAGE = 65536;
/**
 * Products of at least this many multiply-adds (about 4 million) are split between two threads when a helper
 * thread runs. Below it, waking the helper and sharing the caches cost about what half the product saves: W2's
 * products (3.2 million) trained 15 % slower on two threads, W3's (134 million) 1.4x faster.
 */
export const THREAD_MIN = 1 << 22;
/** Addresses of the last staging (module-level so staging allocates nothing). */
const staged = { aAt: 0, bAt: 0, extraAt: 0 };
const align16 = (x: number): number => (x + 15) & ~15;

/**
 * The linear memory of one kernels instance as the backend uses it: `[static data][gemm work][helper's gemm
 * work][C][A][B]`. The
 * layers' typed arrays live in the JS heap, so each product copies A and B in (and C when beta != 0) and C out:
 * memcpy speed, a few percent of a large product's time. C sits at a fixed address, so the view that copies
 * it out is cached per length and nothing is allocated once a training loop runs.
 */
class KernelMemory {
  private heap: Float32Array;
  private readonly work: number;
  private readonly helperWork: number;
  private cAddress: number;
  private readonly views = new Map<number, Float32Array>();
  /** Views of the momentum buffer's place in the sgd step, per length (its address depends on the length only). */
  private readonly bufferViews = new Map<number, Float32Array>();

  constructor(
    readonly exports: KernelExports,
    private readonly memory: WasmMemory,
    private readonly helper: GemmThread | null,
  ) {
    this.work = align16(exports.heapBase());
    this.helperWork = align16(this.work + exports.gemmWorkBytes());
    this.cAddress = align16(this.helperWork + (helper ? exports.gemmWorkBytes() : 0));
    this.heap = new Float32Array(memory.buffer);
  }

  /** The region kept by resident training plans, between the work spaces and the staging (made on first use). */
  resident(): ResidentMemory {
    return (this.residentMemory ??= new ResidentMemory(
      this.exports,
      this.memory,
      this.cAddress,
      this,
      this.helper,
      this.work,
      this.helperWork,
    ));
  }
  private residentMemory: ResidentMemory | null = null;

  /** Moves the staging (C, A, B of the general products) to `address` or later, past a resident region. */
  moveStaging(address: number): void {
    const at = align16(address);
    if (at <= this.cAddress) return;
    this.cAddress = at;
    this.views.clear();
    this.bufferViews.clear();
    if (this.heap.buffer !== this.memory.buffer) this.heap = new Float32Array(this.memory.buffer);
  }

  /** Grows the memory to at least `bytes` (a grow replaces the buffer: views are made anew). */
  private reserve(bytes: number): void {
    const memory = this.memory;
    if (memory.buffer.byteLength < bytes) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE));
    // a grow (here or by a resident plan's region) replaces the buffer
    if (this.heap.buffer === memory.buffer) return;
    this.heap = new Float32Array(memory.buffer);
    this.views.clear();
    this.bufferViews.clear();
  }

  private cView(length: number): Float32Array {
    let view = this.views.get(length);
    if (!view) {
      view = new Float32Array(this.memory.buffer, this.cAddress, length);
      this.views.set(length, view);
    }
    return view;
  }

  /** The kernel on staged operands: one thread, or the upper rows here and the lower rows on the helper. */
  private run(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    aAt: number,
    bAt: number,
    beta: number,
  ): void {
    const cAt = this.cAddress;
    const lda = transA ? m : k;
    const ldb = transB ? k : n;
    const helper = this.helper;
    if (helper !== null && m >= 8 && m * n * k >= THREAD_MIN && helper.ready) {
      const m0 = ((m >> 1) + 3) & ~3; // about half, a multiple of the 4-row register tile
      const aLower = aAt + 4 * (transA ? m0 : m0 * lda);
      helper.start(
        transA,
        transB,
        m - m0,
        n,
        k,
        alpha,
        aLower,
        bAt,
        beta,
        cAt + 4 * m0 * n,
        this.helperWork,
        lda,
        ldb,
        n,
      );
      this.exports.gemm(
        transA ? 1 : 0,
        transB ? 1 : 0,
        m0,
        n,
        k,
        alpha,
        aAt,
        bAt,
        beta,
        cAt,
        this.work,
        lda,
        ldb,
        n,
      );
      helper.finish(this.exports, this.work);
    } else {
      this.exports.gemm(
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
        this.work,
        lda,
        ldb,
        n,
      );
    }
  }

  /**
   * Copies A and B in and returns C's view; `extra` more floats are reserved after B (at the returned view's
   * `extraAt`, a byte address).
   */
  private stage(
    a: Float32Array,
    aLength: number,
    b: Float32Array,
    bLength: number,
    cLength: number,
    extra: number,
  ) {
    const aAt = align16(this.cAddress + 4 * cLength);
    const bAt = align16(aAt + 4 * aLength);
    const extraAt = align16(bAt + 4 * bLength);
    this.reserve(extraAt + 4 * extra);
    const heap = this.heap;
    heap.set(a.length === aLength ? a : a.subarray(0, aLength), aAt >> 2);
    heap.set(b.length === bLength ? b : b.subarray(0, bLength), bAt >> 2);
    staged.aAt = aAt;
    staged.bAt = bAt;
    staged.extraAt = extraAt;
    return this.cView(cLength);
  }

  gemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Float32Array,
    b: Float32Array,
    beta: number,
    c: Float32Array,
  ): void {
    const cLength = m * n;
    const cView = this.stage(a, m * k, b, k * n, cLength, 0);
    if (beta !== 0) cView.set(c.length === cLength ? c : c.subarray(0, cLength));
    this.run(transA, transB, m, n, k, alpha, staged.aAt, staged.bAt, beta);
    c.set(cView);
  }

  linear(
    a: Float32Array,
    w: Float32Array,
    bias: Float32Array,
    rows: number,
    inputs: number,
    units: number,
    out: Float32Array,
  ): void {
    const cView = this.stage(a, rows * inputs, w, inputs * units, rows * units, units);
    const { aAt, bAt, extraAt } = staged;
    this.heap.set(bias.length === units ? bias : bias.subarray(0, units), extraAt >> 2);
    this.exports.broadcastRows(this.cAddress, extraAt, rows, units);
    this.run(false, false, rows, units, inputs, 1, aAt, bAt, 1);
    out.set(cView);
  }

  /** W <- W - lr g: W and g copied in, the f64x2 loop, W copied out (memcpys, cheaper than the scalar loop). */
  sgdStep(param: Float32Array, grad: Float32Array, lr: number): void {
    const n = param.length;
    const pAt = this.cAddress;
    const gAt = align16(pAt + 4 * n);
    this.reserve(gAt + 4 * n);
    const heap = this.heap;
    heap.set(param, pAt >> 2);
    heap.set(grad.length === n ? grad : grad.subarray(0, n), gAt >> 2);
    this.exports.sgdStep(pAt, gAt, n, lr);
    param.set(this.cView(n));
  }

  /** The general step: W, g and the buffer copied in, the f64x2 loop, W and the buffer copied out. */
  sgdMomentumStep(
    param: Float32Array,
    grad: Float32Array,
    buffer: Float32Array,
    options: SgdStepOptions,
    first: boolean,
  ): void {
    const n = param.length;
    const withBuffer = options.momentum !== 0;
    const pAt = this.cAddress;
    const gAt = align16(pAt + 4 * n);
    const bAt = align16(gAt + 4 * n);
    this.reserve(bAt + 4 * n);
    const heap = this.heap;
    heap.set(param, pAt >> 2);
    heap.set(grad.length === n ? grad : grad.subarray(0, n), gAt >> 2);
    if (withBuffer && !first) heap.set(buffer.length === n ? buffer : buffer.subarray(0, n), bAt >> 2);
    const { lr, momentum, dampening, weightDecay, nesterov } = options;
    this.exports.sgdMomentumStep(
      pAt,
      gAt,
      bAt,
      n,
      lr,
      momentum,
      1 - dampening,
      weightDecay,
      nesterov ? 1 : 0,
      first ? 1 : 0,
    );
    param.set(this.cView(n));
    if (!withBuffer) return;
    let view = this.bufferViews.get(n);
    if (!view) {
      view = new Float32Array(this.memory.buffer, bAt, n);
      this.bufferViews.set(n, view);
    }
    buffer.set(view);
  }
}

/**
 * Arrays shorter than this take the TypeScript sgd step: below it the call and the copies cost what SIMD saves
 * (XOR's and the biases' few values).
 */
export const SMALL_SGD = 1024;

/**
 * A {@link Backend} over an instance of the WebAssembly SIMD kernels: float32 products of more than
 * {@link SMALL_GEMM} multiply-adds run in WebAssembly (f32x4, a 4 x 8 register tile over packed panels), split
 * with a helper thread from {@link THREAD_MIN} on when one is given; float64 data, small products and the
 * elementwise kernels use the TypeScript implementations.
 */
export function wasmBackendOf(
  instance: { exports: KernelExports; memory: WasmMemory },
  helper: GemmThread | null = null,
): Backend {
  const memory = new KernelMemory(instance.exports, instance.memory, helper);
  const gemm: Backend['gemm'] = (transA, transB, m, n, k, alpha, a, b, beta, c) => {
    if (
      m * n * k > SMALL_GEMM &&
      a instanceof Float32Array &&
      b instanceof Float32Array &&
      c instanceof Float32Array
    ) {
      try {
        memory.gemm(transA, transB, m, n, k, alpha, a, b, beta, c);
      } catch (error) {
        // A product too large for the memory (its maximum): the TypeScript kernel does it instead.
        if (!(error instanceof RangeError)) throw error;
        gemmJs(transA, transB, m, n, k, alpha, a, b, beta, c);
      }
    } else {
      gemmJs(transA, transB, m, n, k, alpha, a, b, beta, c);
    }
  };
  const linear: Backend['linear'] = (a, w, bias, rows, inputs, units, out) => {
    if (
      rows * inputs * units > SMALL_GEMM &&
      a instanceof Float32Array &&
      w instanceof Float32Array &&
      bias instanceof Float32Array &&
      out instanceof Float32Array
    ) {
      try {
        memory.linear(a, w, bias, rows, inputs, units, out);
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
        linearJs(a, w, bias, rows, inputs, units, out);
      }
    } else {
      linearJs(a, w, bias, rows, inputs, units, out);
    }
  };
  const sgdStep: Backend['sgdStep'] = (param, grad, lr) => {
    if (param.length >= SMALL_SGD && param instanceof Float32Array && grad instanceof Float32Array) {
      try {
        memory.sgdStep(param, grad, lr);
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
        sgdStepJs(param, grad, lr);
      }
    } else {
      sgdStepJs(param, grad, lr);
    }
  };
  const sgdMomentumStep: Backend['sgdMomentumStep'] = (param, grad, buffer, options, first) => {
    if (
      param.length >= SMALL_SGD &&
      param instanceof Float32Array &&
      grad instanceof Float32Array &&
      buffer instanceof Float32Array &&
      (options.momentum === 0 || buffer.length >= param.length)
    ) {
      try {
        memory.sgdMomentumStep(param, grad, buffer, options, first);
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
        sgdMomentumStepJs(param, grad, buffer, options, first);
      }
    } else {
      sgdMomentumStepJs(param, grad, buffer, options, first);
    }
  };
  let resident: ResidentMemory | undefined;
  return Object.freeze({
    ...jsBackend,
    get resident(): ResidentMemory {
      return (resident ??= memory.resident());
    },
    sgdMomentumStep,
    name: helper ? 'wasm-simd-2t' : 'wasm-simd',
    gemm,
    linear,
    sgdStep,
  });
}
