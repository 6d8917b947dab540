// AssemblyScript source of the WebAssembly SIMD kernels (float32). Built by scripts/build-wasm.mjs into
// src/wasm/gemm-wasm.generated.ts; never imported by TypeScript directly.
//
// gemm follows the GotoBLAS/BLIS scheme: op(B) is packed into KC x NR column panels and alpha * op(A) into
// MR x KC row panels (the transposes are absorbed by the packing), and a register-blocked MR x NR micro-kernel
// keeps MR * NR / 4 f32x4 accumulators in registers while it streams the two panels. A narrow op(B) (fewer than
// 16 columns, not 8: a 10-unit layer) takes tiles shaped for it instead, with little or no packing (isNarrow).

/** Rows of the micro-tile (one broadcast of A each). */
const MR: i32 = 4;
/** Columns of the micro-tile: two f32x4 vectors. */
const NR: i32 = 8;
/** Depth of a packed block: an NR-wide panel of B is KC * NR * 4 = 8 KiB, which stays in L1. */
const KC: i32 = 256;
/** Rows of A packed at once: MC * KC * 4 = 128 KiB, which stays in L2. */
const MC: i32 = 128;
/** Columns of B packed at once. */
const NC: i32 = 2048;

/**
 * Bytes of work space one gemm call needs at `work`: the packed panels and an edge tile. Threads that share one
 * memory pass their own work spaces, so nothing static is ever written.
 */
export function gemmWorkBytes(): i32 {
  return (MC * KC + KC * NC + MR * NR) * 4;
}

/** First free byte after the module's static data. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}

function scaleC(c: usize, size: i32, beta: f32): void {
  if (beta == 1) return;
  if (beta == 0) {
    memory.fill(c, 0, (<usize>size) << 2);
    return;
  }
  const vb = f32x4.splat(beta);
  let i = 0;
  for (; i + 4 <= size; i += 4) {
    const p = c + ((<usize>i) << 2);
    v128.store(p, f32x4.mul(v128.load(p), vb));
  }
  for (; i < size; i++) {
    const p = c + ((<usize>i) << 2);
    store<f32>(p, load<f32>(p) * beta);
  }
}

/** 1.0 in every lane (the scale of a transposed copy of B). */
const ONE: v128 = f32x4.splat(1);

/**
 * Copies the 4 x 4 block of rows at `src`, `srcStride` bytes apart, transposed and times `scale`, to rows at
 * `dst`, `dstStride` bytes apart: the transposing packs at f32x4 speed instead of one float at a time.
 */
function transpose4(src: usize, srcStride: usize, dst: usize, dstStride: usize, scale: v128): void {
  const r0 = v128.load(src);
  const r1 = v128.load(src + srcStride);
  const r2 = v128.load(src + srcStride * 2);
  const r3 = v128.load(src + srcStride * 3);
  const t0 = f32x4.shuffle(r0, r1, 0, 4, 1, 5);
  const t1 = f32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const t2 = f32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const t3 = f32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(dst, f32x4.mul(f32x4.shuffle(t0, t2, 0, 1, 4, 5), scale));
  v128.store(dst + dstStride, f32x4.mul(f32x4.shuffle(t0, t2, 2, 3, 6, 7), scale));
  v128.store(dst + dstStride * 2, f32x4.mul(f32x4.shuffle(t1, t3, 0, 1, 4, 5), scale));
  v128.store(dst + dstStride * 3, f32x4.mul(f32x4.shuffle(t1, t3, 2, 3, 6, 7), scale));
}

