import type { TypedArray } from './tensor.js';
import type { ResidentMemory } from './wasm/resident.js';

/**
 * The options of the general sgd step ({@link Backend.sgdMomentumStep}), named as torch.optim.SGD's: an sgd
 * optimizer's options object fits as it is.
 *
 * @example
 * ```ts
 * const options: SgdStepOptions = { lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false };
 * ```
 * @category Backend
 */
export interface SgdStepOptions {
  /** eta, the learning rate. */
  readonly lr: number;
  /** mu, the momentum factor (0: no buffer is read or written). */
  readonly momentum: number;
  /** tau, the dampening of the gradient added to the buffer. */
  readonly dampening: number;
  /** lambda, the L2 penalty added to the gradient (0: none). */
  readonly weightDecay: number;
  /** Nesterov momentum. */
  readonly nesterov: boolean;
}

/**
 * The table of kernels every computation in deltaflow goes through. All arrays are dense and row-major; kernels
 * write into caller-given outputs and allocate nothing. A faster backend (WebAssembly SIMD, threads) implements
 * the same table and is installed with {@link setBackend}; no other package changes.
 *
 * @example
 * ```ts
 * const logging: Backend = { ...getBackend(), name: 'logging', gemm: (...args) => { console.log('gemm'); jsBackend.gemm(...args); } };
 * setBackend(logging);
 * ```
 * @category Backend
 */
export interface Backend {
  /** A short name, e.g. `'js'` or `'wasm-simd'`. */
  readonly name: string;
  /**
   * The WebAssembly backends' resident region and kernels on addresses (for training plans that keep a model in
   * WebAssembly memory); undefined on other backends.
   */
  readonly resident?: ResidentMemory;
  /**
   * General matrix multiply, `C <- alpha * op(A) op(B) + beta * C`, with `op(A)` of shape `[m, k]`,
   * `op(B)` `[k, n]`, `C` `[m, n]`. `A` is stored `[m, k]`, or `[k, m]` when `transA`; `B` is stored `[k, n]`,
   * or `[n, k]` when `transB`. With `beta = 0`, `C` is overwritten (its old contents, even NaN, are ignored).
   */
  gemm(
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
  ): void;
  /**
   * The net input of a dense layer, `out[i, j] = bias[j] + sum_p a[i, p] w[p, j]` (x_j = sum_i O_i W_ij + theta_j
   * for every sample), with `a` `[rows, inputs]`, `w` `[inputs, units]`, `bias` `[units]`, `out` `[rows, units]`:
   * the product and the bias in one pass.
   */
  linear(
    a: TypedArray,
    w: TypedArray,
    bias: TypedArray,
    rows: number,
    inputs: number,
    units: number,
    out: TypedArray,
  ): void;
  /** `out[i, j] = a[i, j] + row[j]` for a `[rows, cols]` matrix (a bias added to every sample). */
  addRowVector(a: TypedArray, row: TypedArray, rows: number, cols: number, out: TypedArray): void;
  /** `out[j] = beta * out[j] + sum_i a[i, j]`: the sum of every column (bias gradients). */
  columnSums(a: TypedArray, rows: number, cols: number, beta: number, out: TypedArray): void;
  /** `out[i] = sum_j a[i, j]`: the sum of every row. */
  rowSums(a: TypedArray, rows: number, cols: number, out: TypedArray): void;
  /** `out[i]` = the column index of the largest entry of row i (the first one on ties). */
  argmaxRows(a: TypedArray, rows: number, cols: number, out: Int32Array): void;
  /**
   * The plain sgd step `param[i] <- param[i] - lr * grad[i]` (W <- W - eta dE/dW) on every element, computed in
   * float64 and rounded to the array's type once, as the TypeScript expression `param[i] - lr * grad[i]` does.
   */
  sgdStep(param: TypedArray, grad: TypedArray, lr: number): void;
  /**
   * The general sgd step of torch.optim.SGD on every element, in float64 with each stored value rounded to the
   * arrays' type (the buffer before it is used again): g = grad + lambda param (lambda != 0); with momentum mu,
   * b = g at the first step (`first`), else mu b + (1 - tau) g, stored in `buffer`, then g = g + mu b (nesterov)
   * or b; param = param - eta g. `buffer` is not touched when mu is 0.
   */
  sgdMomentumStep(
    param: TypedArray,
    grad: TypedArray,
    buffer: TypedArray,
    options: SgdStepOptions,
    first: boolean,
  ): void;
  /** `out[i] = f(a[i])`. `out` may be `a`. */
  map(a: TypedArray, out: TypedArray, f: (x: number) => number): void;
  /** `out[i] = f(a[i], b[i])`. `out` may be `a` or `b`. */
  zip(a: TypedArray, b: TypedArray, out: TypedArray, f: (x: number, y: number) => number): void;
}
