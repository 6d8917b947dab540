import type { TypedArray } from '../tensor.js';
import { gemmPacked } from './gemm-packed.js';

/**
 * Below this many multiply-adds (m * n * k) a plain dot-product loop beats packing: the layers of a small
 * network (XOR 2-4-1 does 8 to 32 per product) are dominated by call overhead, not arithmetic.
 */
export const SMALL_GEMM = 4096;

/**
 * `C <- alpha * op(A) op(B) + beta * C` in TypeScript (see {@link Backend.gemm}), for float32 and float64.
 *
 * Large products go through {@link gemmPacked}: op(A) and op(B) are packed into contiguous panels (which absorbs
 * every transpose variant) and a 4 x 4 register-blocked micro-kernel keeps sixteen sums in registers. Small
 * products use a direct dot-product loop.
 */
export function gemmJs(
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
): void {
  scale(c, m * n, beta);
  if (alpha === 0 || k === 0 || m === 0 || n === 0) return;
  if (m * n * k <= SMALL_GEMM) gemmSmall(transA, transB, m, n, k, alpha, a, b, c);
  else gemmPacked(transA, transB, m, n, k, alpha, a, b, c);
}

/**
 * `out = a w + bias` for every row (see {@link Backend.linear}): small layers as one loop whose sums start at
 * the bias, large ones as the bias broadcast into `out` followed by the packed gemm with beta = 1.
 */
export function linearJs(
  a: TypedArray,
  w: TypedArray,
  bias: TypedArray,
  rows: number,
  inputs: number,
  units: number,
  out: TypedArray,
): void {
  if (rows * inputs * units > SMALL_GEMM) {
    for (let i = 0; i < rows; i++) out.set(bias.length === units ? bias : bias.subarray(0, units), i * units);
    if (inputs > 0) gemmPacked(false, false, rows, units, inputs, 1, a, w, out);
    return;
  }
  for (let i = 0; i < rows; i++) {
    const ai = i * inputs;
    const oi = i * units;
    for (let j = 0; j < units; j++) {
      let s = bias[j]!;
      for (let p = 0; p < inputs; p++) s += a[ai + p]! * w[p * units + j]!;
      out[oi + j] = s;
    }
  }
}

/** Below this many elements a plain loop clears or scales `c` faster than a `fill` call. */
const SHORT = 64;

/** `c[0:size] *= beta`, where beta = 0 overwrites (NaN in c included). */
export function scale(c: TypedArray, size: number, beta: number): void {
  if (beta === 1) return;
  if (beta === 0) {
    if (size > SHORT) c.fill(0, 0, size);
    else for (let i = 0; i < size; i++) c[i] = 0;
  } else for (let i = 0; i < size; i++) c[i]! *= beta;
}

/**
 * C += alpha * op(A) op(B) for small products (B and C fit in the L1 cache), without packing or blocking: NN
 * streams rows of B and C (i-p-j order) four rows of C at a time, NT is a dot product of two contiguous rows, TN
 * (the weight gradient O_inᵀ delta) and TT strided dot products.
 */
function gemmSmall(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: TypedArray,
  b: TypedArray,
  c: TypedArray,
): void {
  if (!transB) {
    // B[p, j] at b[p*n + j] (TN, the weight gradient O_inᵀ delta) or, below, at b[j*k + p] (TT).
    if (transA) gemmColumnDots(m, n, k, alpha, a, b, n, 1, c);
    else gemmRowsOfB(m, n, k, alpha, a, b, c);
  } else if (!transA) {
    gemmNT(m, n, k, alpha, a, b, c);
  } else {
    gemmColumnDots(m, n, k, alpha, a, b, 1, k, c);
  }
}

function gemmRowsOfB(
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: TypedArray,
  b: TypedArray,
  c: TypedArray,
): void {
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const c0 = i * n;
    const c1 = c0 + n;
    const c2 = c1 + n;
    const c3 = c2 + n;
    for (let p = 0; p < k; p++) {
      const a0 = alpha * a[i * k + p]!;
      const a1 = alpha * a[(i + 1) * k + p]!;
      const a2 = alpha * a[(i + 2) * k + p]!;
      const a3 = alpha * a[(i + 3) * k + p]!;
      const bp = p * n;
      for (let j = 0; j < n; j++) {
        const bv = b[bp + j]!;
        c[c0 + j]! += a0 * bv;
        c[c1 + j]! += a1 * bv;
        c[c2 + j]! += a2 * bv;
        c[c3 + j]! += a3 * bv;
      }
    }
  }
  for (; i < m; i++) {
    const ci = i * n;
    for (let p = 0; p < k; p++) {
      const av = alpha * a[i * k + p]!;
      const bp = p * n;
      for (let j = 0; j < n; j++) c[ci + j]! += av * b[bp + j]!;
    }
  }
}

/**
 * C += alpha * Aᵀ op(B) with A `[k, m]`: one strided dot product down a column of A per element, B[p, j] read at
 * `b[p * ps + j * js]` (TN: ps = n, js = 1; TT: ps = 1, js = k).
 */
function gemmColumnDots(
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: TypedArray,
  b: TypedArray,
  ps: number,
  js: number,
  c: TypedArray,
): void {
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let j = 0; j < n; j++) {
      const bj = j * js;
      let s = 0;
      for (let p = 0; p < k; p++) s += a[p * m + i]! * b[p * ps + bj]!;
      c[ci + j]! += alpha * s;
    }
  }
}

function gemmNT(
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: TypedArray,
  b: TypedArray,
  c: TypedArray,
): void {
  for (let i = 0; i < m; i++) {
    const ai = i * k;
    const ci = i * n;
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const b0 = j * k;
      const b1 = b0 + k;
      let s0 = 0;
      let s1 = 0;
      for (let p = 0; p < k; p++) {
        const av = a[ai + p]!;
        s0 += av * b[b0 + p]!;
        s1 += av * b[b1 + p]!;
      }
      c[ci + j]! += alpha * s0;
      c[ci + j + 1]! += alpha * s1;
    }
    for (; j < n; j++) {
      const bj = j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += a[ai + p]! * b[bj + p]!;
      c[ci + j]! += alpha * s;
    }
  }
}