/** Packs op(B)[pc:pc+kc, jc:jc+nc] into NR-wide panels, panel-major, zero-padded. */
function packB(transB: bool, b: usize, n: i32, k: i32, pc: i32, kc: i32, jc: i32, nc: i32, pb: usize): void {
  let out = pb;
  for (let jr = 0; jr < nc; jr += NR) {
    const w = min(NR, nc - jr);
    const j0 = jc + jr;
    if (!transB) {
      // op(B)(p, j) = b[p * n + j]: rows of the panel are contiguous.
      if (w == NR) {
        for (let p = 0; p < kc; p++) {
          const src = b + ((<usize>(pc + p) * n + j0) << 2);
          v128.store(out, v128.load(src));
          v128.store(out, v128.load(src, 16), 16);
          out += NR << 2;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const src = b + ((<usize>(pc + p) * n + j0) << 2);
          for (let q = 0; q < NR; q++) store<f32>(out + (q << 2), q < w ? load<f32>(src + (q << 2)) : 0);
          out += NR << 2;
        }
      }
    } else {
      // op(B)(p, j) = b[j * k + p]: each column of the panel is a contiguous row of b, transposed 4 x 4 at a
      // time (two blocks per four depths) when the panel is whole.
      let p = 0;
      if (w == NR) {
        const stride = (<usize>k) << 2;
        const src = b + ((<usize>j0 * k + pc) << 2);
        for (; p + 4 <= kc; p += 4) {
          const s = src + ((<usize>p) << 2);
          const d = out + ((<usize>p * NR) << 2);
          transpose4(s, stride, d, NR << 2, ONE);
          transpose4(s + (stride << 2), stride, d + 16, NR << 2, ONE);
        }
      }
      for (let q = 0; q < NR; q++) {
        const dst = out + (q << 2);
        if (q < w) {
          const src = b + ((<usize>(j0 + q) * k + pc) << 2);
          for (let r = p; r < kc; r++)
            store<f32>(dst + ((<usize>r * NR) << 2), load<f32>(src + ((<usize>r) << 2)));
        } else {
          for (let r = p; r < kc; r++) store<f32>(dst + ((<usize>r * NR) << 2), 0);
        }
      }
      out += (<usize>kc * NR) << 2;
    }
  }
}

/** Packs alpha * op(A)[ic:ic+mc, pc:pc+kc] into MR-high panels, panel-major, zero-padded. */
function packA(
  transA: bool,
  a: usize,
  lda: i32,
  ic: i32,
  mc: i32,
  pc: i32,
  kc: i32,
  alpha: f32,
  pa: usize,
): void {
  let out = pa;
  for (let ir = 0; ir < mc; ir += MR) {
    const h = min(MR, mc - ir);
    const i0 = ic + ir;
    if (transA) {
      // op(A)(i, p) = a[p * lda + i]: the MR values of one depth p are contiguous.
      if (h == MR) {
        const va = f32x4.splat(alpha);
        for (let p = 0; p < kc; p++) {
          v128.store(out, f32x4.mul(v128.load(a + ((<usize>(pc + p) * lda + i0) << 2)), va));
          out += MR << 2;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const src = a + ((<usize>(pc + p) * lda + i0) << 2);
          for (let r = 0; r < MR; r++)
            store<f32>(out + (r << 2), r < h ? alpha * load<f32>(src + (r << 2)) : 0);
          out += MR << 2;
        }
      }
    } else {
      // op(A)(i, p) = a[i * lda + p]: each row of the panel is a contiguous row of a, transposed 4 x 4 at a time
      // when the panel is whole.
      let p = 0;
      if (h == MR) {
        const stride = (<usize>lda) << 2;
        const src = a + ((<usize>i0 * lda + pc) << 2);
        const va = f32x4.splat(alpha);
        for (; p + 4 <= kc; p += 4)
          transpose4(src + ((<usize>p) << 2), stride, out + ((<usize>p * MR) << 2), MR << 2, va);
      }
      for (let r = 0; r < MR; r++) {
        const dst = out + (r << 2);
        if (r < h) {
          const src = a + ((<usize>(i0 + r) * lda + pc) << 2);
          for (let q = p; q < kc; q++)
            store<f32>(dst + ((<usize>q * MR) << 2), alpha * load<f32>(src + ((<usize>q) << 2)));
        } else {
          for (let q = p; q < kc; q++) store<f32>(dst + ((<usize>q * MR) << 2), 0);
        }
      }
      out += (<usize>kc * MR) << 2;
    }
  }
}

/** Products whose op(B) has at most this much depth take the narrow path (its scratch is the packed-B area). */
const NARROW_MAX_K: i32 = (KC * NC) / 16;

/**
 * Whether gemm takes the narrow path: op(B) has fewer than 16 columns and not exactly 8 (a layer of 10 outputs),
 * where the 4 x 8 tile would leave up to 6 of its 8 lanes idle and the packing of the large operand, op(A),
 * would cost about what its few columns of arithmetic do. It depends on the transposes, n and k only, so a
 * block of rows (a helper thread's half) takes the same path and gets the same bits.
 */
