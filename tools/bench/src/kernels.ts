import { jsBackend, loadWasmBackend } from '@deltaflow/tensor';
import type { Backend } from '@deltaflow/tensor';
import { compileCeiling, compileKernels, measureCeiling, now } from './ceiling.js';
import type { KernelsModule } from './ceiling.js';
import { gflops } from './measure.js';
import { DeltaflowRunner } from './runners/deltaflow.js';
import type { RunPlan } from './runners/runner.js';
import { fmt, summarize, table } from './stats.js';
import type { Summary } from './stats.js';
import { W2, W3, initialWeights, mnistData, wideData } from './workloads.js';
import os from 'node:os';

/**
 * The products one training step of W3 and W2 makes, [m, n, k] with the transpose flags, as packages/network's
 * Dense calls them: the forward x = O W (linear), dE/dW += O^T delta (transA, beta 1) and dE/dO = delta W^T
 * (transB, beta 0; not for the first layer), for each layer shape.
 */
const SHAPES: {
  label: string;
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
  beta: number;
}[] = [
  { label: 'W3 forward  x = O W', transA: false, transB: false, m: 128, n: 1024, k: 1024, beta: 1 },
  { label: 'W3 dE/dW = Oᵀ delta', transA: true, transB: false, m: 1024, n: 1024, k: 128, beta: 1 },
  { label: 'W3 dE/dO = delta Wᵀ', transA: false, transB: true, m: 128, n: 1024, k: 1024, beta: 0 },
  { label: 'W3 out x = O W', transA: false, transB: false, m: 128, n: 10, k: 1024, beta: 1 },
  { label: 'W3 out dE/dW = Oᵀ delta', transA: true, transB: false, m: 1024, n: 10, k: 128, beta: 1 },
  { label: 'W3 out dE/dO = delta Wᵀ', transA: false, transB: true, m: 128, n: 1024, k: 10, beta: 0 },
  { label: 'W2 forward  x = O W', transA: false, transB: false, m: 32, n: 128, k: 784, beta: 1 },
  { label: 'W2 dE/dW = Oᵀ delta', transA: true, transB: false, m: 784, n: 128, k: 32, beta: 1 },
  { label: 'W2 out x = O W', transA: false, transB: false, m: 32, n: 10, k: 128, beta: 1 },
  { label: 'W2 out dE/dW = Oᵀ delta', transA: true, transB: false, m: 128, n: 10, k: 32, beta: 1 },
  { label: 'W2 out dE/dO = delta Wᵀ', transA: false, transB: true, m: 32, n: 128, k: 10, beta: 0 },
];
type Shape = (typeof SHAPES)[number];
const shapeText = (s: Shape): string =>
  `${s.label} [${s.m}, ${s.n}, ${s.k}] ${s.transA ? 'T' : 'N'}${s.transB ? 'T' : 'N'}`;

/** Operands of a product, the same values for every backend (a few distinct values, no denormals). */
function operands(s: Shape): { a: Float32Array; b: Float32Array; c: Float32Array } {
  return {
    a: new Float32Array(s.m * s.k).map((_, i) => ((i * 7919) % 1000) / 1000 - 0.5),
    b: new Float32Array(s.k * s.n).map((_, i) => ((i * 104729) % 1000) / 1000 - 0.5),
    c: new Float32Array(s.m * s.n),
  };
}

/** Repeats `step` for at least `minMs` (and twice) by `clock`; returns GFLOP/s for `flops` a step. */
function rate(step: () => void, flops: number, minMs: number, clock: 'wall' | 'cpu'): number {
  let reps = 0;
  const t0 = now(clock) * 1000;
  let t = t0;
  while (t - t0 < minMs || reps < 2) {
    step();
    reps++;
    t = now(clock) * 1000;
  }
  return (flops * reps) / ((t - t0) / 1000) / 1e9;
}

/**
 * The kernel alone: @deltaflow/tensor's gemm compiled from its source, its operands already in its memory
 * (`[work][A][B][C]`), as a WebAssembly-resident training step calls it. Returns a timer per product.
 */
function residentKernel(kernels: KernelsModule): (s: Shape, minMs: number, clock: 'wall' | 'cpu') => number {
  const work = (kernels.heapBase() + 15) & ~15;
  const aAt = (work + kernels.gemmWorkBytes() + 15) & ~15;
  const largest = Math.max(...SHAPES.flatMap((s) => [s.m * s.k, s.k * s.n, s.m * s.n]));
  const bytes = aAt + 3 * (4 * largest + 16);
  const have = kernels.memory.buffer.byteLength;
  if (have < bytes) kernels.memory.grow(Math.ceil((bytes - have) / 65536));
  return (s, minMs, clock) => {
    const { a, b } = operands(s);
    const bAt = aAt + ((4 * a.length + 15) & ~15);
    const cAt = bAt + ((4 * b.length + 15) & ~15);
    const heap = new Float32Array(kernels.memory.buffer);
    heap.set(a, aAt >> 2);
    heap.set(b, bAt >> 2);
    heap.fill(0, cAt >> 2, (cAt >> 2) + s.m * s.n);
    const lda = s.transA ? s.m : s.k;
    const ta = s.transA ? 1 : 0;
    const tb = s.transB ? 1 : 0;
    const step = (): void =>
      kernels.gemm(ta, tb, s.m, s.n, s.k, 1, aAt, bAt, s.beta, cAt, work, lda, tb ? s.k : s.n, s.n);
    return rate(step, 2 * s.m * s.n * s.k, minMs, clock);
  };
}

