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
 * Where a {@link WeightSnapshot} may leave its values for a while: a copy of the weights that someone else holds
 * (the WebAssembly-resident plan's copy of the start of the epoch), copied into the snapshot's arrays when they
 * are read.
 */
export interface DeferredWeights {
  /** Copies the weights held into `copies` (one array per parameter, in `model.parameters()` order). */
  copyInto(copies: TypedArray[]): void;
}

/**
 * Keeps a copy of every weight and bias (its arrays made on first use, then kept), to measure how far an epoch
 * moved them and to put back the last finite or the best weights. Its values may also be held elsewhere for a
 * while ({@link WeightSnapshot.defer}) and copied in only when read.
 */
export class WeightSnapshot {
  private readonly values: TypedArray[];
  private made: TypedArray[] | null = null;
  /** Who holds the snapshot's values, when they are not in its arrays (see {@link WeightSnapshot.defer}). */
  private deferred: DeferredWeights | null = null;

  /**
   * @param taken - whether the snapshot starts as a copy of the weights now (the default); false leaves its arrays
   *   to the first `take`, `defer` or `fromArrays`, which spares a run whose start is held elsewhere a copy
   */
  constructor(model: Sequential, taken = true) {
    this.values = model.parameters().map((p) => p.value.data);
    if (taken) this.made = this.values.map((v) => v.slice());
  }

  /** The snapshot's arrays, made on first use (as copies of the weights then). */
  private get copies(): TypedArray[] {
    return (this.made ??= this.values.map((v) => v.slice()));
  }

  /** Copies the model's current weights into the snapshot. */
  take(): void {
    this.deferred = null;
    if (this.made === null) {
      this.made = this.values.map((v) => v.slice());
      return;
    }
    const { values, copies } = this;
    for (let i = 0; i < values.length; i++) {
      const from = values[i]!;
      const to = copies[i]!;
      // A plain loop for short arrays: cheaper than a `set` call at XOR's sizes (this runs every epoch).
      if (from.length > 64) to.set(from);
      else for (let j = 0; j < from.length; j++) to[j] = from[j]!;
    }
  }

  /**
   * Makes `holder`'s weights the snapshot's values without copying them (null: drops a deferral, leaving the
   * values unset until the next `take`): they are copied in by the first read ({@link WeightSnapshot.settle}).
   */
  defer(holder: DeferredWeights | null): void {
    this.deferred = holder;
  }

  /** Copies the deferred values in, if any ({@link WeightSnapshot.defer}); every read does it first. */
  settle(): void {
    const holder = this.deferred;
    if (holder !== null) {
      this.deferred = null;
      // arrays made here are filled by the holder: no copy of the weights first
      this.made ??= this.values.map(
        (v) => new (v.constructor as new (length: number) => TypedArray)(v.length),
      );
      holder.copyInto(this.made);
    }
  }

  /** Copies the snapshot back into the model. */
  restore(): void {
    this.settle();
    this.values.forEach((v, i) => v.set(this.copies[i]!));
  }

  /** The snapshot as number arrays, one per parameter. */
  toArrays(): number[][] {
    this.settle();
    return this.copies.map((c) => Array.from(c));
  }

  /** Sets the snapshot from number arrays (one per parameter, of the parameters' sizes). */
  fromArrays(arrays: readonly (readonly number[])[]): void {
    this.deferred = null;
    this.copies.forEach((c, i) => c.set(arrays[i]!));
  }

  /** The copy of parameter `index` (in `model.parameters()` order). */
  copy(index: number): TypedArray {
    this.settle();
    return this.copies[index]!;
  }

  /**
   * Makes `copy` (an array of parameter `index`'s size, already holding the values wanted) the snapshot of that
   * parameter, and returns the array it replaces: a snapshot updated without copying.
   */
  exchange(index: number, copy: TypedArray): TypedArray {
    this.settle();
    const copies = this.copies;
    const old = copies[index]!;
    copies[index] = copy;
    return old;
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

/**
 * The most parameters for which {@link EpochStatistics} keeps a spare copy of the weights (to advance the snapshot
 * without a copy at the next epoch's start): small models, where the per-epoch calls matter; a large model is
 * spared the memory of another copy of its weights.
 */
const ADVANCE_MAX = 1 << 16;

/**
 * {@link gradientStats} and {@link weightsAreFinite} of one model, for every epoch of a run, the same numbers bit
 * for bit: the arrays it reads are looked up once; the delta and gradient sums may come from the fused path, which
 * took them on the way (`FusedSmallNetwork.stats` of `@deltaflow/network`); the sum of the squared weights also
 * says whether every weight is finite (a NaN or an infinity makes it non-finite), so only when it is not are the
 * weights checked one by one.
 */
export class EpochStatistics {
  private readonly weights: TypedArray[];
  private readonly biases: TypedArray[];
  private readonly weightGrads: TypedArray[];
  private readonly biasGrads: TypedArray[];
  /** Whether {@link EpochStatistics.measure} copies the weights into spares that become the next snapshot. */
  private readonly advancing: boolean;
  /** Arrays of the parameters' sizes that {@link EpochStatistics.measure} copies the weights into. */
  private readonly spareWeights: TypedArray[];
  private readonly spareBiases: TypedArray[];
  /** Whether every weight and bias was finite when {@link EpochStatistics.measure} last ran. */
  finite = true;
  /**
   * Whether the last {@link EpochStatistics.measure} left the weights it measured in the snapshot (it does when
   * they are finite), so that the next epoch's snapshot need not be taken; the training loop clears it.
   */
  advanced = false;

  constructor(
    private readonly model: Sequential,
    private readonly start: WeightSnapshot,
  ) {
    const layers = model.layers;
    this.weights = layers.map((l) => l.weights.data);
    this.biases = layers.map((l) => l.bias.data);
    this.weightGrads = layers.map((l) => l.weightGrad.data);
    this.biasGrads = layers.map((l) => l.biasGrad.data);
    // a model of more than ADVANCE_MAX parameters keeps one snapshot (the loop takes it at each epoch's start);
    // the snapshot's arrays are read at each measure (they may be made late, or held elsewhere for a while)
    this.advancing = model.parameters().reduce((n, p) => n + p.value.size, 0) <= ADVANCE_MAX;
    const spare = (c: TypedArray): TypedArray => (this.advancing ? c.slice() : c.subarray(0, 0));
    this.spareWeights = this.weights.map(spare);
    this.spareBiases = this.biases.map(spare);
  }

  /**
   * The statistics of the backward pass of `pass` against the snapshot (as {@link gradientStats}); sets
   * {@link EpochStatistics.finite}. When the weights are finite (and the model is small), they also become the
   * snapshot (copied in the same loop), which sets {@link EpochStatistics.advanced}; else the snapshot stays the
   * one measured against.
   *
   * @param fused - the fused path's sums of the same backward pass (sum |delta|, max |delta|, sum g^2 per
   *   layer), when it ran it and nothing changed the gradients since; else null, and they are summed here
   * @param resident - every sum of the epoch, summed in WebAssembly by the resident plan over its memory in the
   *   same order (`WasmResidentPlan.statistics` of `@deltaflow/network`: 10 per layer), when the epoch's last batch
   *   took the plan and its copies of the start of the epoch are this snapshot's values; else null (the default)
   */
  measure(
    pass: ForwardPass,
    fused: Float64Array | null,
    resident: Float64Array | null = null,
  ): LayerGradientStats[] {
    const passes = pass.layers;
    const out: LayerGradientStats[] = [];
    const copying = this.advancing;
    let finite = true;
    for (let index = 0; index < passes.length; index++) {
      const delta = passes[index]!.delta;
      const size = delta.data.length;
      const batch = delta.rows;
      let sum: number;
      let max: number;
      let gradSquares: number;
      if (resident !== null) {
        // the same sums, by the same float64 additions in the same order, over the resident plan's memory
        const r = 10 * index;
        if (copying) {
          this.spareWeights[index]!.set(this.weights[index]!);
          this.spareBiases[index]!.set(this.biases[index]!);
        }
        const weights = 0 + resident[r + 4]! + resident[r + 7]!;
        const all = 0 + resident[r + 5]! + resident[r + 8]!;
        const start = 0 + resident[r + 6]! + resident[r + 9]!;
        if (!(weights - weights === 0)) finite = false;
        out.push({
          layer: index,
          meanAbsDelta: (resident[r]! / Math.max(1, size)) * batch,
          maxAbsDelta: resident[r + 1]! * batch,
          gradNorm: Math.sqrt(0 + resident[r + 2]! + resident[r + 3]!),
          weightNorm: Math.sqrt(weights),
          updateRatio: start > 0 ? Math.sqrt(all / start) : 0,
        });
        continue;
      }
      if (fused !== null) {
        sum = fused[3 * index]!;
        max = fused[3 * index + 1]!;
        gradSquares = fused[3 * index + 2]!;
      } else {
        const d = delta.data;
        sum = 0;
        max = 0;
        for (let i = 0; i < size; i++) {
          const a = Math.abs(d[i]!);
          sum += a;
          if (a > max) max = a;
        }
        gradSquares = 0 + squares(this.weightGrads[index]!) + squares(this.biasGrads[index]!);
      }
      // sum W^2, sum (W - W_start)^2 and sum W_start^2 in index order, the weights' then the biases'
      let v = this.weights[index]!;
      let c = this.start.copy(2 * index);
      let next = this.spareWeights[index]!;
      let now = 0;
      let moved = 0;
      let before = 0;
      for (let i = 0; i < v.length; i++) {
        const x = v[i]!;
        const y = c[i]!;
        const e = x - y;
        now += x * x;
        moved += e * e;
        before += y * y;
        if (copying) next[i] = x;
      }
      v = this.biases[index]!;
      c = this.start.copy(2 * index + 1);
      next = this.spareBiases[index]!;
      let nowB = 0;
      let movedB = 0;
      let beforeB = 0;
      for (let i = 0; i < v.length; i++) {
        const x = v[i]!;
        const y = c[i]!;
        const e = x - y;
        nowB += x * x;
        movedB += e * e;
        beforeB += y * y;
        if (copying) next[i] = x;
      }
      const weights = 0 + now + nowB;
      const all = 0 + moved + movedB;
      const start = 0 + before + beforeB;
      // a NaN or infinite weight makes the sum of squares NaN or infinite
      if (!(weights - weights === 0)) finite = false;
      out.push({
        layer: index,
        meanAbsDelta: (sum / Math.max(1, size)) * batch,
        maxAbsDelta: max * batch,
        gradNorm: Math.sqrt(gradSquares),
        weightNorm: Math.sqrt(weights),
        updateRatio: start > 0 ? Math.sqrt(all / start) : 0,
      });
    }
    // the sum of squares may also overflow with every weight finite: then look at each weight
    this.finite = finite || weightsAreFinite(this.model);
    if (this.finite && copying) {
      // the copies made above become the snapshot (the start of the next epoch); the old ones the spares
      const { spareWeights, spareBiases, start } = this;
      for (let l = 0; l < spareWeights.length; l++) {
        spareWeights[l] = start.exchange(2 * l, spareWeights[l]!);
        spareBiases[l] = start.exchange(2 * l + 1, spareBiases[l]!);
      }
    }
    this.advanced = this.finite && copying;
    return out;
  }
}

/** sum g^2 in index order. */
function squares(g: TypedArray): number {
  let s = 0;
  for (let i = 0; i < g.length; i++) s += g[i]! * g[i]!;
  return s;
}