function isNarrow(transA: bool, transB: bool, n: i32, k: i32): bool {
  return n < 16 && n != NR && !(transA && transB) && k <= NARROW_MAX_K;
}

/**
 * The narrow product when A is stored transposed (dE/dW = O^T delta of a 10-unit layer): op(A)'s columns are
 * rows of a, so the tile turns round and reads them in place. 8 rows (two f32x4 of one row of a) times 5 columns
 * (a broadcast of op(B) each), ten accumulators, nothing packed; a last tile of fewer than 8 rows reads a
 * zero-padded copy of its rows instead (never past A). C += alpha * tile (or = when `first`).
 */
function narrowColumns(
  transB: bool,
  m: i32,
  n: i32,
  k: i32,
  alpha: f32,
  a: usize,
  b: usize,
  c: usize,
  work: usize,
  lda: i32,
  ldc: i32,
  first: bool,
): void {
  const tile = work;
  const copy = work + ((<usize>(MC * KC)) << 2);
  // op(B)(p, j) is b[p * n + j], or b[j * k + p] when transB: bytes between columns, and between depths.
  const colStep: usize = transB ? (<usize>k) << 2 : 4;
  const rowStep: usize = transB ? 4 : (<usize>n) << 2;
  const last = n - 1;
  for (let i0 = 0; i0 < m; i0 += 8) {
    const rows = min(8, m - i0);
    let src = a + ((<usize>i0) << 2);
    let stride = (<usize>lda) << 2;
    if (rows < 8) {
      for (let p = 0; p < k; p++)
        for (let r = 0; r < 8; r++)
          store<f32>(
            copy + ((<usize>(p * 8 + r)) << 2),
            r < rows ? load<f32>(a + ((<usize>p * lda + i0 + r) << 2)) : 0,
          );
      src = copy;
      stride = 32;
    }
    for (let j0 = 0; j0 < n; j0 += 5) {
      const cols = min(5, n - j0);
      const b0 = b + <usize>j0 * colStep;
      const b1 = b + <usize>min(j0 + 1, last) * colStep;
      const b2 = b + <usize>min(j0 + 2, last) * colStep;
      const b3 = b + <usize>min(j0 + 3, last) * colStep;
      const b4 = b + <usize>min(j0 + 4, last) * colStep;
      let c00 = f32x4.splat(0);
      let c01 = f32x4.splat(0);
      let c10 = f32x4.splat(0);
      let c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0);
      let c21 = f32x4.splat(0);
      let c30 = f32x4.splat(0);
      let c31 = f32x4.splat(0);
      let c40 = f32x4.splat(0);
      let c41 = f32x4.splat(0);
      let pa = src;
      let off: usize = 0;
      for (let p = 0; p < k; p++) {
        const x0 = v128.load(pa);
        const x1 = v128.load(pa, 16);
        let s = v128.load32_splat(b0 + off);
        c00 = f32x4.add(c00, f32x4.mul(x0, s));
        c01 = f32x4.add(c01, f32x4.mul(x1, s));
        s = v128.load32_splat(b1 + off);
        c10 = f32x4.add(c10, f32x4.mul(x0, s));
        c11 = f32x4.add(c11, f32x4.mul(x1, s));
        s = v128.load32_splat(b2 + off);
        c20 = f32x4.add(c20, f32x4.mul(x0, s));
        c21 = f32x4.add(c21, f32x4.mul(x1, s));
        s = v128.load32_splat(b3 + off);
        c30 = f32x4.add(c30, f32x4.mul(x0, s));
        c31 = f32x4.add(c31, f32x4.mul(x1, s));
        s = v128.load32_splat(b4 + off);
        c40 = f32x4.add(c40, f32x4.mul(x0, s));
        c41 = f32x4.add(c41, f32x4.mul(x1, s));
        pa += stride;
        off += rowStep;
      }
      // tile[q * 8 + r] = alpha * C tile (r, q): column q's 8 rows.
      const va = f32x4.splat(alpha);
      v128.store(tile, f32x4.mul(c00, va));
      v128.store(tile, f32x4.mul(c01, va), 16);
      v128.store(tile, f32x4.mul(c10, va), 32);
      v128.store(tile, f32x4.mul(c11, va), 48);
      v128.store(tile, f32x4.mul(c20, va), 64);
      v128.store(tile, f32x4.mul(c21, va), 80);
      v128.store(tile, f32x4.mul(c30, va), 96);
      v128.store(tile, f32x4.mul(c31, va), 112);
      v128.store(tile, f32x4.mul(c40, va), 128);
      v128.store(tile, f32x4.mul(c41, va), 144);
      for (let r = 0; r < rows; r++) {
        const row = c + ((<usize>(i0 + r) * ldc + j0) << 2);
        for (let q = 0; q < cols; q++) {
          const v = load<f32>(tile + ((<usize>(q * 8 + r)) << 2));
          const at = row + ((<usize>q) << 2);
          store<f32>(at, first ? v : load<f32>(at) + v);
        }
      }
    }
  }
}

