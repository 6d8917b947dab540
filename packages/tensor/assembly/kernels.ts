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

/**
 * Packs op(B)[pc:pc+kc, jc:jc+nc] into NR-wide panels, panel-major, zero-padded; the rows of stored B are `ldb`
 * floats apart (n, or k when transB, for a whole matrix; larger for a block of columns of op(B)).
 */
function packB(transB: bool, b: usize, ldb: i32, pc: i32, kc: i32, jc: i32, nc: i32, pb: usize): void {
  let out = pb;
  for (let jr = 0; jr < nc; jr += NR) {
    const w = min(NR, nc - jr);
    const j0 = jc + jr;
    if (!transB) {
      // op(B)(p, j) = b[p * ldb + j]: rows of the panel are contiguous.
      if (w == NR) {
        for (let p = 0; p < kc; p++) {
          const src = b + ((<usize>(pc + p) * ldb + j0) << 2);
          v128.store(out, v128.load(src));
          v128.store(out, v128.load(src, 16), 16);
          out += NR << 2;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const src = b + ((<usize>(pc + p) * ldb + j0) << 2);
          for (let q = 0; q < NR; q++) store<f32>(out + (q << 2), q < w ? load<f32>(src + (q << 2)) : 0);
          out += NR << 2;
        }
      }
    } else {
      // op(B)(p, j) = b[j * ldb + p]: each column of the panel is a contiguous row of b, transposed 4 x 4 at a
      // time (two blocks per four depths) when the panel is whole.
      let p = 0;
      if (w == NR) {
        const stride = (<usize>ldb) << 2;
        const src = b + ((<usize>j0 * ldb + pc) << 2);
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
          const src = b + ((<usize>(j0 + q) * ldb + pc) << 2);
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
 * `lda` apart, those of stored B `ldb` apart and those of C `ldc` apart (k or m, n or k, and n, for whole
 * matrices; larger for a block of rows of op(A) and C, or of columns of op(B) and C, which is how two threads split
 * a product). `work` points at gemmWorkBytes() bytes of scratch. The narrow path (isNarrow) reads B at its natural
 * stride, so it is taken only when `ldb` is n (or k when transB); blocks of at least 16 columns (what the resident
 * plan gives each thread) take the register tiles, where every element of C gets the same operations in the same
 * order whichever block of rows or columns it is in.
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
  ldb: i32,
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
  if (isNarrow(transA, transB, n, k) && ldb == (transB ? k : n)) {
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
      packB(transB, b, ldb, pc, kc, jc, nc, panelsB);
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

// ---------------------------------------------------------------------------------------------------------------
// Elementwise and loss kernels of the WebAssembly-resident training plan (src/wasm/resident.ts). Each one repeats
// the TypeScript loop of the activation or loss it stands for: the same operations in float64, rounded to float32
// at the same points, so the results are those of the TypeScript kernels (bit for bit, except where e^x is taken:
// there a float64 polynomial of about 1 ulp stands in for Math.exp, and the float32 results agree but for a
// rounding tie about once in 10^8 values).
// ---------------------------------------------------------------------------------------------------------------

const LOG2E: f64 = 1.4426950408889634;
/** ln 2 in two parts (Cody-Waite): n * LN2_HI is exact for |n| < 2^20. */
const LN2_HI: f64 = 6.9314718036912381649e-1;
const LN2_LO: f64 = 1.90821492927058770002e-10;
/** 1.5 * 2^52: adding it rounds a float64 of magnitude below 2^51 to an integer, held in the low bits. */
const ROUND_SHIFT: f64 = 6755399441055744.0;
/** 1023 - the bits of ROUND_SHIFT, modulo 2^64 (only the low 12 bits matter after the shift by 52). */
const EXPONENT_BIAS: i64 = 1023 - 0x4338000000000000;
/** e^x is taken of x >= EXP_FLOOR only: e^-200 is 0 once rounded to float32, as every smaller value is. */
const EXP_FLOOR: f64 = -200;

/**
 * The constants of e^x (log2 e, the rounding shift, ln 2 in two parts, 1/13! ... 1/2!, 1), each twice (an f64x2),
 * loaded into locals before a loop: as v128.const the runtime builds each one anew at every use.
 */
const EXP_CONSTANTS = memory.data<f64>([
  LOG2E,
  LOG2E,
  ROUND_SHIFT,
  ROUND_SHIFT,
  LN2_HI,
  LN2_HI,
  LN2_LO,
  LN2_LO,
  1.6059043836821613e-10,
  1.6059043836821613e-10,
  2.08767569878681e-9,
  2.08767569878681e-9,
  2.505210838544172e-8,
  2.505210838544172e-8,
  2.755731922398589e-7,
  2.755731922398589e-7,
  2.7557319223985893e-6,
  2.7557319223985893e-6,
  2.48015873015873e-5,
  2.48015873015873e-5,
  1.984126984126984e-4,
  1.984126984126984e-4,
  1.388888888888889e-3,
  1.388888888888889e-3,
  8.333333333333333e-3,
  8.333333333333333e-3,
  4.1666666666666664e-2,
  4.1666666666666664e-2,
  1.6666666666666666e-1,
  1.6666666666666666e-1,
  0.5,
  0.5,
  1,
  1,
]);

/*
 * e^x on two float64 lanes, for x in [EXP_FLOOR, 0] (NaN stays NaN), written out in each kernel that needs it
 * (a function of v128 is not inlined by the compiler, and the call costs more than the work): x = n ln 2 + r with
 * n = round(x / ln 2) (by the 1.5 * 2^52 shift, whose sum holds n in its low bits) and |r| <= ln 2 / 2, e^r by its
 * Taylor polynomial of degree 13 (truncation below 10^-17), times 2^n built in the exponent bits.
 */

/**
 * O = 1 / (1 + e^-x) on `n` float32 values at byte address `x`, into `out` (which may be `x`), two at a time in
 * float64 as TypeScript's sigmoid: 1 / (1 + e^-x) for x >= 0, else e^x / (1 + e^x).
 */
export function sigmoidForward(x: usize, out: usize, n: i32): void {
  const cLog2e = v128.load(EXP_CONSTANTS, 0);
  const cShift = v128.load(EXP_CONSTANTS, 16);
  const cLn2Hi = v128.load(EXP_CONSTANTS, 32);
  const cLn2Lo = v128.load(EXP_CONSTANTS, 48);
  const c13 = v128.load(EXP_CONSTANTS, 64);
  const c12 = v128.load(EXP_CONSTANTS, 80);
  const c11 = v128.load(EXP_CONSTANTS, 96);
  const c10 = v128.load(EXP_CONSTANTS, 112);
  const c9 = v128.load(EXP_CONSTANTS, 128);
  const c8 = v128.load(EXP_CONSTANTS, 144);
  const c7 = v128.load(EXP_CONSTANTS, 160);
  const c6 = v128.load(EXP_CONSTANTS, 176);
  const c5 = v128.load(EXP_CONSTANTS, 192);
  const c4 = v128.load(EXP_CONSTANTS, 208);
  const c3 = v128.load(EXP_CONSTANTS, 224);
  const c2 = v128.load(EXP_CONSTANTS, 240);
  const c1 = v128.load(EXP_CONSTANTS, 256);
  const bias = i64x2.splat(EXPONENT_BIAS);
  const one = c1;
  const zero = f64x2.splat(0);
  const floor = f64x2.splat(EXP_FLOOR);
  let i = 0;
  // four values a turn, as two float64 pairs whose dependency chains interleave (one chain alone waits on the
  // latency of each multiply-add of the polynomial)
  for (; i + 4 <= n; i += 4) {
    const at = (<usize>i) << 2;
    const v = v128.load(x + at);
    const v0 = f64x2.promote_low_f32x4(v);
    const v1 = f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1));
    const a0 = f64x2.max(f64x2.neg(f64x2.abs(v0)), floor);
    const a1 = f64x2.max(f64x2.neg(f64x2.abs(v1)), floor);
    const shifted0 = f64x2.add(f64x2.mul(a0, cLog2e), cShift);
    const shifted1 = f64x2.add(f64x2.mul(a1, cLog2e), cShift);
    const rounded0 = f64x2.sub(shifted0, cShift);
    const rounded1 = f64x2.sub(shifted1, cShift);
    const r0 = f64x2.sub(f64x2.sub(a0, f64x2.mul(rounded0, cLn2Hi)), f64x2.mul(rounded0, cLn2Lo));
    const r1 = f64x2.sub(f64x2.sub(a1, f64x2.mul(rounded1, cLn2Hi)), f64x2.mul(rounded1, cLn2Lo));
    let p0 = f64x2.add(f64x2.mul(c13, r0), c12);
    let p1 = f64x2.add(f64x2.mul(c13, r1), c12);
    p0 = f64x2.add(f64x2.mul(p0, r0), c11);
    p1 = f64x2.add(f64x2.mul(p1, r1), c11);
    p0 = f64x2.add(f64x2.mul(p0, r0), c10);
    p1 = f64x2.add(f64x2.mul(p1, r1), c10);
    p0 = f64x2.add(f64x2.mul(p0, r0), c9);
    p1 = f64x2.add(f64x2.mul(p1, r1), c9);
    p0 = f64x2.add(f64x2.mul(p0, r0), c8);
    p1 = f64x2.add(f64x2.mul(p1, r1), c8);
    p0 = f64x2.add(f64x2.mul(p0, r0), c7);
    p1 = f64x2.add(f64x2.mul(p1, r1), c7);
    p0 = f64x2.add(f64x2.mul(p0, r0), c6);
    p1 = f64x2.add(f64x2.mul(p1, r1), c6);
    p0 = f64x2.add(f64x2.mul(p0, r0), c5);
    p1 = f64x2.add(f64x2.mul(p1, r1), c5);
    p0 = f64x2.add(f64x2.mul(p0, r0), c4);
    p1 = f64x2.add(f64x2.mul(p1, r1), c4);
    p0 = f64x2.add(f64x2.mul(p0, r0), c3);
    p1 = f64x2.add(f64x2.mul(p1, r1), c3);
    p0 = f64x2.add(f64x2.mul(p0, r0), c2);
    p1 = f64x2.add(f64x2.mul(p1, r1), c2);
    p0 = f64x2.add(f64x2.mul(p0, r0), c1);
    p1 = f64x2.add(f64x2.mul(p1, r1), c1);
    p0 = f64x2.add(f64x2.mul(p0, r0), c1);
    p1 = f64x2.add(f64x2.mul(p1, r1), c1);
    const e0 = f64x2.mul(p0, i64x2.shl(i64x2.add(shifted0, bias), 52));
    const e1 = f64x2.mul(p1, i64x2.shl(i64x2.add(shifted1, bias), 52));
    const d0 = f64x2.add(one, e0);
    const d1 = f64x2.add(one, e1);
    const s0 = f32x4.demote_f64x2_zero(
      v128.bitselect(f64x2.div(one, d0), f64x2.div(e0, d0), f64x2.ge(v0, zero)),
    );
    const s1 = f32x4.demote_f64x2_zero(
      v128.bitselect(f64x2.div(one, d1), f64x2.div(e1, d1), f64x2.ge(v1, zero)),
    );
    v128.store(out + at, i64x2.shuffle(s0, s1, 0, 2));
  }
  for (; i < n; i += 2) {
    const at = (<usize>i) << 2;
    // an odd last value is loaded alone
    const v = f64x2.promote_low_f32x4(i + 1 < n ? v128.load64_zero(x + at) : v128.load32_zero(x + at));
    const a = f64x2.max(f64x2.neg(f64x2.abs(v)), floor);
    const shifted = f64x2.add(f64x2.mul(a, cLog2e), cShift);
    const rounded = f64x2.sub(shifted, cShift);
    const r = f64x2.sub(f64x2.sub(a, f64x2.mul(rounded, cLn2Hi)), f64x2.mul(rounded, cLn2Lo));
    let p = f64x2.add(f64x2.mul(c13, r), c12);
    p = f64x2.add(f64x2.mul(p, r), c11);
    p = f64x2.add(f64x2.mul(p, r), c10);
    p = f64x2.add(f64x2.mul(p, r), c9);
    p = f64x2.add(f64x2.mul(p, r), c8);
    p = f64x2.add(f64x2.mul(p, r), c7);
    p = f64x2.add(f64x2.mul(p, r), c6);
    p = f64x2.add(f64x2.mul(p, r), c5);
    p = f64x2.add(f64x2.mul(p, r), c4);
    p = f64x2.add(f64x2.mul(p, r), c3);
    p = f64x2.add(f64x2.mul(p, r), c2);
    p = f64x2.add(f64x2.mul(p, r), c1);
    p = f64x2.add(f64x2.mul(p, r), c1);
    const e = f64x2.mul(p, i64x2.shl(i64x2.add(shifted, bias), 52));
    const d = f64x2.add(one, e);
    const s = f32x4.demote_f64x2_zero(v128.bitselect(f64x2.div(one, d), f64x2.div(e, d), f64x2.ge(v, zero)));
    if (i + 1 < n) v128.store64_lane(out + at, s, 0);
    else v128.store32_lane(out + at, s, 0);
  }
}

/**
 * O = tanh x on `n` float32 values at byte address `x`, into `out` (which may be `x`), two at a time in float64:
 * sign(x) (1 - e) / (1 + e) with e = e^(-2|x|), and for |x| < 0.01 (where 1 - e would cancel) its Taylor
 * polynomial x - x^3/3 + 2x^5/15 - 17x^7/315 + 62x^9/2835 (truncation below 10^-22 relative).
 */
export function tanhForward(x: usize, out: usize, n: i32): void {
  const cLog2e = v128.load(EXP_CONSTANTS, 0);
  const cShift = v128.load(EXP_CONSTANTS, 16);
  const cLn2Hi = v128.load(EXP_CONSTANTS, 32);
  const cLn2Lo = v128.load(EXP_CONSTANTS, 48);
  const c13 = v128.load(EXP_CONSTANTS, 64);
  const c12 = v128.load(EXP_CONSTANTS, 80);
  const c11 = v128.load(EXP_CONSTANTS, 96);
  const c10 = v128.load(EXP_CONSTANTS, 112);
  const c9 = v128.load(EXP_CONSTANTS, 128);
  const c8 = v128.load(EXP_CONSTANTS, 144);
  const c7 = v128.load(EXP_CONSTANTS, 160);
  const c6 = v128.load(EXP_CONSTANTS, 176);
  const c5 = v128.load(EXP_CONSTANTS, 192);
  const c4 = v128.load(EXP_CONSTANTS, 208);
  const c3 = v128.load(EXP_CONSTANTS, 224);
  const c2 = v128.load(EXP_CONSTANTS, 240);
  const c1 = v128.load(EXP_CONSTANTS, 256);
  const bias = i64x2.splat(EXPONENT_BIAS);
  const one = c1;
  const floor = f64x2.splat(EXP_FLOOR);
  const sign = i64x2.splat(0x8000000000000000);
  let i = 0;
  // four values a turn, as two float64 pairs whose dependency chains interleave (one chain alone waits on the
  // latency of each multiply-add of the polynomial)
  for (; i + 4 <= n; i += 4) {
    const at = (<usize>i) << 2;
    const v = v128.load(x + at);
    const v0 = f64x2.promote_low_f32x4(v);
    const v1 = f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1));
    const abs0 = f64x2.abs(v0);
    const abs1 = f64x2.abs(v1);
    const a0 = f64x2.max(f64x2.mul(abs0, f64x2.splat(-2)), floor);
    const a1 = f64x2.max(f64x2.mul(abs1, f64x2.splat(-2)), floor);
    const shifted0 = f64x2.add(f64x2.mul(a0, cLog2e), cShift);
    const shifted1 = f64x2.add(f64x2.mul(a1, cLog2e), cShift);
    const rounded0 = f64x2.sub(shifted0, cShift);
    const rounded1 = f64x2.sub(shifted1, cShift);
    const r0 = f64x2.sub(f64x2.sub(a0, f64x2.mul(rounded0, cLn2Hi)), f64x2.mul(rounded0, cLn2Lo));
    const r1 = f64x2.sub(f64x2.sub(a1, f64x2.mul(rounded1, cLn2Hi)), f64x2.mul(rounded1, cLn2Lo));
    let p0 = f64x2.add(f64x2.mul(c13, r0), c12);
    let p1 = f64x2.add(f64x2.mul(c13, r1), c12);
    p0 = f64x2.add(f64x2.mul(p0, r0), c11);
    p1 = f64x2.add(f64x2.mul(p1, r1), c11);
    p0 = f64x2.add(f64x2.mul(p0, r0), c10);
    p1 = f64x2.add(f64x2.mul(p1, r1), c10);
    p0 = f64x2.add(f64x2.mul(p0, r0), c9);
    p1 = f64x2.add(f64x2.mul(p1, r1), c9);
    p0 = f64x2.add(f64x2.mul(p0, r0), c8);
    p1 = f64x2.add(f64x2.mul(p1, r1), c8);
    p0 = f64x2.add(f64x2.mul(p0, r0), c7);
    p1 = f64x2.add(f64x2.mul(p1, r1), c7);
    p0 = f64x2.add(f64x2.mul(p0, r0), c6);
    p1 = f64x2.add(f64x2.mul(p1, r1), c6);
    p0 = f64x2.add(f64x2.mul(p0, r0), c5);
    p1 = f64x2.add(f64x2.mul(p1, r1), c5);
    p0 = f64x2.add(f64x2.mul(p0, r0), c4);
    p1 = f64x2.add(f64x2.mul(p1, r1), c4);
    p0 = f64x2.add(f64x2.mul(p0, r0), c3);
    p1 = f64x2.add(f64x2.mul(p1, r1), c3);
    p0 = f64x2.add(f64x2.mul(p0, r0), c2);
    p1 = f64x2.add(f64x2.mul(p1, r1), c2);
    p0 = f64x2.add(f64x2.mul(p0, r0), c1);
    p1 = f64x2.add(f64x2.mul(p1, r1), c1);
    p0 = f64x2.add(f64x2.mul(p0, r0), c1);
    p1 = f64x2.add(f64x2.mul(p1, r1), c1);
    const e0 = f64x2.mul(p0, i64x2.shl(i64x2.add(shifted0, bias), 52));
    const e1 = f64x2.mul(p1, i64x2.shl(i64x2.add(shifted1, bias), 52));
    const big0 = f64x2.div(f64x2.sub(one, e0), f64x2.add(one, e0));
    const big1 = f64x2.div(f64x2.sub(one, e1), f64x2.add(one, e1));
    const a20 = f64x2.mul(abs0, abs0);
    const a21 = f64x2.mul(abs1, abs1);
    let q0 = f64x2.add(f64x2.mul(f64x2.splat(62.0 / 2835.0), a20), f64x2.splat(-17.0 / 315.0));
    let q1 = f64x2.add(f64x2.mul(f64x2.splat(62.0 / 2835.0), a21), f64x2.splat(-17.0 / 315.0));
    q0 = f64x2.add(f64x2.mul(q0, a20), f64x2.splat(2.0 / 15.0));
    q1 = f64x2.add(f64x2.mul(q1, a21), f64x2.splat(2.0 / 15.0));
    q0 = f64x2.add(f64x2.mul(q0, a20), f64x2.splat(-1.0 / 3.0));
    q1 = f64x2.add(f64x2.mul(q1, a21), f64x2.splat(-1.0 / 3.0));
    const small0 = f64x2.add(abs0, f64x2.mul(f64x2.mul(abs0, a20), q0));
    const small1 = f64x2.add(abs1, f64x2.mul(f64x2.mul(abs1, a21), q1));
    const t0 = v128.bitselect(small0, big0, f64x2.lt(abs0, f64x2.splat(0.01)));
    const t1 = v128.bitselect(small1, big1, f64x2.lt(abs1, f64x2.splat(0.01)));
    const s0 = f32x4.demote_f64x2_zero(v128.or(v128.andnot(t0, sign), v128.and(v0, sign)));
    const s1 = f32x4.demote_f64x2_zero(v128.or(v128.andnot(t1, sign), v128.and(v1, sign)));
    v128.store(out + at, i64x2.shuffle(s0, s1, 0, 2));
  }
  for (; i < n; i += 2) {
    const at = (<usize>i) << 2;
    const v = f64x2.promote_low_f32x4(i + 1 < n ? v128.load64_zero(x + at) : v128.load32_zero(x + at));
    const abs = f64x2.abs(v);
    const a = f64x2.max(f64x2.mul(abs, f64x2.splat(-2)), floor);
    const shifted = f64x2.add(f64x2.mul(a, cLog2e), cShift);
    const rounded = f64x2.sub(shifted, cShift);
    const r = f64x2.sub(f64x2.sub(a, f64x2.mul(rounded, cLn2Hi)), f64x2.mul(rounded, cLn2Lo));
    let p = f64x2.add(f64x2.mul(c13, r), c12);
    p = f64x2.add(f64x2.mul(p, r), c11);
    p = f64x2.add(f64x2.mul(p, r), c10);
    p = f64x2.add(f64x2.mul(p, r), c9);
    p = f64x2.add(f64x2.mul(p, r), c8);
    p = f64x2.add(f64x2.mul(p, r), c7);
    p = f64x2.add(f64x2.mul(p, r), c6);
    p = f64x2.add(f64x2.mul(p, r), c5);
    p = f64x2.add(f64x2.mul(p, r), c4);
    p = f64x2.add(f64x2.mul(p, r), c3);
    p = f64x2.add(f64x2.mul(p, r), c2);
    p = f64x2.add(f64x2.mul(p, r), c1);
    p = f64x2.add(f64x2.mul(p, r), c1);
    const e = f64x2.mul(p, i64x2.shl(i64x2.add(shifted, bias), 52));
    const big = f64x2.div(f64x2.sub(one, e), f64x2.add(one, e));
    const a2 = f64x2.mul(abs, abs);
    let q = f64x2.splat(62.0 / 2835.0);
    q = f64x2.add(f64x2.mul(q, a2), f64x2.splat(-17.0 / 315.0));
    q = f64x2.add(f64x2.mul(q, a2), f64x2.splat(2.0 / 15.0));
    q = f64x2.add(f64x2.mul(q, a2), f64x2.splat(-1.0 / 3.0));
    const small = f64x2.add(abs, f64x2.mul(f64x2.mul(abs, a2), q));
    const t = v128.bitselect(small, big, f64x2.lt(abs, f64x2.splat(0.01)));
    const s = f32x4.demote_f64x2_zero(v128.or(v128.andnot(t, sign), v128.and(v, sign)));
    if (i + 1 < n) v128.store64_lane(out + at, s, 0);
    else v128.store32_lane(out + at, s, 0);
  }
}

/** O = max(x, 0) on `n` float32 values (NaN stays NaN, -0 gives +0, as Math.max(x, 0)). */
export function reluForward(x: usize, out: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = (<usize>i) << 2;
    v128.store(out + at, f32x4.max(v128.load(x + at), zero));
  }
  for (; i < n; i++) {
    const at = (<usize>i) << 2;
    const v = load<f32>(x + at);
    store<f32>(out + at, v != v ? v : v > 0 ? v : 0);
  }
}

