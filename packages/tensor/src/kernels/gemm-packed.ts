import type { TypedArray } from '../tensor.js';

/** Rows of the register tile. */
const MR = 4;
/** Columns of the register tile. */
const NR = 4;
/** Depth of a packed block. */
const KC = 256;
/** Rows of op(A) packed at once. */
const MC = 64;
/** Columns of op(B) packed at once. */
const NC = 1024;

// Packed panels, made once and grown only when a bigger product needs them (never in a steady training loop).
let packedA = new Float64Array(0);
let packedB = new Float64Array(0);
/** The register tile of an edge block, written out element by element. */
const edge = new Float64Array(MR * NR);

/**
 * Packs op(B)[pc:pc+kc, jc:jc+nc] into NR-wide column panels (panel-major, zero-padded), where
 * op(B)(p, j) = b[p * bp + j * bj].
 */
function packB(b: TypedArray, bp: number, bj: number, pc: number, kc: number, jc: number, nc: number): void {
  const out = packedB;
  let o = 0;
  for (let jr = 0; jr < nc; jr += NR) {
    const w = Math.min(NR, nc - jr);
    for (let p = 0; p < kc; p++) {
      const row = (pc + p) * bp + (jc + jr) * bj;
      if (w === NR) {
        out[o] = b[row]!;
        out[o + 1] = b[row + bj]!;
        out[o + 2] = b[row + 2 * bj]!;
        out[o + 3] = b[row + 3 * bj]!;
      } else {
        for (let q = 0; q < NR; q++) out[o + q] = q < w ? b[row + q * bj]! : 0;
      }
      o += NR;
    }
  }
}

/**
 * Packs alpha * op(A)[ic:ic+mc, pc:pc+kc] into MR-high row panels (panel-major, zero-padded), where
 * op(A)(i, p) = a[i * ai + p * ap].
 */
function packA(
  a: TypedArray,
  ai: number,
  ap: number,
  ic: number,
  mc: number,
  pc: number,
  kc: number,
  alpha: number,
): void {
  const out = packedA;
  let o = 0;
  for (let ir = 0; ir < mc; ir += MR) {
    const h = Math.min(MR, mc - ir);
    for (let p = 0; p < kc; p++) {
      const col = (ic + ir) * ai + (pc + p) * ap;
      if (h === MR) {
        out[o] = alpha * a[col]!;
        out[o + 1] = alpha * a[col + ai]!;
        out[o + 2] = alpha * a[col + 2 * ai]!;
        out[o + 3] = alpha * a[col + 3 * ai]!;
      } else {
        for (let r = 0; r < MR; r++) out[o + r] = r < h ? alpha * a[col + r * ai]! : 0;
      }
      o += MR;
    }
  }
}

/** C[co..] += A panel x B panel for one MR x NR tile; 16 sums held in locals (registers). */
function kernel(
  ao: number,
  bo: number,
  kc: number,
  c: TypedArray,
  co: number,
  ldc: number,
  mr: number,
  nr: number,
): void {
  const pa = packedA;
  const pb = packedB;
  let c00 = 0,
    c01 = 0,
    c02 = 0,
    c03 = 0;
  let c10 = 0,
    c11 = 0,
    c12 = 0,
    c13 = 0;
  let c20 = 0,
    c21 = 0,
    c22 = 0,
    c23 = 0;
  let c30 = 0,
    c31 = 0,
    c32 = 0,
    c33 = 0;
  for (let p = 0; p < kc; p++) {
    const a0 = pa[ao]!;
    const a1 = pa[ao + 1]!;
    const a2 = pa[ao + 2]!;
    const a3 = pa[ao + 3]!;
    const b0 = pb[bo]!;
    const b1 = pb[bo + 1]!;
    const b2 = pb[bo + 2]!;
    const b3 = pb[bo + 3]!;
    c00 += a0 * b0;
    c01 += a0 * b1;
    c02 += a0 * b2;
    c03 += a0 * b3;
    c10 += a1 * b0;
    c11 += a1 * b1;
    c12 += a1 * b2;
    c13 += a1 * b3;
    c20 += a2 * b0;
    c21 += a2 * b1;
    c22 += a2 * b2;
    c23 += a2 * b3;
    c30 += a3 * b0;
    c31 += a3 * b1;
    c32 += a3 * b2;
    c33 += a3 * b3;
    ao += MR;
    bo += NR;
  }
  if (mr === MR && nr === NR) {
    c[co]! += c00;
    c[co + 1]! += c01;
    c[co + 2]! += c02;
    c[co + 3]! += c03;
    co += ldc;
    c[co]! += c10;
    c[co + 1]! += c11;
    c[co + 2]! += c12;
    c[co + 3]! += c13;
    co += ldc;
    c[co]! += c20;
    c[co + 1]! += c21;
    c[co + 2]! += c22;
    c[co + 3]! += c23;
    co += ldc;
    c[co]! += c30;
    c[co + 1]! += c31;
    c[co + 2]! += c32;
    c[co + 3]! += c33;
    return;
  }
  const t = edge;
  t[0] = c00;
  t[1] = c01;
  t[2] = c02;
  t[3] = c03;
  t[4] = c10;
  t[5] = c11;
  t[6] = c12;
  t[7] = c13;
  t[8] = c20;
  t[9] = c21;
  t[10] = c22;
  t[11] = c23;
  t[12] = c30;
  t[13] = c31;
  t[14] = c32;
  t[15] = c33;
  for (let r = 0; r < mr; r++) for (let q = 0; q < nr; q++) c[co + r * ldc + q]! += t[r * NR + q]!;
}

/**
 * C += alpha * op(A) op(B) by packed panels and a 4 x 4 register-blocked micro-kernel (the GotoBLAS loop nest:
 * NC columns of B, KC deep, MC rows of A, then NR x MR tiles). Sums are float64 for either dtype.
 */
export function gemmPacked(
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
  const ai = transA ? 1 : k;
  const ap = transA ? m : 1;
  const bp = transB ? 1 : n;
  const bj = transB ? k : 1;
  const ncMax = Math.min(NC, Math.ceil(n / NR) * NR);
  const kcMax = Math.min(KC, k);
  if (packedB.length < kcMax * ncMax) packedB = new Float64Array(kcMax * ncMax);
  if (packedA.length < kcMax * MC) packedA = new Float64Array(kcMax * MC);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      packB(b, bp, bj, pc, kc, jc, nc);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packA(a, ai, ap, ic, mc, pc, kc, alpha);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = Math.min(NR, nc - jr);
          for (let ir = 0; ir < mc; ir += MR) {
            kernel(ir * kc, jr * kc, kc, c, (ic + ir) * n + jc + jr, n, Math.min(MR, mc - ir), nr);
          }
        }
      }
    }
  }
}