/**
 * The narrow product when A is not transposed (x = O W of a 10-unit layer, or delta W^T): C(i, j) is the dot
 * product of row i of a and column j of op(B), which is a row of b when transB and otherwise a row of a
 * transposed copy of B (n x k, small: B has at most 15 columns). 2 rows times 5 columns, ten f32x4 accumulators
 * over four depths at a time (no broadcasts, op(A) not packed), each summed across its lanes at the end with the
 * k % 4 last depths. C += alpha * tile (or = when `first`).
 */
function narrowDots(
  transB: bool,
  m: i32,
  n: i32,
  k: i32,
  alpha: f32,
  a: usize,
  b: usize,
  c: usize,
  work: usize,
  lda: i32,
  ldc: i32,
  first: bool,
): void {
  const tile = work;
  let bt = b;
  if (!transB) {
    bt = work + ((<usize>(MC * KC)) << 2);
    for (let p = 0; p < k; p++)
      for (let j = 0; j < n; j++)
        store<f32>(bt + ((<usize>j * k + p) << 2), load<f32>(b + ((<usize>p * n + j) << 2)));
  }
  const rowBytes = (<usize>k) << 2;
  const k4 = k & ~3;
  const last = n - 1;
  for (let i0 = 0; i0 < m; i0 += 2) {
    const rows = min(2, m - i0);
    const a0 = a + ((<usize>i0 * lda) << 2);
    const a1 = rows > 1 ? a0 + ((<usize>lda) << 2) : a0;
    for (let j0 = 0; j0 < n; j0 += 5) {
      const cols = min(5, n - j0);
      const b0 = bt + <usize>j0 * rowBytes;
      const b1 = bt + <usize>min(j0 + 1, last) * rowBytes;
      const b2 = bt + <usize>min(j0 + 2, last) * rowBytes;
      const b3 = bt + <usize>min(j0 + 3, last) * rowBytes;
      const b4 = bt + <usize>min(j0 + 4, last) * rowBytes;
      let c00 = f32x4.splat(0);
      let c01 = f32x4.splat(0);
      let c02 = f32x4.splat(0);
      let c03 = f32x4.splat(0);
      let c04 = f32x4.splat(0);
      let c10 = f32x4.splat(0);
      let c11 = f32x4.splat(0);
      let c12 = f32x4.splat(0);
      let c13 = f32x4.splat(0);
      let c14 = f32x4.splat(0);
      for (let off: usize = 0; off < (<usize>k4) << 2; off += 16) {
        const x0 = v128.load(a0 + off);
        const x1 = v128.load(a1 + off);
        let y = v128.load(b0 + off);
        c00 = f32x4.add(c00, f32x4.mul(x0, y));
        c10 = f32x4.add(c10, f32x4.mul(x1, y));
        y = v128.load(b1 + off);
        c01 = f32x4.add(c01, f32x4.mul(x0, y));
        c11 = f32x4.add(c11, f32x4.mul(x1, y));
        y = v128.load(b2 + off);
        c02 = f32x4.add(c02, f32x4.mul(x0, y));
        c12 = f32x4.add(c12, f32x4.mul(x1, y));
        y = v128.load(b3 + off);
        c03 = f32x4.add(c03, f32x4.mul(x0, y));
        c13 = f32x4.add(c13, f32x4.mul(x1, y));
        y = v128.load(b4 + off);
        c04 = f32x4.add(c04, f32x4.mul(x0, y));
        c14 = f32x4.add(c14, f32x4.mul(x1, y));
      }
      // tile[(r * 5 + q) * 4 + lane]: the lanes of each dot product, summed below.
      v128.store(tile, c00);
      v128.store(tile, c01, 16);
      v128.store(tile, c02, 32);
      v128.store(tile, c03, 48);
      v128.store(tile, c04, 64);
      v128.store(tile, c10, 80);
      v128.store(tile, c11, 96);
      v128.store(tile, c12, 112);
      v128.store(tile, c13, 128);
      v128.store(tile, c14, 144);
      for (let r = 0; r < rows; r++) {
        const ar = r == 0 ? a0 : a1;
        const row = c + ((<usize>(i0 + r) * ldc + j0) << 2);
        for (let q = 0; q < cols; q++) {
          const lanes = tile + ((<usize>(r * 5 + q)) << 4);
          let sum = load<f32>(lanes) + load<f32>(lanes, 4) + (load<f32>(lanes, 8) + load<f32>(lanes, 12));
          const bq = bt + <usize>(j0 + q) * rowBytes;
          for (let p = k4; p < k; p++)
            sum += load<f32>(ar + ((<usize>p) << 2)) * load<f32>(bq + ((<usize>p) << 2));
          const v = alpha * sum;
          const at = row + ((<usize>q) << 2);
          store<f32>(at, first ? v : load<f32>(at) + v);
        }
      }
    }
  }
}