/**
 * delta = f'(x) dE/dO on `n` float32 values, in float64 as the TypeScript kernels: sigmoid (code 0)
 * O (1 - O) dy, tanh (code 1) (1 - O^2) dy, from the outputs `y`; `dx` may be `dy`.
 */
function derivative2lanes(y: usize, dy: usize, dx: usize, n: i32, code: i32): void {
  const one = f64x2.splat(1);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const at = (<usize>i) << 2;
    const o = f64x2.promote_low_f32x4(v128.load64_zero(y + at));
    const g = f64x2.promote_low_f32x4(v128.load64_zero(dy + at));
    const d = code == 0 ? f64x2.mul(o, f64x2.sub(one, o)) : f64x2.sub(one, f64x2.mul(o, o));
    v128.store64_lane(dx + at, f32x4.demote_f64x2_zero(f64x2.mul(d, g)), 0);
  }
  for (; i < n; i++) {
    const at = (<usize>i) << 2;
    const o = <f64>load<f32>(y + at);
    const d = code == 0 ? o * (1 - o) : 1 - o * o;
    store<f32>(dx + at, <f32>(d * <f64>load<f32>(dy + at)));
  }
}

/** delta = O (1 - O) dE/dO on `n` float32 values (outputs `y`, dE/dO `dy`, into `dx`, which may be `dy`). */
export function sigmoidBackward(y: usize, dy: usize, dx: usize, n: i32): void {
  derivative2lanes(y, dy, dx, n, 0);
}

