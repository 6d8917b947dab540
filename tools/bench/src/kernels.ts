import { jsBackend, loadWasmBackend } from '@deltaflow/tensor';
import type { Backend } from '@deltaflow/tensor';
import { fmt, summarize, table } from './stats.js';

/** The products one training step of W3 (and W2) makes, [m, n, k] with the transpose flags. */
const SHAPES: { label: string; transA: boolean; transB: boolean; m: number; n: number; k: number }[] = [
  { label: 'W3 forward  x = O W', transA: false, transB: false, m: 128, n: 1024, k: 1024 },
  { label: 'W3 dE/dW = Oᵀ delta', transA: true, transB: false, m: 1024, n: 1024, k: 128 },
  { label: 'W3 dE/dO = delta Wᵀ', transA: false, transB: true, m: 128, n: 1024, k: 1024 },
  { label: 'W2 forward  x = O W', transA: false, transB: false, m: 32, n: 128, k: 784 },
  { label: 'W2 dE/dW = Oᵀ delta', transA: true, transB: false, m: 784, n: 128, k: 32 },
  { label: 'W2 dE/dO = delta Wᵀ', transA: false, transB: true, m: 32, n: 10, k: 128 },
];

function gflopsOf(backend: Backend, s: (typeof SHAPES)[number], minMs: number): number {
  const a = new Float32Array(s.m * s.k).map((_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
  const b = new Float32Array(s.k * s.n).map((_, i) => ((i * 104729) % 1000) / 1000 - 0.5);
  const c = new Float32Array(s.m * s.n);
  const flops = 2 * s.m * s.n * s.k;
  let reps = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < minMs || reps < 2) {
    backend.gemm(s.transA, s.transB, s.m, s.n, s.k, 1, a, b, 1, c);
    reps++;
    t = performance.now();
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
}