/**
 * The narrow product of a plain A and B with 9 to 12 columns (x = O W of a 10-unit layer): B is copied once into
 * rows of 12 (three f32x4, the lanes past n never written back to C) and A is read in place, 3 rows of it times
 * the 12 columns, nine accumulators, a broadcast of A per row and three vectors of B per depth. C += alpha * tile
 * (or = when `first`); a last tile of fewer than 3 rows repeats its last row and writes only its own.
 */
function narrowRows(
  transA: bool,
  m: i32,
  n: i32,
  k: i32,
  alpha: f32,
  a: usize,
  b: usize,
  c: usize,
  work: usize,
  lda: i32,
  ldc: i32,
  first: bool,
): void {
  const wide = work + ((<usize>(MC * KC)) << 2);
  const rowBytes = (<usize>n) << 2;
  // Rows of B but the last are copied whole, three vectors each: the floats past n are the next row's and land
  // in lanes never written back. The last row is copied one float at a time (never past B), zero-padded.
  for (let p = 0; p < k - 1; p++) {
    const src = b + <usize>p * rowBytes;
    const dst = wide + ((<usize>p * 12) << 2);
    v128.store(dst, v128.load(src));
    v128.store(dst, v128.load(src, 16), 16);
    v128.store(dst, v128.load(src, 32), 32);
  }
  const lastRow = wide + ((<usize>(k - 1) * 12) << 2);
  for (let q = 0; q < 12; q++)
    store<f32>(lastRow + (q << 2), q < n ? load<f32>(b + <usize>(k - 1) * rowBytes + (q << 2)) : 0);
  // op(A)(i, p) is a[i * lda + p], or a[p * lda + i] when transA: bytes between rows, and between depths.
  const rowStep: usize = transA ? 4 : (<usize>lda) << 2;
  const depthStep: usize = transA ? (<usize>lda) << 2 : 4;
  const va = f32x4.splat(alpha);
  const rest = n - 8;
  for (let i0 = 0; i0 < m; i0 += 3) {
    const rows = min(3, m - i0);
    const a0 = a + <usize>i0 * rowStep;
    const a1 = rows > 1 ? a0 + rowStep : a0;
    const a2 = rows > 2 ? a1 + rowStep : a1;
    let c00 = f32x4.splat(0);
    let c01 = f32x4.splat(0);
    let c02 = f32x4.splat(0);
    let c10 = f32x4.splat(0);
    let c11 = f32x4.splat(0);
    let c12 = f32x4.splat(0);
    let c20 = f32x4.splat(0);
    let c21 = f32x4.splat(0);
    let c22 = f32x4.splat(0);
    let pb = wide;
    const end = <usize>k * depthStep;
    for (let off: usize = 0; off < end; off += depthStep) {
      const b0 = v128.load(pb);
      const b1 = v128.load(pb, 16);
      const b2 = v128.load(pb, 32);
      let x = v128.load32_splat(a0 + off);
      c00 = f32x4.add(c00, f32x4.mul(x, b0));
      c01 = f32x4.add(c01, f32x4.mul(x, b1));
      c02 = f32x4.add(c02, f32x4.mul(x, b2));
      x = v128.load32_splat(a1 + off);
      c10 = f32x4.add(c10, f32x4.mul(x, b0));
      c11 = f32x4.add(c11, f32x4.mul(x, b1));
      c12 = f32x4.add(c12, f32x4.mul(x, b2));
      x = v128.load32_splat(a2 + off);
      c20 = f32x4.add(c20, f32x4.mul(x, b0));
      c21 = f32x4.add(c21, f32x4.mul(x, b1));
      c22 = f32x4.add(c22, f32x4.mul(x, b2));
      pb += 48;
    }
    for (let r = 0; r < rows; r++) {
      const row = c + ((<usize>(i0 + r) * ldc) << 2);
      const v0 = f32x4.mul(r == 0 ? c00 : r == 1 ? c10 : c20, va);
      const v1 = f32x4.mul(r == 0 ? c01 : r == 1 ? c11 : c21, va);
      const v2 = f32x4.mul(r == 0 ? c02 : r == 1 ? c12 : c22, va);
      if (first) {
        v128.store(row, v0);
        v128.store(row, v1, 16);
      } else {
        v128.store(row, f32x4.add(v128.load(row), v0));
        v128.store(row, f32x4.add(v128.load(row, 16), v1), 16);
      }
      const tail = row + 32;
      if (rest == 4) {
        v128.store(tail, first ? v2 : f32x4.add(v128.load(tail), v2));
      } else {
        store<f32>(tail, first ? f32x4.extract_lane(v2, 0) : load<f32>(tail) + f32x4.extract_lane(v2, 0));
        if (rest > 1)
          store<f32>(
            tail,
            first ? f32x4.extract_lane(v2, 1) : load<f32>(tail, 4) + f32x4.extract_lane(v2, 1),
            4,
          );
        if (rest > 2)
          store<f32>(
            tail,
            first ? f32x4.extract_lane(v2, 2) : load<f32>(tail, 8) + f32x4.extract_lane(v2, 2),
            8,
          );
      }
    }
  }
}