/** delta = (1 - O^2) dE/dO on `n` float32 values (`dx` may be `dy`). */
export function tanhBackward(y: usize, dy: usize, dx: usize, n: i32): void {
  derivative2lanes(y, dy, dx, n, 1);
}

/** delta = dE/dO where x > 0, else 0, on `n` float32 values (net inputs `x`; `dx` may be `dy`). */
export function reluBackward(x: usize, dy: usize, dx: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = (<usize>i) << 2;
    v128.store(dx + at, v128.and(v128.load(dy + at), f32x4.gt(v128.load(x + at), zero)));
  }
  for (; i < n; i++) {
    const at = (<usize>i) << 2;
    store<f32>(dx + at, load<f32>(x + at) > 0 ? load<f32>(dy + at) : 0);
  }
}

/** Copies `n` float32 values from `src` to `dst` (the linear transfer function, forward and backward). */
export function copyFloats(dst: usize, src: usize, n: i32): void {
  memory.copy(dst, src, (<usize>n) << 2);
}

/**
 * out[j] = 0 + a[0, j] + a[1, j] + ... for a `rows` x `cols` float32 matrix, rounded to float32 after every
 * addition, as the bias gradient dE/dtheta_j accumulates into zeroed float32 storage.
 */
export function columnSumsF32(a: usize, out: usize, rows: i32, cols: i32): void {
  memory.fill(out, 0, (<usize>cols) << 2);
  for (let r = 0; r < rows; r++) {
    const row = a + ((<usize>r * cols) << 2);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const at = (<usize>j) << 2;
      v128.store(out + at, f32x4.add(v128.load(out + at), v128.load(row + at)));
    }
    for (; j < cols; j++) {
      const at = (<usize>j) << 2;
      store<f32>(out + at, load<f32>(out + at) + load<f32>(row + at));
    }
  }
}

