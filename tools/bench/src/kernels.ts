import { jsBackend, loadWasmBackend } from '@deltaflow/tensor';
import type { Backend } from '@deltaflow/tensor';
import { compileCeiling, measureCeiling, now } from './ceiling.js';
import { gflops } from './measure.js';
import { DeltaflowRunner } from './runners/deltaflow.js';
import type { RunPlan } from './runners/runner.js';
import { fmt, summarize, table } from './stats.js';
import type { Summary } from './stats.js';
import { W2, W3, initialWeights, mnistData, wideData } from './workloads.js';

/** The products one training step of W3 (and W2) makes, [m, n, k] with the transpose flags. */
const SHAPES: { label: string; transA: boolean; transB: boolean; m: number; n: number; k: number }[] = [
  { label: 'W3 forward  x = O W', transA: false, transB: false, m: 128, n: 1024, k: 1024 },
  { label: 'W3 dE/dW = Oᵀ delta', transA: true, transB: false, m: 1024, n: 1024, k: 128 },
  { label: 'W3 dE/dO = delta Wᵀ', transA: false, transB: true, m: 128, n: 1024, k: 1024 },
  { label: 'W2 forward  x = O W', transA: false, transB: false, m: 32, n: 128, k: 784 },
  { label: 'W2 dE/dW = Oᵀ delta', transA: true, transB: false, m: 784, n: 128, k: 32 },
  { label: 'W2 dE/dO = delta Wᵀ', transA: false, transB: true, m: 32, n: 10, k: 128 },
];

function gflopsOf(
  backend: Backend,
  s: (typeof SHAPES)[number],
  minMs: number,
  clock: 'wall' | 'cpu' = 'wall',
): number {
  const a = new Float32Array(s.m * s.k).map((_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
  const b = new Float32Array(s.k * s.n).map((_, i) => ((i * 104729) % 1000) / 1000 - 0.5);
  const c = new Float32Array(s.m * s.n);
  const flops = 2 * s.m * s.n * s.k;
  let reps = 0;
  const t0 = now(clock) * 1000;
  let t = t0;
  while (t - t0 < minMs || reps < 2) {
    backend.gemm(s.transA, s.transB, s.m, s.n, s.k, 1, a, b, 1, c);
    reps++;
    t = now(clock) * 1000;
  }
  return (flops * reps) / ((t - t0) / 1000) / 1e9;
}

/** GFLOP/s of every backend's gemm on the products of W2 and W3 (float32, beta = 1), interleaved, 5 repeats. */
export async function kernelBench(quick: boolean): Promise<void> {
  const backends = [jsBackend, loadWasmBackend({ threads: 1 }), loadWasmBackend({ threads: 2 })].filter(
    (b, i, all): b is Backend => b !== null && all.indexOf(b) === i,
  );
  await new Promise((resolve) => setTimeout(resolve, 300)); // let the helper thread start
  const repeats = quick ? 3 : 5;
  const minMs = quick ? 100 : 300;
  const rows: string[][] = [['product [m, n, k]', ...backends.map((b) => `${b.name} GFLOP/s (min .. max)`)]];
  for (const s of SHAPES) {
    const results = backends.map(() => [] as number[]);
    backends.forEach((b) => gflopsOf(b, s, 30));
    for (let r = 0; r < repeats; r++) backends.forEach((b, i) => results[i]!.push(gflopsOf(b, s, minMs)));
    rows.push([
      `${s.label} [${s.m}, ${s.n}, ${s.k}]`,
      ...results.map((x) => {
        const sum = summarize(x);
        return `${fmt(sum.median)} (${fmt(sum.min)} .. ${fmt(sum.max)})`;
      }),
    ]);
  }
  console.log('gemm kernels, float32, C += op(A) op(B)');
  console.log(table(rows));
  await ceilingReport(quick, backends, repeats, minMs);
}

const pct = (x: number, of: number): string => `${fmt((x / of) * 100)}%`;
const medianText = (s: Summary): string => `${fmt(s.median)} (${fmt(s.min)} .. ${fmt(s.max)})`;

/**
 * The WebAssembly SIMD ceiling (12 independent f32x4 mul+add chains, one thread), then what share of it the
 * 1-thread wasm gemm reaches on each product and W2's and W3's whole training steps (deltaflow's `train()`,
 * events on, wasm-simd on one thread), interleaved with the ceiling so a busy machine slows both alike.
 */
async function ceilingReport(
  quick: boolean,
  backends: Backend[],
  repeats: number,
  minMs: number,
): Promise<void> {
  const module = await compileCeiling();
  console.log(
    '\nWebAssembly SIMD ceiling: 12 independent f32x4 mul+add chains in registers (tools/bench/assembly/ceiling.ts), 1 thread',
  );
  if (typeof module === 'string') {
    console.log(`  not measured: ${module}`);
    return;
  }
  const wasm = backends.find((b) => b.name === 'wasm-simd');
  const runner = wasm ? new DeltaflowRunner('deltaflow-wasm', () => wasm, true) : null;
  const { train } = await mnistData();
  const plans: { label: string; plan: RunPlan }[] = [
    {
      label: 'W2 training, train() 1 thread',
      plan: { workload: W2, weights: initialWeights(W2), data: train, epochs: 1 },
    },
    {
      label: 'W3 training, train() 1 thread',
      plan: {
        workload: W3,
        weights: initialWeights(W3),
        data: wideData(W3.batchSize * 10),
        epochs: quick ? 1 : 2,
      },
    },
  ];
  const clocks = ['wall', 'cpu'] as const;
  const ceilings = clocks.map(() => [] as number[]);
  const products = SHAPES.map(() => clocks.map(() => [] as number[]));
  const training = plans.map(() => clocks.map(() => [] as number[]));
  if (runner) for (const p of plans) await runner.run(p.plan); // warm-up
  for (let r = 0; r < repeats; r++) {
    clocks.forEach((clock, c) => ceilings[c]!.push(measureCeiling(module, 1, minMs, clock).median));
    if (!wasm || !runner) continue;
    SHAPES.forEach((s, i) =>
      clocks.forEach((clock, c) => products[i]![c]!.push(gflopsOf(wasm, s, minMs / 3, clock))),
    );
    for (let i = 0; i < plans.length; i++) {
      const plan = plans[i]!.plan;
      const result = await runner.run(plan);
      clocks.forEach((clock, c) => training[i]![c]!.push(gflops(plan.workload, result, clock)));
    }
  }
  const ceiling = clocks.map((_, c) => summarize(ceilings[c]!));
  const lines: string[][] = [
    ['loop', 'wall GFLOP/s (min .. max)', '% of ceiling', 'cpu GFLOP/s (min .. max)', '% of ceiling'],
  ];
  const row = (label: string, values: number[][]): void => {
    const sums = values.map((v) => summarize(v));
    if (sums[0]!.n === 0) return;
    lines.push([label, ...sums.flatMap((sum, c) => [medianText(sum), pct(sum.median, ceiling[c]!.median)])]);
  };
  row('ceiling: 12 x f32x4 (mul + add)', ceilings);
  SHAPES.forEach((s, i) => row(`wasm-simd gemm: ${s.label} [${s.m}, ${s.n}, ${s.k}]`, products[i]!));
  plans.forEach((p, i) => row(p.label, training[i]!));
  console.log(table(lines));
  console.log(
    `  (${repeats} repeats, each: ceiling, then the products, then W2 and W3, both clocks; goal: W3 and W2 >= 85%)`,
  );
}