/**
 * C <- alpha * op(A) op(B) + beta * C on float32 matrices at byte addresses a, b, c; op(A) is m x k (A stored
 * k x m when transA), op(B) k x n (B stored n x k when transB), C m x n, all row-major. The rows of stored A are
 * `lda` apart and those of C `ldc` apart (k or m, and n, for whole matrices; larger for a block of rows of op(A)
 * and C, which is how two threads split a product). `work` points at gemmWorkBytes() bytes of scratch.
 */
export function gemm(
  transA: bool,
  transB: bool,
  m: i32,
  n: i32,
  k: i32,
  alpha: f32,
  a: usize,
  b: usize,
  beta: f32,
  c: usize,
  work: usize,
  lda: i32,
  ldc: i32,
): void {
  // beta = 0 with work to do: the first depth block stores into C instead of adding to zeros (the same bits:
  // an accumulator that starts at +0 is never -0), so C is neither cleared nor read.
  const overwrite = beta == 0 && alpha != 0 && k > 0;
  if (!overwrite) {
    if (ldc == n) scaleC(c, m * n, beta);
    else for (let i = 0; i < m; i++) scaleC(c + ((<usize>i * ldc) << 2), n, beta);
  }
  if (alpha == 0 || k == 0 || m == 0 || n == 0) return;
  if (isNarrow(transA, transB, n, k)) {
    if (!transB && n > NR && n <= 12) narrowRows(transA, m, n, k, alpha, a, b, c, work, lda, ldc, overwrite);
    else if (transA) narrowColumns(transB, m, n, k, alpha, a, b, c, work, lda, ldc, overwrite);
    else narrowDots(transB, m, n, k, alpha, a, b, c, work, lda, ldc, overwrite);
    return;
  }
  const panelA = work;
  const panelsB = work + ((<usize>(MC * KC)) << 2);
  const edge = panelsB + ((<usize>(KC * NC)) << 2);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      const first = overwrite && pc == 0;
      packB(transB, b, n, k, pc, kc, jc, nc, panelsB);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA(transA, a, lda, ic, mc, pc, kc, alpha, panelA);
        for (let jr = 0; jr < nc; jr += NR) {
          const panelB = panelsB + ((<usize>jr * kc) << 2);
          const nr = min(NR, nc - jr);
          const cBlock = c + ((<usize>ic * ldc + jc + jr) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            // The MR x NR micro-kernel, written out in place (inlined by hand: AssemblyScript's @inline decorator
            // is not valid TypeScript, and a call here costs 10-20 %). It keeps the tile in eight f32x4 registers
            // while it streams the A panel (one broadcast per row) and the B panel (two vectors per depth).
            let pa = panelA + ((<usize>ir * kc) << 2);
            let pb = panelB;
            const tile = cBlock + ((<usize>ir * ldc) << 2);
            const mr = min(MR, mc - ir);
            let c00 = f32x4.splat(0);
            let c01 = f32x4.splat(0);
            let c10 = f32x4.splat(0);
            let c11 = f32x4.splat(0);
            let c20 = f32x4.splat(0);
            let c21 = f32x4.splat(0);
            let c30 = f32x4.splat(0);
            let c31 = f32x4.splat(0);
            for (let p = 0; p < kc; p++) {
              const b0 = v128.load(pb);
              const b1 = v128.load(pb, 16);
              let a = v128.load32_splat(pa);
              c00 = f32x4.add(c00, f32x4.mul(a, b0));
              c01 = f32x4.add(c01, f32x4.mul(a, b1));
              a = v128.load32_splat(pa, 4);
              c10 = f32x4.add(c10, f32x4.mul(a, b0));
              c11 = f32x4.add(c11, f32x4.mul(a, b1));
              a = v128.load32_splat(pa, 8);
              c20 = f32x4.add(c20, f32x4.mul(a, b0));
              c21 = f32x4.add(c21, f32x4.mul(a, b1));
              a = v128.load32_splat(pa, 12);
              c30 = f32x4.add(c30, f32x4.mul(a, b0));
              c31 = f32x4.add(c31, f32x4.mul(a, b1));
              pa += MR << 2;
              pb += NR << 2;
            }
            if (mr == MR && nr == NR && first) {
              const ld = (<usize>ldc) << 2;
              let row = tile;
              v128.store(row, c00);
              v128.store(row, c01, 16);
              row += ld;
              v128.store(row, c10);
              v128.store(row, c11, 16);
              row += ld;
              v128.store(row, c20);
              v128.store(row, c21, 16);
              row += ld;
              v128.store(row, c30);
              v128.store(row, c31, 16);
            } else if (mr == MR && nr == NR) {
              const ld = (<usize>ldc) << 2;
              let row = tile;
              v128.store(row, f32x4.add(v128.load(row), c00));
              v128.store(row, f32x4.add(v128.load(row, 16), c01), 16);
              row += ld;
              v128.store(row, f32x4.add(v128.load(row), c10));
              v128.store(row, f32x4.add(v128.load(row, 16), c11), 16);
              row += ld;
              v128.store(row, f32x4.add(v128.load(row), c20));
              v128.store(row, f32x4.add(v128.load(row, 16), c21), 16);
              row += ld;
              v128.store(row, f32x4.add(v128.load(row), c30));
              v128.store(row, f32x4.add(v128.load(row, 16), c31), 16);
            } else {
              v128.store(edge, c00);
              v128.store(edge, c01, 16);
              v128.store(edge, c10, 32);
              v128.store(edge, c11, 48);
              v128.store(edge, c20, 64);
              v128.store(edge, c21, 80);
              v128.store(edge, c30, 96);
              v128.store(edge, c31, 112);
              for (let r = 0; r < mr; r++) {
                const row = tile + ((<usize>r * ldc) << 2);
                for (let q = 0; q < nr; q++) {
                  const p = row + ((<usize>q) << 2);
                  const v = load<f32>(edge + ((<usize>r * NR + q) << 2));
                  store<f32>(p, first ? v : load<f32>(p) + v);
                }
              }
            }
          }
        }
      }
    }
  }
}