/** The mse E = (0.5 sum (O - t)^2) / rows over `n` float32 values, summed in float64 in index order. */
export function mseLoss(o: usize, t: usize, n: i32, rows: i32): f64 {
  let sum: f64 = 0;
  for (let i = 0; i < n; i++) {
    const at = (<usize>i) << 2;
    const d = <f64>load<f32>(o + at) - <f64>load<f32>(t + at);
    sum += d * d;
  }
  return (0.5 * sum) / <f64>rows;
}

/** dE/dO = (O - t) / rows on `n` float32 values, into `g`. */
export function mseGrad(o: usize, t: usize, g: usize, n: i32, rows: i32): void {
  const scale: f64 = 1 / <f64>rows;
  for (let i = 0; i < n; i++) {
    const at = (<usize>i) << 2;
    store<f32>(g + at, <f32>((<f64>load<f32>(o + at) - <f64>load<f32>(t + at)) * scale));
  }
}

/**
 * softmax over each of `rows` rows of `cols` float32 net inputs: O_j = e^(x_j - m) (stored) over the sum of the
 * stored values, m the row's largest x, as the TypeScript softmax.
 */
export function softmaxForward(x: usize, out: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const xr = x + ((<usize>r * cols) << 2);
    const or = out + ((<usize>r * cols) << 2);
    let m: f64 = -Infinity;
    for (let j = 0; j < cols; j++) {
      const v = <f64>load<f32>(xr + ((<usize>j) << 2));
      if (v > m) m = v;
    }
    let sum: f64 = 0;
    for (let j = 0; j < cols; j++) {
      const at = (<usize>j) << 2;
      const e = <f32>Math.exp(<f64>load<f32>(xr + at) - m);
      store<f32>(or + at, e);
      sum += <f64>e;
    }
    for (let j = 0; j < cols; j++) {
      const at = (<usize>j) << 2;
      store<f32>(or + at, <f32>(<f64>load<f32>(or + at) / sum));
    }
  }
}

