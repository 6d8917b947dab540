import type { Sequential } from '@deltaflow/network';
import type { TypedArray } from '@deltaflow/tensor';
import type { LayerGradientStats } from './events.js';

function sumOfSquares(values: TypedArray): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]! * values[i]!;
  return s;
}

function distanceSquared(a: TypedArray, b: TypedArray): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    s += d * d;
  }
  return s;
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
    this.values.forEach((v, i) => this.copies[i]!.set(v));
  }

  /** Copies the snapshot back into the model. */
  restore(): void {
    this.values.forEach((v, i) => v.set(this.copies[i]!));
  }

  /** The copy of parameter `index` (in `model.parameters()` order). */
  copy(index: number): TypedArray {
    return this.copies[index]!;
  }
}

/** Whether every weight and bias of `model` is finite. */
export function weightsAreFinite(model: Sequential): boolean {
  for (const p of model.parameters()) {
    const v = p.value.data;
    for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i]!)) return false;
  }
  return true;
}

/**
 * Per-layer statistics of the last backward pass: |delta_j| (rescaled by the batch size to the seed's
 * per-sample delta), gradient and weight norms, and the update ratio against `start`, the weights at the
 * start of the epoch.
 */
export function gradientStats(model: Sequential, start: WeightSnapshot): LayerGradientStats[] {
  return model.layers.map((layer, index) => {
    const delta = layer.deltaBuffer();
    const batch = delta.rows;
    let sum = 0;
    let max = 0;
    for (let i = 0; i < delta.size; i++) {
      const a = Math.abs(delta.data[i]!);
      sum += a;
      if (a > max) max = a;
    }
    const weights = sumOfSquares(layer.weights.data) + sumOfSquares(layer.bias.data);
    const moved =
      distanceSquared(layer.weights.data, start.copy(2 * index)) +
      distanceSquared(layer.bias.data, start.copy(2 * index + 1));
    const before = sumOfSquares(start.copy(2 * index)) + sumOfSquares(start.copy(2 * index + 1));
    return {
      layer: index,
      meanAbsDelta: (sum / Math.max(1, delta.size)) * batch,
      maxAbsDelta: max * batch,
      gradNorm: Math.sqrt(sumOfSquares(layer.weightGrad.data) + sumOfSquares(layer.biasGrad.data)),
      weightNorm: Math.sqrt(weights),
      updateRatio: before > 0 ? Math.sqrt(moved / before) : 0,
    };
  });
}
