// The WebAssembly SIMD ceiling of `npm run bench -- --kernels`: the best f32x4 multiply-add loop there is for a
// product. Twelve independent accumulator chains acc_r += a_r * b (12 broadcast scalars a_r times one vector b,
// a gemm micro-kernel's shape with the multiply off the chains' critical path), the twelve accumulators in
// registers, the operands loaded from a 1 KiB buffer that stays in L1. So the SIMD multiply and add units are the
// limit: 12 x (1 mul + 1 add) x 4 lanes = 96 flops an iteration. (A 6 x 2 arrangement, two vectors b, needs 16
// registers with the product's temporary: V8 gives wasm 15 xmm registers, so it spills and runs ~20% slower.)
// Compiled by the bench with AssemblyScript (--enable simd -O3 --runtime stub), as @deltaflow/tensor's kernels.

/** 16 slots of 64 bytes: b (one f32x4), then a_0 .. a_11 (twelve f32). */
const BUFFER = memory.data(1024, 16);

/** Fills the operand buffer from `seed`: slot s, float k holds seed * ((s * 16 + k) % 7 + 1) / 1024. */
export function fill(seed: f32): void {
  for (let i = 0; i < 256; i++) store<f32>(BUFFER + ((<usize>i) << 2), (seed * <f32>((i % 7) + 1)) / 1024);
}

/** Runs `iterations` of the 12 chains over the buffer; returns the sum of all lanes of all accumulators. */
export function ceiling(iterations: i32): f32 {
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
  let c50 = f32x4.splat(0);
  let c51 = f32x4.splat(0);
  for (let i = 0; i < iterations; i++) {
    const p = BUFFER + ((<usize>(i & 15)) << 6);
    const b = v128.load(p);
    c00 = f32x4.add(c00, f32x4.mul(v128.load32_splat(p, 16), b));
    c01 = f32x4.add(c01, f32x4.mul(v128.load32_splat(p, 20), b));
    c10 = f32x4.add(c10, f32x4.mul(v128.load32_splat(p, 24), b));
    c11 = f32x4.add(c11, f32x4.mul(v128.load32_splat(p, 28), b));
    c20 = f32x4.add(c20, f32x4.mul(v128.load32_splat(p, 32), b));
    c21 = f32x4.add(c21, f32x4.mul(v128.load32_splat(p, 36), b));
    c30 = f32x4.add(c30, f32x4.mul(v128.load32_splat(p, 40), b));
    c31 = f32x4.add(c31, f32x4.mul(v128.load32_splat(p, 44), b));
    c40 = f32x4.add(c40, f32x4.mul(v128.load32_splat(p, 48), b));
    c41 = f32x4.add(c41, f32x4.mul(v128.load32_splat(p, 52), b));
    c50 = f32x4.add(c50, f32x4.mul(v128.load32_splat(p, 56), b));
    c51 = f32x4.add(c51, f32x4.mul(v128.load32_splat(p, 60), b));
  }
  let s = f32x4.add(c00, c01);
  s = f32x4.add(s, c10);
  s = f32x4.add(s, c11);
  s = f32x4.add(s, c20);
  s = f32x4.add(s, c21);
  s = f32x4.add(s, c30);
  s = f32x4.add(s, c31);
  s = f32x4.add(s, c40);
  s = f32x4.add(s, c41);
  s = f32x4.add(s, c50);
  s = f32x4.add(s, c51);
  return (
    f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3)
  );
}

/** The flops one iteration of `ceiling` does. */
export const FLOPS_PER_ITERATION: i32 = 96;

// Two more loops, the register tiles of a gemm micro-kernel with its operands in L1: each depth loads the f32x4
// of B once and broadcasts a scalar of A per row (as the 12 chains do, but fewer loads a multiply-add). On AMD
// Zen 4 the 12 chains are bound by their 13 loads an iteration and these reach about 20% more, so the bench's
// ceiling is the best of the three: a kernel's share of it is a share of what f32x4 can do here.

/** Runs `iterations` of a 5 x 8 tile (10 accumulators: 5 broadcasts times 2 vectors); returns a lane sum. */
export function tile5x8(iterations: i32): f32 {
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
  for (let i = 0; i < iterations; i++) {
    const p = BUFFER + ((<usize>(i & 15)) << 6);
    const b0 = v128.load(p);
    const b1 = v128.load(p, 16);
    let a = v128.load32_splat(p, 32);
    c00 = f32x4.add(c00, f32x4.mul(a, b0));
    c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(p, 36);
    c10 = f32x4.add(c10, f32x4.mul(a, b0));
    c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(p, 40);
    c20 = f32x4.add(c20, f32x4.mul(a, b0));
    c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(p, 44);
    c30 = f32x4.add(c30, f32x4.mul(a, b0));
    c31 = f32x4.add(c31, f32x4.mul(a, b1));
    a = v128.load32_splat(p, 48);
    c40 = f32x4.add(c40, f32x4.mul(a, b0));
    c41 = f32x4.add(c41, f32x4.mul(a, b1));
  }
  let s = f32x4.add(c00, c01);
  s = f32x4.add(s, c10);
  s = f32x4.add(s, c11);
  s = f32x4.add(s, c20);
  s = f32x4.add(s, c21);
  s = f32x4.add(s, c30);
  s = f32x4.add(s, c31);
  s = f32x4.add(s, c40);
  s = f32x4.add(s, c41);
  return (
    f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3)
  );
}

/** The flops one iteration of `tile5x8` does: 10 x (1 mul + 1 add) x 4 lanes. */
export const FLOPS_5X8: i32 = 80;

/** Runs `iterations` of a 3 x 12 tile (9 accumulators: 3 broadcasts times 3 vectors); returns a lane sum. */
export function tile3x12(iterations: i32): f32 {
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c02 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c12 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c22 = f32x4.splat(0);
  for (let i = 0; i < iterations; i++) {
    const p = BUFFER + ((<usize>(i & 15)) << 6);
    const b0 = v128.load(p);
    const b1 = v128.load(p, 16);
    const b2 = v128.load(p, 32);
    let a = v128.load32_splat(p, 48);
    c00 = f32x4.add(c00, f32x4.mul(a, b0));
    c01 = f32x4.add(c01, f32x4.mul(a, b1));
    c02 = f32x4.add(c02, f32x4.mul(a, b2));
    a = v128.load32_splat(p, 52);
    c10 = f32x4.add(c10, f32x4.mul(a, b0));
    c11 = f32x4.add(c11, f32x4.mul(a, b1));
    c12 = f32x4.add(c12, f32x4.mul(a, b2));
    a = v128.load32_splat(p, 56);
    c20 = f32x4.add(c20, f32x4.mul(a, b0));
    c21 = f32x4.add(c21, f32x4.mul(a, b1));
    c22 = f32x4.add(c22, f32x4.mul(a, b2));
  }
  let s = f32x4.add(c00, c01);
  s = f32x4.add(s, c02);
  s = f32x4.add(s, c10);
  s = f32x4.add(s, c11);
  s = f32x4.add(s, c12);
  s = f32x4.add(s, c20);
  s = f32x4.add(s, c21);
  s = f32x4.add(s, c22);
  return (
    f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3)
  );
}

/** The flops one iteration of `tile3x12` does: 9 x (1 mul + 1 add) x 4 lanes. */
export const FLOPS_3X12: i32 = 72;