/**
 * The cross-entropy E of a softmax output from its net inputs x, by log-sum-exp:
 * (sum over rows of sum_k t_k (lse(x) - x_k)) / rows with lse(x) = m + log sum_j e^(x_j - m).
 */
export function softmaxCrossEntropyLoss(x: usize, t: usize, rows: i32, cols: i32): f64 {
  let sum: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const xr = x + ((<usize>r * cols) << 2);
    const tr = t + ((<usize>r * cols) << 2);
    let m: f64 = -Infinity;
    for (let j = 0; j < cols; j++) m = Math.max(m, <f64>load<f32>(xr + ((<usize>j) << 2)));
    let s: f64 = 0;
    for (let j = 0; j < cols; j++) s += Math.exp(<f64>load<f32>(xr + ((<usize>j) << 2)) - m);
    const lse = m + Math.log(s);
    for (let j = 0; j < cols; j++) {
      const tk = <f64>load<f32>(tr + ((<usize>j) << 2));
      if (tk != 0) sum += tk * (lse - <f64>load<f32>(xr + ((<usize>j) << 2)));
    }
  }
  return sum / <f64>rows;
}

/** dE/dx_k = (O_k sum_j t_j - t_k) / rows for a softmax output with cross-entropy, into `g`. */
export function softmaxCrossEntropyGrad(o: usize, t: usize, g: usize, rows: i32, cols: i32): void {
  const scale: f64 = 1 / <f64>rows;
  for (let r = 0; r < rows; r++) {
    const base = (<usize>r * cols) << 2;
    let total: f64 = 0;
    for (let j = 0; j < cols; j++) total += <f64>load<f32>(t + base + ((<usize>j) << 2));
    for (let j = 0; j < cols; j++) {
      const at = base + ((<usize>j) << 2);
      store<f32>(g + at, <f32>((<f64>load<f32>(o + at) * total - <f64>load<f32>(t + at)) * scale));
    }
  }
}

// ---- tiny networks ----
// One call per training epoch of a tiny dense float32 network (one batch of a few rows): forward pass, mse E,
// accuracy count, delta rule, plain sgd update and the epoch's statistics, on the network's copies in memory.
// Every operation is the fused TypeScript path's (packages/network/src/fused/small-network.ts, the sgd step, the
// trainer's statistics), in float64 and rounded to float32 at the same stores, and e^x is fdlibm's, as V8's
// Math.exp: the results are those of the TypeScript path bit for bit.

/** fdlibm's constants of e^x (as V8's base::ieee754::exp). */
const FD_O_THRESHOLD: f64 = 7.09782712893383973096e2;
const FD_U_THRESHOLD: f64 = -7.4513321910194110842e2;
const FD_LN2_HI: f64 = 6.9314718036912381649e-1;
const FD_LN2_LO: f64 = 1.90821492927058770002e-10;
const FD_INV_LN2: f64 = 1.442695040888963387;
const FD_P1: f64 = 1.66666666666666019037e-1;
const FD_P2: f64 = -2.77777777770155933842e-3;
const FD_P3: f64 = 6.61375632143793436117e-5;
const FD_P4: f64 = -1.6533902205465251539e-6;
const FD_P5: f64 = 4.13813679705723846039e-8;
const FD_E: f64 = 2.718281828459045;
const FD_TWO_M1000: f64 = 9.3326361850321887899e-302;
const FD_TWO_1023: f64 = 8.988465674311579539e307;