/** Copies the `cols` floats at `row` into each of the `rows` rows of `c` (a bias broadcast over a batch). */
export function broadcastRows(c: usize, row: usize, rows: i32, cols: i32): void {
  const bytes = (<usize>cols) << 2;
  for (let r = 0; r < rows; r++) memory.copy(c + <usize>r * bytes, row, bytes);
}

/**
 * The sgd step W <- W - eta g on `n` float32 values at byte addresses `param` and `grad`, computed in float64
 * and rounded to float32 once, as JavaScript computes `param[i] - lr * grad[i]` on a Float32Array: the results
 * are bit for bit those of the TypeScript loop, two lanes of f64x2 at a time.
 */
export function sgdStep(param: usize, grad: usize, n: i32, lr: f64): void {
  const vlr = f64x2.splat(lr);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = (<usize>i) << 2;
    const p = v128.load(param + at);
    const g = v128.load(grad + at);
    const lo = f64x2.sub(f64x2.promote_low_f32x4(p), f64x2.mul(vlr, f64x2.promote_low_f32x4(g)));
    const hi = f64x2.sub(
      f64x2.promote_low_f32x4(i32x4.shuffle(p, p, 2, 3, 0, 1)),
      f64x2.mul(vlr, f64x2.promote_low_f32x4(i32x4.shuffle(g, g, 2, 3, 0, 1))),
    );
    const low = f32x4.demote_f64x2_zero(lo);
    const high = f32x4.demote_f64x2_zero(hi);
    v128.store(param + at, i64x2.shuffle(low, high, 0, 2));
  }
  for (; i < n; i++) {
    const at = (<usize>i) << 2;
    store<f32>(param + at, <f32>(<f64>load<f32>(param + at) - lr * <f64>load<f32>(grad + at)));
  }
}

