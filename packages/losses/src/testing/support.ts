// Test support (not built into dist): central differences in float64 and small batch helpers.
import { Random, Tensor } from '@deltaflow/tensor';
import type { Loss } from '../loss.js';

/** dF/dx_i by central differences, (F(x + h e_i) - F(x - h e_i)) / 2h, perturbing `x` in place. */
export function numericGradient(F: () => number, x: Float64Array, h = 1e-5): Float64Array {
  const grad = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const saved = x[i]!;
    x[i] = saved + h;
    const up = F();
    x[i] = saved - h;
    const down = F();
    x[i] = saved;
    grad[i] = (up - down) / (2 * h);
  }
  return grad;
}

/** The largest elementwise |a - b| / max(|a|, |b|), counting pairs both below 1e-10 as equal. */
export function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const scale = Math.max(Math.abs(a[i]!), Math.abs(b[i]!), 1e-10);
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / scale);
  }
  return worst;
}

/** A float64 `[rows, cols]` tensor of uniform numbers in [low, high). */
export function uniformBatch(rng: Random, rows: number, cols: number, low: number, high: number): Tensor {
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = rng.range(low, high);
  return new Tensor(data, [rows, cols]);
}

/** Rows of `t` divided by their sums, so each row sums to 1. */
export function normalizeRows(t: Tensor): Tensor {
  const out = t.clone('float64');
  for (let b = 0; b < t.rows; b++) {
    let s = 0;
    for (let k = 0; k < t.cols; k++) s += t.get(b, k);
    for (let k = 0; k < t.cols; k++) out.set(t.get(b, k) / s, b, k);
  }
  return out;
}

/** A float64 one-hot `[rows, cols]` batch with a random class per row. */
export function oneHot(rng: Random, rows: number, cols: number): Tensor {
  const t = Tensor.zeros([rows, cols], 'float64');
  for (let b = 0; b < rows; b++) t.set(1, b, rng.int(cols));
  return t;
}

/** Row-wise softmax written into `out`. */
export function softmaxInto(x: Tensor, out: Tensor): void {
  for (let b = 0; b < x.rows; b++) {
    let m = -Infinity;
    for (let k = 0; k < x.cols; k++) m = Math.max(m, x.get(b, k));
    let s = 0;
    for (let k = 0; k < x.cols; k++) s += Math.exp(x.get(b, k) - m);
    for (let k = 0; k < x.cols; k++) out.set(Math.exp(x.get(b, k) - m) / s, b, k);
  }
}

/** Elementwise sigmoid written into `out`. */
export function sigmoidInto(x: Tensor, out: Tensor): void {
  for (let i = 0; i < x.size; i++) out.data[i] = 1 / (1 + Math.exp(-x.data[i]!));
}

/** Worst relative error between `loss.backward` and central differences of `loss.forward` at `output`. */
export function lossGradientError(loss: Loss, output: Tensor, target: Tensor): number {
  const analytic = Tensor.zeros(output.shape, 'float64');
  loss.backward(output, target, analytic);
  const numeric = numericGradient(() => loss.forward(output, target), output.data as Float64Array);
  return maxRelativeError(analytic.data, numeric);
}

/**
 * Worst relative error between `loss.fused.backward` and central differences of `loss.fused.forward` as a
 * function of the logits x, the output recomputed from x by `activate` at every step.
 */
export function fusedGradientError(
  loss: Loss,
  activate: (x: Tensor, out: Tensor) => void,
  x: Tensor,
  target: Tensor,
): number {
  const fused = loss.fused!;
  const output = Tensor.zeros(x.shape, 'float64');
  const F = (): number => {
    activate(x, output);
    return fused.forward(x, output, target);
  };
  const numeric = numericGradient(F, x.data as Float64Array);
  activate(x, output);
  const analytic = Tensor.zeros(x.shape, 'float64');
  fused.backward(x, output, target, analytic);
  return maxRelativeError(analytic.data, numeric);
}

/** A seeded generator for the tests. */
export function rng(seed = 7): Random {
  return new Random(seed);
}

/** The error `fn` throws, or undefined. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}