/** fdlibm's e^x, inlined where it is used (a static method: its decorator is then valid TypeScript). */
class Fdlibm {
  /**
   * e^x exactly as fdlibm's e_exp.c computes it (V8's Math.exp is that code): x = k ln 2 + r, e^r by a rational
   * approximation, times 2^k. Bit for bit Math.exp, so the kernels below give the TypeScript path's numbers.
   */
  @inline static exp(x: f64): f64 {
    const bits = reinterpret<u64>(x);
    let hx = <u32>(bits >> 32);
    const negative = hx >> 31;
    hx &= 0x7fffffff;
    if (hx >= 0x40862e42) {
      if (hx >= 0x7ff00000) {
        if (((hx & 0xfffff) | (<u32>bits)) != 0) return x + x; // NaN
        return negative == 0 ? x : 0.0; // e^+inf, e^-inf
      }
      if (x > FD_O_THRESHOLD) return Infinity;
      if (x < FD_U_THRESHOLD) return 0.0;
    }
    let hi: f64 = 0;
    let lo: f64 = 0;
    let k: i32 = 0;
    if (hx > 0x3fd62e42) {
      // |x| > ln 2 / 2
      if (hx < 0x3ff0a2b2) {
        // and |x| < 1.5 ln 2
        if (x == 1.0) return FD_E;
        if (negative == 0) {
          hi = x - FD_LN2_HI;
          lo = FD_LN2_LO;
          k = 1;
        } else {
          hi = x + FD_LN2_HI;
          lo = -FD_LN2_LO;
          k = -1;
        }
      } else {
        k = <i32>(FD_INV_LN2 * x + (negative == 0 ? 0.5 : -0.5));
        const t = <f64>k;
        hi = x - t * FD_LN2_HI;
        lo = t * FD_LN2_LO;
      }
      x = hi - lo;
    } else if (hx < 0x3e300000) {
      // |x| < 2^-28
      return 1.0 + x;
    }
    const t = x * x;
    const twopk =
      k >= -1021
        ? reinterpret<f64>((<u64>(<u32>(0x3ff00000 + (k << 20)))) << 32)
        : reinterpret<f64>((<u64>(<u32>(0x3ff00000 + ((k + 1000) << 20)))) << 32);
    const c = x - t * (FD_P1 + t * (FD_P2 + t * (FD_P3 + t * (FD_P4 + t * FD_P5))));
    if (k == 0) return 1.0 - ((x * c) / (c - 2.0) - x);
    const y = 1.0 - (lo - (x * c) / (2.0 - c) - hi);
    if (k >= -1021) {
      if (k == 1024) return y * 2.0 * FD_TWO_1023;
      return y * twopk;
    }
    return y * twopk * FD_TWO_M1000;
  }
}

/** e^x of fdlibm (see fdlibmExp), exported for the tests that hold it to Math.exp. */
export function tinyExp(x: f64): f64 {
  return Fdlibm.exp(x);
}

/** Transfer functions of tinyEpoch, by code (those of the fused TypeScript path; tanh is not covered). */
const TINY_SIGMOID: i32 = 0;
const TINY_RELU: i32 = 2;

/** Bytes of tinyEpoch's plan header, and of each layer's record after it. */
const TINY_HEADER: usize = 32;
const TINY_LAYER: usize = 48;

function f32At(base: usize, i: i32): f64 {
  return <f64>load<f32>(base + ((<usize>i) << 2));
}

function f32Put(base: usize, i: i32, v: f64): void {
  store<f32>(base + ((<usize>i) << 2), <f32>v);
}

/**
 * One epoch (one batch of `rows` rows) of a tiny dense float32 network described at `plan` (i32s: layers, rows,
 * inputs x, targets t, results r (float64s), outputs K; then per layer from byte 32, 48 bytes apart: inputs n,
 * units m, transfer code, W, theta, dE/dW, dE/dtheta, x_j, O_j, delta_j, dE/dO of the layer below), with the
 * learning rate `lr`. Returns the batch's mse E; when E is not finite, returns it having only zeroed the gradients.
 * Otherwise writes r[1] (correct classifications: O >= 0.5 against t >= 0.5 for K = 1, else the first largest
 * O_k against the first largest t_k), r[2] (1 when every weight is finite after the step, else 0) and per layer
 * l from r[3 + 6 l]: sum |delta|, max |delta|, sum (dE/dW)^2 + sum (dE/dtheta)^2, then after W <- W - lr dE/dW:
 * sum W^2, sum (W - W_before)^2, sum W_before^2 (weights then biases); then, from r[3 + 6 L], what the
 * trainer's events carry: the epoch's E, the accuracy, and per layer the five gradient statistics (mean |delta|,
 * max |delta|, |dE/dW|, |W|, update ratio). A non-finite E leaves the gradients zero.
 */
