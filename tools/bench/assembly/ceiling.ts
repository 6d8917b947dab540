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