/**
 * The general sgd step of torch.optim.SGD on `n` float32 values (param, grad and the momentum buffer at byte
 * addresses), two at a time in f64x2, each operation as TypeScript computes it in float64 and each store rounded
 * to float32 (the buffer is rounded before it is used again, as a Float32Array store and load do):
 * g = grad + weightDecay param (when weightDecay != 0); with momentum, b = g at the first step, else
 * momentum b + keep g (keep = 1 - dampening), stored, then g = g + momentum b (nesterov) or b;
 * param = param - lr g.
 */
export function sgdMomentumStep(
  param: usize,
  grad: usize,
  buffer: usize,
  n: i32,
  lr: f64,
  momentum: f64,
  keep: f64,
  weightDecay: f64,
  nesterov: bool,
  first: bool,
): void {
  const vlr = f64x2.splat(lr);
  const vmu = f64x2.splat(momentum);
  const vkeep = f64x2.splat(keep);
  const vwd = f64x2.splat(weightDecay);
  const decay = weightDecay != 0;
  const useMomentum = momentum != 0;
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const at = (<usize>i) << 2;
    const p = f64x2.promote_low_f32x4(v128.load64_zero(param + at));
    let g = f64x2.promote_low_f32x4(v128.load64_zero(grad + at));
    if (decay) g = f64x2.add(g, f64x2.mul(vwd, p));
    if (useMomentum) {
      let b = g;
      if (!first) {
        const old = f64x2.promote_low_f32x4(v128.load64_zero(buffer + at));
        b = f64x2.add(f64x2.mul(vmu, old), f64x2.mul(vkeep, g));
      }
      const stored = f32x4.demote_f64x2_zero(b);
      v128.store64_lane(buffer + at, stored, 0);
      const rounded = f64x2.promote_low_f32x4(stored);
      g = nesterov ? f64x2.add(g, f64x2.mul(vmu, rounded)) : rounded;
    }
    v128.store64_lane(param + at, f32x4.demote_f64x2_zero(f64x2.sub(p, f64x2.mul(vlr, g))), 0);
  }
  for (; i < n; i++) {
    const at = (<usize>i) << 2;
    const p = <f64>load<f32>(param + at);
    let g = <f64>load<f32>(grad + at);
    if (decay) g += weightDecay * p;
    if (useMomentum) {
      const b = first ? g : momentum * <f64>load<f32>(buffer + at) + keep * g;
      store<f32>(buffer + at, <f32>b);
      const rounded = <f64>load<f32>(buffer + at);
      g = nesterov ? g + momentum * rounded : rounded;
    }
    store<f32>(param + at, <f32>(p - lr * g));
  }
}