export function tinyEpoch(plan: usize, lr: f64): f64 {
  const layers = load<i32>(plan);
  const rows = load<i32>(plan, 4);
  const x0 = <usize>load<i32>(plan, 8);
  const targets = <usize>load<i32>(plan, 12);
  const r = <usize>load<i32>(plan, 16);
  const outputs = load<i32>(plan, 20);
  // forward: x_j = theta_j + sum_i O_i W_ij (in float64 from theta_j, stored once), O_j = f(x_j)
  let input = x0;
  for (let l = 0; l < layers; l++) {
    const d = plan + TINY_HEADER + <usize>l * TINY_LAYER;
    const n = load<i32>(d);
    const m = load<i32>(d, 4);
    const code = load<i32>(d, 8);
    const w = <usize>load<i32>(d, 12);
    const bias = <usize>load<i32>(d, 16);
    const net = <usize>load<i32>(d, 28);
    const out = <usize>load<i32>(d, 32);
    for (let i = 0; i < rows; i++) {
      const ai = i * n;
      const oi = i * m;
      for (let j = 0; j < m; j++) {
        let s = f32At(bias, j);
        for (let k = 0; k < n; k++) s += f32At(input, ai + k) * f32At(w, k * m + j);
        f32Put(net, oi + j, s);
      }
    }
    const size = rows * m;
    if (code == TINY_SIGMOID) {
      for (let k = 0; k < size; k++) {
        const v = f32At(net, k);
        // e^-v for v >= 0, else e^v: one e^x of -|v| (one inlined copy of it)
        const e = Fdlibm.exp(-Math.abs(v));
        f32Put(out, k, v >= 0 ? 1 / (1 + e) : e / (1 + e));
      }
    } else if (code == TINY_RELU) {
      for (let k = 0; k < size; k++) f32Put(out, k, Math.max(f32At(net, k), 0));
    } else {
      for (let k = 0; k < size; k++) f32Put(out, k, f32At(net, k));
    }
    input = out;
  }
  const top = plan + TINY_HEADER + <usize>(layers - 1) * TINY_LAYER;
  const o = input;
  const total = rows * outputs;
  let sum: f64 = 0;
  for (let i = 0; i < total; i++) {
    const d = f32At(o, i) - f32At(targets, i);
    sum += d * d;
  }
  const loss = (0.5 * sum) / <f64>rows;
  store<f64>(r, loss);
  if (!isFinite(loss + 0)) {
    // no step: the gradients are zero, as the trainer's model.zeroGrad() leaves them
    for (let l = 0; l < layers; l++) {
      const d = plan + TINY_HEADER + <usize>l * TINY_LAYER;
      const m = load<i32>(d, 4);
      memory.fill(<usize>load<i32>(d, 20), 0, (<usize>(load<i32>(d) * m)) << 2);
      memory.fill(<usize>load<i32>(d, 24), 0, (<usize>m) << 2);
    }
    return loss;
  }
  // accuracy
  let correct = 0;
  if (outputs == 1) {
    for (let i = 0; i < rows; i++) if (f32At(o, i) >= 0.5 == f32At(targets, i) >= 0.5) correct++;
  } else {
    for (let i = 0; i < rows; i++) {
      const base = i * outputs;
      let best = 0;
      let bestTarget = 0;
      for (let j = 1; j < outputs; j++) {
        if (f32At(o, base + j) > f32At(o, base + best)) best = j;
        if (f32At(targets, base + j) > f32At(targets, base + bestTarget)) bestTarget = j;
      }
      if (best == bestTarget) correct++;
    }
  }
  store<f64>(r, <f64>correct, 8);
  // backward: dE/dO = (O - t) / B into the top layer's delta, then the delta rule layer by layer
  const scale: f64 = 1 / <f64>rows;
  let dy = <usize>load<i32>(top, 36);
  for (let i = 0; i < total; i++) f32Put(dy, i, (f32At(o, i) - f32At(targets, i)) * scale);
  for (let l = layers - 1; l >= 0; l--) {
    const d = plan + TINY_HEADER + <usize>l * TINY_LAYER;
    const n = load<i32>(d);
    const m = load<i32>(d, 4);
    const code = load<i32>(d, 8);
    const w = <usize>load<i32>(d, 12);
    const gw = <usize>load<i32>(d, 20);
    const gb = <usize>load<i32>(d, 24);
    const net = <usize>load<i32>(d, 28);
    const y = <usize>load<i32>(d, 32);
    const dx = <usize>load<i32>(d, 36);
    const a = l > 0 ? <usize>load<i32>(d - TINY_LAYER, 32) : x0;
    const size = rows * m;
    let abs: f64 = 0;
    let max: f64 = 0;
    for (let i = 0; i < size; i++) {
      if (code == TINY_SIGMOID) {
        const v = f32At(y, i);
        f32Put(dx, i, v * (1 - v) * f32At(dy, i));
      } else if (code == TINY_RELU) f32Put(dx, i, f32At(net, i) > 0 ? f32At(dy, i) : 0);
      else if (dy != dx) f32Put(dx, i, f32At(dy, i));
      const v = Math.abs(f32At(dx, i));
      abs += v;
      if (v > max) max = v;
    }
    const stats = r + 24 + <usize>l * 48;
    store<f64>(stats, abs);
    store<f64>(stats, max, 8);
    // dE/dW_ij = 0 + sum_b O_bi delta_bj, with its squares
    let squares: f64 = 0;
    for (let i = 0; i < n; i++) {
      const ci = i * m;
      for (let j = 0; j < m; j++) {
        let s: f64 = 0;
        for (let b = 0; b < rows; b++) s += f32At(a, b * n + i) * f32At(dx, b * m + j);
        f32Put(gw, ci + j, 0 + s);
        const g = f32At(gw, ci + j);
        squares += g * g;
      }
    }
    // dE/dtheta_j, rounded after every addition
    for (let j = 0; j < m; j++) store<f32>(gb + ((<usize>j) << 2), 0);
    for (let b = 0; b < rows; b++) {
      const base = b * m;
      for (let j = 0; j < m; j++) f32Put(gb, j, f32At(gb, j) + f32At(dx, base + j));
    }
    let biasSquares: f64 = 0;
    for (let j = 0; j < m; j++) {
      const g = f32At(gb, j);
      biasSquares += g * g;
    }
    store<f64>(stats, 0 + squares + biasSquares, 16);
    if (l > 0) {
      // dE/dO_bi = 0 + sum_j delta_bj W_ij, for the layer below
      const below = <usize>load<i32>(d, 40);
      for (let b = 0; b < rows; b++) {
        const di = b * m;
        const oi = b * n;
        for (let i = 0; i < n; i++) {
          const wi = i * m;
          let s: f64 = 0;
          for (let j = 0; j < m; j++) s += f32At(dx, di + j) * f32At(w, wi + j);
          f32Put(below, oi + i, 0 + s);
        }
      }
      dy = below;
    }
  }
  // W <- W - lr dE/dW (rounded once), with sum W^2, sum (W - W_before)^2 and sum W_before^2
  let finite = true;
  for (let l = 0; l < layers; l++) {
    const d = plan + TINY_HEADER + <usize>l * TINY_LAYER;
    const n = load<i32>(d);
    const m = load<i32>(d, 4);
    let now: f64 = 0;
    let moved: f64 = 0;
    let before: f64 = 0;
    let nowB: f64 = 0;
    let movedB: f64 = 0;
    let beforeB: f64 = 0;
    for (let part = 0; part < 2; part++) {
      const v = <usize>load<i32>(d + (part == 0 ? 12 : 16));
      const g = <usize>load<i32>(d + (part == 0 ? 20 : 24));
      const count = part == 0 ? n * m : m;
      let sNow: f64 = 0;
      let sMoved: f64 = 0;
      let sBefore: f64 = 0;
      for (let i = 0; i < count; i++) {
        const start = f32At(v, i);
        f32Put(v, i, start - lr * f32At(g, i));
        const next = f32At(v, i);
        const e = next - start;
        sNow += next * next;
        sMoved += e * e;
        sBefore += start * start;
      }
      if (part == 0) {
        now = sNow;
        moved = sMoved;
        before = sBefore;
      } else {
        nowB = sNow;
        movedB = sMoved;
        beforeB = sBefore;
      }
    }
    const weights = 0 + now + nowB;
    const stats = r + 24 + <usize>l * 48;
    store<f64>(stats, weights, 24);
    store<f64>(stats, 0 + moved + movedB, 32);
    store<f64>(stats, 0 + before + beforeB, 40);
    if (!(weights - weights == 0)) finite = false;
  }
  if (!finite) {
    // the sum of squares may overflow with every weight finite: look at each weight
    finite = true;
    for (let l = 0; l < layers; l++) {
      const d = plan + TINY_HEADER + <usize>l * TINY_LAYER;
      const count = load<i32>(d) * load<i32>(d, 4);
      const m = load<i32>(d, 4);
      const w = <usize>load<i32>(d, 12);
      const bias = <usize>load<i32>(d, 16);
      for (let i = 0; i < count; i++) if (!isFinite(f32At(w, i))) finite = false;
      for (let i = 0; i < m; i++) if (!isFinite(f32At(bias, i))) finite = false;
    }
  }
  store<f64>(r, finite ? 1 : 0, 16);
  // what the epoch's events carry, as the trainer computes it from the sums: E of the epoch
  // ((0 + E B) + 0) / B, the accuracy, and per layer mean |delta| and max |delta| per sample, |dE/dW|, |W| and
  // |W - W_before| / |W_before|
  const f = r + 24 + <usize>layers * 48;
  store<f64>(f, (0 + loss * <f64>rows + 0) / <f64>rows);
  store<f64>(f, <f64>correct / <f64>max(1, rows), 8);
  for (let l = 0; l < layers; l++) {
    const stats = r + 24 + <usize>l * 48;
    const out = f + 16 + <usize>l * 40;
    const size = rows * load<i32>(plan + TINY_HEADER + <usize>l * TINY_LAYER, 4);
    const start = load<f64>(stats, 40);
    store<f64>(out, (load<f64>(stats) / <f64>max(1, size)) * <f64>rows);
    store<f64>(out, load<f64>(stats, 8) * <f64>rows, 8);
    store<f64>(out, Math.sqrt(load<f64>(stats, 16)), 16);
    store<f64>(out, Math.sqrt(load<f64>(stats, 24)), 24);
    store<f64>(out, start > 0 ? Math.sqrt(load<f64>(stats, 32) / start) : 0, 32);
  }
  return loss;
}