/** GFLOP/s of `backend.gemm` on a product (its staging copies included). */
function gflopsOf(backend: Backend, s: Shape, minMs: number, clock: 'wall' | 'cpu' = 'wall'): number {
  const { a, b, c } = operands(s);
  const step = (): void => backend.gemm(s.transA, s.transB, s.m, s.n, s.k, 1, a, b, s.beta, c);
  return rate(step, 2 * s.m * s.n * s.k, minMs, clock);
}

/** GFLOP/s of every backend's gemm on the products of W2 and W3 (float32, their beta), interleaved, 5 repeats. */
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
      shapeText(s),
      ...results.map((x) => {
        const sum = summarize(x);
        return `${fmt(sum.median)} (${fmt(sum.min)} .. ${fmt(sum.max)})`;
      }),
    ]);
  }
  console.log(
    'gemm kernels, float32, C = op(A) op(B) + beta C (the backends, their copies in and out included)',
  );
  console.log(table(rows));
  await ceilingReport(quick, backends, repeats, minMs);
}

const pct = (x: number, of: number): string => `${fmt((x / of) * 100)}%`;
const medianText = (s: Summary): string => `${fmt(s.median)} (${fmt(s.min)} .. ${fmt(s.max)})`;

/**
 * The WebAssembly SIMD ceiling, one thread: the issue's loop (12 independent f32x4 mul+add chains) and two
 * register tiles of a micro-kernel, the ceiling being the best of them in each repeat. Then what share of it the
 * 1-thread gemm reaches on each product: the kernel alone (compiled from @deltaflow/tensor's source, operands in
 * its memory) and the wasm-simd backend (copies in and out), and W2's and W3's whole training steps (deltaflow's
 * `train()`, events on, wasm-simd on one thread), interleaved with the ceiling so a busy machine slows all alike.
 * Both clocks; the CPU clock is the one to read on a shared machine.
 */
async function ceilingReport(
  quick: boolean,
  backends: Backend[],
  repeats: number,
  minMs: number,
): Promise<void> {
  const module = await compileCeiling();
  console.log(
    '\nWebAssembly SIMD ceiling, 1 thread: 12 independent f32x4 mul+add chains (the issue\'s), and 5 x 8 and 3 x 12 register tiles (tools/bench/assembly/ceiling.ts); "best" is the best of them',
  );
  if (typeof module === 'string') {
    console.log(`  not measured: ${module}`);
    return;
  }
  const kernels = await compileKernels();
  if (typeof kernels === 'string') console.log(`  the kernel alone: not measured: ${kernels}`);
  const resident = typeof kernels === 'string' ? null : residentKernel(kernels);
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
  const loops = module.loops;
  const ceilings = loops.map(() => clocks.map(() => [] as number[]));
  const best = clocks.map(() => [] as number[]);
  const alone = SHAPES.map(() => clocks.map(() => [] as number[]));
  const products = SHAPES.map(() => clocks.map(() => [] as number[]));
  const training = plans.map(() => clocks.map(() => [] as number[]));
  const [load1] = os.loadavg();
  if (runner) for (const p of plans) await runner.run(p.plan); // warm-up
  if (resident) SHAPES.forEach((s) => resident(s, 30, 'wall'));
  for (let r = 0; r < repeats; r++) {
    clocks.forEach((clock, c) => {
      const values = loops.map((loop) => measureCeiling(module, 1, minMs / 2, clock, loop).median);
      values.forEach((v, l) => ceilings[l]![c]!.push(v));
      best[c]!.push(Math.max(...values));
    });
    SHAPES.forEach((s, i) =>
      clocks.forEach((clock, c) => {
        if (resident) alone[i]![c]!.push(resident(s, minMs / 3, clock));
        if (wasm) products[i]![c]!.push(gflopsOf(wasm, s, minMs / 3, clock));
      }),
    );
    if (!runner) continue;
    for (let i = 0; i < plans.length; i++) {
      const plan = plans[i]!.plan;
      const result = await runner.run(plan);
      clocks.forEach((clock, c) => training[i]![c]!.push(gflops(plan.workload, result, clock)));
    }
  }
  const [load2] = os.loadavg();
  const issue = clocks.map((_, c) => summarize(ceilings[0]![c]!).median);
  const ceiling = clocks.map((_, c) => summarize(best[c]!).median);
  const lines: string[][] = [
    ['loop (1 thread)', 'wall GFLOP/s', '% best', 'cpu GFLOP/s (min .. max)', '% best', '% 12 chains'],
  ];
  const row = (label: string, values: number[][]): void => {
    const [wall, cpu] = values.map((v) => summarize(v)) as [Summary, Summary];
    if (wall.n === 0) return;
    lines.push([
      label,
      fmt(wall.median),
      pct(wall.median, ceiling[0]!),
      medianText(cpu),
      pct(cpu.median, ceiling[1]!),
      pct(cpu.median, issue[1]!),
    ]);
  };
  loops.forEach((loop, l) => row(`ceiling: ${loop.name}`, ceilings[l]!));
  row('ceiling: best', best);
  SHAPES.forEach((s, i) => row(`kernel alone: ${shapeText(s)}`, alone[i]!));
  SHAPES.forEach((s, i) => row(`wasm-simd backend: ${shapeText(s)}`, products[i]!));
  plans.forEach((p, i) => row(p.label, training[i]!));
  console.log(table(lines));
  console.log(
    `  (${repeats} repeats, each: the ceilings, then the products, then W2 and W3, both clocks; medians; load ${fmt(load1!)} -> ${fmt(load2!)} (1 min); goal: W3 and W2 >= 85%)`,
  );
}
