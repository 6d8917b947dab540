import type { ForwardPass, Sequential } from '@deltaflow/network';
import type { TypedArray } from '@deltaflow/tensor';
import type { LayerGradientStats } from './events.js';

/** Sums of one pass over a parameter, its gradient and its start-of-epoch copy: sum v^2, sum (v - s)^2, sum s^2, sum g^2. */
const sums = new Float64Array(4);

function accumulate(v: TypedArray, g: TypedArray, s: TypedArray): void {
  let now = 0;
  let moved = 0;
  let before = 0;
  let grad = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    const y = s[i]!;
    const d = x - y;
    const gi = g[i]!;
    now += x * x;
    moved += d * d;
    before += y * y;
    grad += gi * gi;
  }
  sums[0] += now;
  sums[1] += moved;
  sums[2] += before;
  sums[3] += grad;
}

/**
 * Keeps a copy of every weight and bias (made once), to measure how far an epoch moved them and to put back
 * the last finite or the best weights.
 */
export class WeightSnapshot {
  private readonly values: TypedArray[];
  private readonly copies: TypedArray[];

  constructor(model: Sequential) {
    this.values = model.parameters().map((p) => p.value.data);
    this.copies = this.values.map((v) => v.slice());
  }

  /** Copies the model's current weights into the snapshot. */
  take(): void {
    const { values, copies } = this;
    for (let i = 0; i < values.length; i++) {
      const from = values[i]!;
      const to = copies[i]!;
      // A plain loop for short arrays: cheaper than a `set` call at XOR's sizes (this runs every epoch).
      if (from.length > 64) to.set(from);
      else for (let j = 0; j < from.length; j++) to[j] = from[j]!;
    }
  }

  /** Copies the snapshot back into the model. */
  restore(): void {
    this.values.forEach((v, i) => v.set(this.copies[i]!));
  }

  /** The snapshot as number arrays, one per parameter. */
  toArrays(): number[][] {
    return this.copies.map((c) => Array.from(c));
  }

  /** Sets the snapshot from number arrays (one per parameter, of the parameters' sizes). */
  fromArrays(arrays: readonly (readonly number[])[]): void {
    this.copies.forEach((c, i) => c.set(arrays[i]!));
  }

  /** The copy of parameter `index` (in `model.parameters()` order). */
  copy(index: number): TypedArray {
    return this.copies[index]!;
  }
}

function allFinite(v: TypedArray): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i]!)) return false;
  return true;
}

/** Whether every weight and bias of `model` is finite (reads the layers directly: allocates nothing). */
export function weightsAreFinite(model: Sequential): boolean {
  for (const layer of model.layers) {
    if (!allFinite(layer.weights.data) || !allFinite(layer.bias.data)) return false;
  }
  return true;
}

/**
 * Per-layer statistics of the backward pass of `pass` (the training forward pass it took): |delta_j| (rescaled
 * by the batch size to the lecture notes'
 * per-sample delta), gradient and weight norms, and the update ratio against `start`, the weights at the
 * start of the epoch.
 */
export function gradientStats(
  model: Sequential,
  start: WeightSnapshot,
  pass: ForwardPass,
): LayerGradientStats[] {
  const layers = model.layers;
  const passes = pass.layers;
  const out: LayerGradientStats[] = [];
  for (let index = 0; index < layers.length; index++) {
    const layer = layers[index]!;
    const delta = passes[index]!.delta;
    const d = delta.data;
    const batch = delta.rows;
    let sum = 0;
    let max = 0;
    for (let i = 0; i < d.length; i++) {
      const a = Math.abs(d[i]!);
      sum += a;
      if (a > max) max = a;
    }
    // One pass over W (and theta), its gradient and its copy gives all four norms.
    sums[0] = sums[1] = sums[2] = sums[3] = 0;
    accumulate(layer.weights.data, layer.weightGrad.data, start.copy(2 * index));
    accumulate(layer.bias.data, layer.biasGrad.data, start.copy(2 * index + 1));
    const weights = sums[0]!;
    const moved = sums[1]!;
    const before = sums[2]!;
    out.push({
      layer: index,
      meanAbsDelta: (sum / Math.max(1, d.length)) * batch,
      maxAbsDelta: max * batch,
      gradNorm: Math.sqrt(sums[3]!),
      weightNorm: Math.sqrt(weights),
      updateRatio: before > 0 ? Math.sqrt(moved / before) : 0,
    });
  }
  return out;
}
