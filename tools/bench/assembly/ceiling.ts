// The WebAssembly SIMD ceiling of `npm run bench -- --kernels`: the best f32x4 multiply-add loop there is, twelve
// independent chains acc = acc * m + c held in registers (no loads, no stores), so the core's SIMD multiply and add
// units are the only limit. 12 chains x (1 mul + 1 add) x 4 lanes = 96 flops per iteration. Compiled by the bench
// with AssemblyScript (asc --enable simd -O3 --runtime stub), as the kernels of @deltaflow/tensor are.

/** Runs `iterations` of the 12 chains; returns a sum of the accumulators, so nothing is optimized away. */
export function ceiling(iterations: i32, seed: f32): f32 {
  const m = f32x4.splat(0.999999);
  const c = f32x4.splat(1e-6);
  let a0 = f32x4.splat(seed);
  let a1 = f32x4.add(a0, c);
  let a2 = f32x4.add(a1, c);
  let a3 = f32x4.add(a2, c);
  let a4 = f32x4.add(a3, c);
  let a5 = f32x4.add(a4, c);
  let a6 = f32x4.add(a5, c);
  let a7 = f32x4.add(a6, c);
  let a8 = f32x4.add(a7, c);
  let a9 = f32x4.add(a8, c);
  let a10 = f32x4.add(a9, c);
  let a11 = f32x4.add(a10, c);
  for (let i = 0; i < iterations; i++) {
    a0 = f32x4.add(f32x4.mul(a0, m), c);
    a1 = f32x4.add(f32x4.mul(a1, m), c);
    a2 = f32x4.add(f32x4.mul(a2, m), c);
    a3 = f32x4.add(f32x4.mul(a3, m), c);
    a4 = f32x4.add(f32x4.mul(a4, m), c);
    a5 = f32x4.add(f32x4.mul(a5, m), c);
    a6 = f32x4.add(f32x4.mul(a6, m), c);
    a7 = f32x4.add(f32x4.mul(a7, m), c);
    a8 = f32x4.add(f32x4.mul(a8, m), c);
    a9 = f32x4.add(f32x4.mul(a9, m), c);
    a10 = f32x4.add(f32x4.mul(a10, m), c);
    a11 = f32x4.add(f32x4.mul(a11, m), c);
  }
  const s = f32x4.add(
    f32x4.add(
      f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)),
      f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)),
    ),
    f32x4.add(f32x4.add(a8, a9), f32x4.add(a10, a11)),
  );
  return (
    f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3)
  );
}

/** The flops one iteration of `ceiling` does. */
export const FLOPS_PER_ITERATION: i32 = 96;