// ---- epoch statistics ----

/**
 * The sums of one parameter's epoch statistics over `n` float32 values, each in float64 in index order (as the
 * trainer's TypeScript loop sums them, bit for bit), stored as four float64 at `out`: sum v^2, sum (v - s)^2,
 * sum s^2 and sum g^2, where v is the parameter now, s its copy at the start of the epoch and g its gradient.
 */
export function epochParameterSums(v: usize, s: usize, g: usize, n: i32, out: usize): void {
  let now: f64 = 0;
  let moved: f64 = 0;
  let before: f64 = 0;
  let grad: f64 = 0;
  for (let i = 0; i < n; i++) {
    const x = f32At(v, i);
    const y = f32At(s, i);
    const e = x - y;
    const gi = f32At(g, i);
    now += x * x;
    moved += e * e;
    before += y * y;
    grad += gi * gi;
  }
  store<f64>(out, now);
  store<f64>(out, moved, 8);
  store<f64>(out, before, 16);
  store<f64>(out, grad, 24);
}

/**
 * sum |delta| in float64 in index order and max |delta| over `n` float32 values (the trainer's TypeScript loop,
 * bit for bit; a NaN is not counted in the maximum), stored as two float64 at `out`.
 */
export function epochDeltaSums(d: usize, n: i32, out: usize): void {
  let sum: f64 = 0;
  let max: f64 = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(f32At(d, i));
    sum += a;
    if (a > max) max = a;
  }
  store<f64>(out, sum);
  store<f64>(out, max, 8);
}

// ---- threads3 ----

/** The first index of part `part` of `parts` equal parts of `size`, rounded down to a multiple of `unit`. */
function partStart(size: i32, parts: i32, part: i32, unit: i32): i32 {
  if (part >= parts) return size;
  return (<i32>((<i64>size * part) / parts)) & ~(unit - 1);
}

/**
 * Part `part` of the product gemm(transA, transB, m, n, k, alpha, a, b, beta, c, work, lda, ldb, ldc) cut into
 * pieces that threads sharing one memory take in turn: by columns of op(B) and C into `parts` pieces when
 * `parts` > 0 (each a multiple of NR columns; the caller keeps them at least 16 wide, never the narrow path), by rows
 * of op(A) and C into -`parts` pieces when `parts` < 0 (each a multiple of MR rows). Every element of C gets the
 * operations of the whole product in the same order, whichever piece it is in: the same bits.
 */
export function gemmPart(
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
  ldb: i32,
  ldc: i32,
  parts: i32,
  part: i32,
): void {
  if (parts > 0) {
    const j0 = partStart(n, parts, part, NR);
    const j1 = partStart(n, parts, part + 1, NR);
    if (j1 <= j0) return;
    const bAt = b + ((<usize>(transB ? j0 * ldb : j0)) << 2);
    gemm(transA, transB, m, j1 - j0, k, alpha, a, bAt, beta, c + ((<usize>j0) << 2), work, lda, ldb, ldc);
  } else {
    const count = -parts;
    const i0 = partStart(m, count, part, MR);
    const i1 = partStart(m, count, part + 1, MR);
    if (i1 <= i0) return;
    const aAt = a + ((<usize>(transA ? i0 : i0 * lda)) << 2);
    gemm(
      transA,
      transB,
      i1 - i0,
      n,
      k,
      alpha,
      aAt,
      b,
      beta,
      c + ((<usize>i0 * ldc) << 2),
      work,
      lda,
      ldb,
      ldc,
    );
  }
}

// ---- serial3 ----

/**
 * {@link epochParameterSums} of two parameters in turn (v, s, g of `n` values into `out`, then v2, s2, g2 of `n2`
 * into `out2`): one call the helper thread runs while the caller copies the weights out of memory. The same sums,
 * the same bits.
 */
export function epochParameterSumsTwo(
  v: usize,
  s: usize,
  g: usize,
  n: i32,
  out: usize,
  v2: usize,
  s2: usize,
  g2: usize,
  n2: i32,
  out2: usize,
): void {
  epochParameterSums(v, s, g, n, out);
  epochParameterSums(v2, s2, g2, n2, out2);
}
