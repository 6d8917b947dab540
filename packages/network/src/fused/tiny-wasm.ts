import { getActivation } from '@deltaflow/activations';
import { getBackend } from '@deltaflow/tensor';
import type { Backend, ResidentMemory, ResidentOwner, Tensor } from '@deltaflow/tensor';
import type { Sequential } from '../sequential.js';
import { FUSED_MAX_PRODUCT } from './small-network.js';

/** Transfer codes of the kernel `tinyEpoch` (packages/tensor/assembly/kernels.ts). */
const SIGMOID = 0;
const RELU = 2;
const LINEAR = 3;

/** Bytes of the kernel's plan header, and of each layer's record after it (see `tinyEpoch`). */
const HEADER = 32;
const LAYER = 48;

/** Float64s of the kernel's results before the per-layer ones (E, correct, finite), and per layer. */
const RESULT_HEAD = 3;
const RESULT_LAYER = 6;

/** Rounds a byte count up to 16. */
const align = (n: number): number => (n + 15) & ~15;

/**
 * A whole training epoch of a tiny dense float32 network (every epoch one batch of the same rows, products of at
 * most `FUSED_MAX_PRODUCT` multiply-adds, sigmoid, relu or linear layers, the mse loss, plain sgd) in ONE
 * WebAssembly call (`tinyEpoch` of the tensor package's kernels): the forward pass, E, the accuracy count, the
 * delta rule, W <- W - eta dE/dW and the epoch's sums for the gradient statistics. Its numbers are those of
 * {@link FusedSmallNetwork} followed by the sgd step and the trainer's statistics, bit for bit: the same float64
 * operations in the same order, rounded to float32 at the same stores, and e^x by fdlibm's algorithm, which is
 * V8's `Math.exp`.
 *
 * The network's W and theta are copied into the backend's resident region before each epoch and W, theta and their
 * gradients back after it (a few dozen floats), so the model is up to date at every event. The region is held
 * until another owner claims it; then the next epoch claims it back and writes its plan again.
 *
 * @example
 * ```ts
 * // not-runnable: one epoch inside the trainer's lean loop
 * const tiny = TinySgdNetwork.plan(model, 4); // null when the model is not covered
 * if (tiny && tiny.covers()) {
 *   const E = tiny.epoch(inputs, targets, true, 0.5); // not finite: nothing else was done
 *   tiny.commit(tiny.finite); // gradients, and the weights when finite, back into the model
 * }
 * ```
 * @category Network
 */
export class TinySgdNetwork implements ResidentOwner {
  /** Whether {@link TinySgdNetwork.plan} gives plans (default true); false leaves tiny networks to the JS path. */
  static enabled = true;

  private readonly model: Sequential;
  private readonly rows: number;
  private readonly codes: Int32Array;
  /** The model's W and theta (in `model.parameters()` order) and their gradients. */
  private readonly values: Float32Array[];
  private readonly grads: Float32Array[];
  /** Byte offsets in the region of each value and gradient, of the inputs, targets, results and plan. */
  private readonly valueAt: Int32Array;
  private readonly gradAt: Int32Array;
  private readonly bytes: number;
  private readonly layout: Int32Array;
  private readonly inputsAt: number;
  private readonly targetsAt: number;
  private readonly resultsAt: number;
  /** The region the plan was written into, or null (not written since the region was last claimed). */
  private memory: ResidentMemory | null = null;
  /** The backend {@link TinySgdNetwork.covers} last said yes to. */
  private backend: Backend | null = null;
  /** The inputs and targets last copied in (reloaded when another pair comes, or when asked). */
  private inputs: Tensor | null = null;
  private targets: Tensor | null = null;
  private results: Float64Array<ArrayBufferLike> = new Float64Array(0);
  private base = 0;

  private constructor(model: Sequential, rows: number, codes: Int32Array) {
    this.model = model;
    this.rows = rows;
    this.codes = codes;
    const layers = model.layers;
    this.values = [];
    this.grads = [];
    for (const layer of layers) {
      this.values.push(layer.weights.data as Float32Array, layer.bias.data as Float32Array);
      this.grads.push(layer.weightGrad.data as Float32Array, layer.biasGrad.data as Float32Array);
    }
    // the plan: header, layer records, then the arrays (each 16-byte aligned)
    let at = align(HEADER + LAYER * layers.length);
    const take = (floats: number): number => {
      const start = at;
      at = align(at + 4 * floats);
      return start;
    };
    this.resultsAt = at;
    at = align(at + 8 * (RESULT_HEAD + RESULT_LAYER * layers.length));
    this.inputsAt = take(rows * model.inputs);
    this.targetsAt = take(rows * model.outputs);
    this.valueAt = new Int32Array(this.values.length);
    this.gradAt = new Int32Array(this.values.length);
    // per layer: n, m, code, W, theta, dE/dW, dE/dtheta, x, O, delta, dE/dO below (relative to the base)
    const layout = new Int32Array((HEADER + LAYER * layers.length) / 4);
    layout[0] = layers.length;
    layout[1] = rows;
    layout[2] = this.inputsAt;
    layout[3] = this.targetsAt;
    layout[4] = this.resultsAt;
    layout[5] = model.outputs;
    let deltaBelow = 0;
    for (let l = 0; l < layers.length; l++) {
      const layer = layers[l]!;
      const r = (HEADER + LAYER * l) / 4;
      layout[r] = layer.inputs;
      layout[r + 1] = layer.units;
      layout[r + 2] = codes[l]!;
      layout[r + 3] = this.valueAt[2 * l] = take(layer.inputs * layer.units);
      layout[r + 4] = this.valueAt[2 * l + 1] = take(layer.units);
      layout[r + 5] = this.gradAt[2 * l] = take(layer.inputs * layer.units);
      layout[r + 6] = this.gradAt[2 * l + 1] = take(layer.units);
      layout[r + 7] = take(rows * layer.units);
      layout[r + 8] = take(rows * layer.units);
      const delta = take(rows * layer.units);
      layout[r + 9] = delta;
      // dE/dO of the layer below is stored in that layer's delta buffer (which its delta then overwrites)
      layout[r + 10] = l > 0 ? deltaBelow : 0;
      deltaBelow = delta;
    }
    this.layout = layout;
    this.bytes = at;
  }

  /**
   * The plan of `model` for epochs of one batch of `rows` rows, or null when it is not covered (not float32, a
   * layer with dropout or a transfer function other than sigmoid, relu or linear, a product above
   * `FUSED_MAX_PRODUCT`). Whether the backend in use can run it is {@link TinySgdNetwork.covers}'s question.
   */
  static plan(model: Sequential, rows: number): TinySgdNetwork | null {
    if (!TinySgdNetwork.enabled || model.dtype !== 'float32') return null;
    const layers = model.layers;
    const codes = new Int32Array(layers.length);
    for (let l = 0; l < layers.length; l++) {
      const layer = layers[l]!;
      if (layer.dropout !== 0 || layer.dtype !== 'float32') return null;
      if (rows * layer.inputs * layer.units > FUSED_MAX_PRODUCT) return null;
      const a = layer.activation;
      const code =
        a === getActivation('sigmoid')
          ? SIGMOID
          : a === getActivation('relu')
            ? RELU
            : a === getActivation('linear')
              ? LINEAR
              : -1;
      if (code < 0) return null;
      codes[l] = code;
    }
    return new TinySgdNetwork(model, rows, codes);
  }

  /**
   * Whether the backend in use now runs the plan (a WebAssembly backend whose kernels have `tinyEpoch`); claims
   * its resident region (evicting another owner) and writes the plan there when it is not.
   */
  covers(): boolean {
    const backend = getBackend();
    if (backend === this.backend && this.memory !== null && this.memory.owns(this)) return true;
    const memory = backend.resident;
    // a custom backend made from a WebAssembly one (its resident region kept) may compute otherwise
    if (memory === undefined || (backend.name !== 'wasm-simd' && backend.name !== 'wasm-simd-2t')) {
      this.backend = null;
      return false;
    }
    this.backend = backend;
    this.base = memory.claim(this, this.bytes);
    const layout = this.layout;
    const heap = new Int32Array(memory.f32().buffer, this.base, layout.length);
    // addresses are relative to the region's base: made absolute here
    for (let i = 0; i < layout.length; i++) heap[i] = layout[i]!;
    for (const i of [2, 3, 4]) heap[i] = layout[i]! + this.base;
    for (let l = 0; l < this.codes.length; l++) {
      const r = (HEADER + LAYER * l) / 4;
      for (let k = 3; k <= 10; k++) if (k < 10 || l > 0) heap[r + k] = layout[r + k]! + this.base;
    }
    this.memory = memory;
    this.inputs = this.targets = null;
    return true;
  }

  /** Another owner claims the region: nothing to write back (the model is written after every epoch). */
  evict(): void {
    this.memory = null;
  }

  /**
   * One epoch on the batch (`inputs` `[rows, F]`, `targets` `[rows, K]`, float32) at the learning rate `lr`:
   * copies W and theta in (and the batch, when `reload` or when these are other tensors than last time), runs the
   * kernel, and returns E (the mse of the batch). When E is not finite nothing else was done; else the results
   * are read with {@link TinySgdNetwork.correct}, {@link TinySgdNetwork.finite} and
   * {@link TinySgdNetwork.result}, and {@link TinySgdNetwork.commit} writes the model. Call
   * {@link TinySgdNetwork.covers} first.
   */
  epoch(inputs: Tensor, targets: Tensor, reload: boolean, lr: number): number {
    const memory = this.memory!;
    const heap = memory.f32();
    const base = this.base;
    if (reload || inputs !== this.inputs || targets !== this.targets) {
      heap.set(inputs.data as Float32Array, (base + this.inputsAt) >> 2);
      heap.set(targets.data as Float32Array, (base + this.targetsAt) >> 2);
      this.inputs = inputs;
      this.targets = targets;
    }
    const values = this.values;
    const valueAt = this.valueAt;
    for (let p = 0; p < values.length; p++) {
      const v = values[p]!;
      const at = (base + valueAt[p]!) >> 2;
      for (let i = 0; i < v.length; i++) heap[at + i] = v[i]!;
    }
    const loss = memory.kernels.tinyEpoch(base, lr);
    if (this.results.buffer !== heap.buffer)
      this.results = new Float64Array(
        heap.buffer,
        base + this.resultsAt,
        RESULT_HEAD + RESULT_LAYER * this.codes.length,
      );
    return loss;
  }

  /** Samples of the last epoch classified right (O >= 0.5 against t >= 0.5 for one output, else argmax). */
  get correct(): number {
    return this.results[1]!;
  }

  /** Whether every weight was finite after the last epoch's step. */
  get finite(): boolean {
    return this.results[2] === 1;
  }

  /**
   * Sum number `k` of layer `layer` of the last epoch: 0 sum |delta_j|, 1 max |delta_j|, 2 sum (dE/dW)^2 +
   * sum (dE/dtheta)^2, 3 sum W^2 after the step, 4 sum (W - W_before)^2, 5 sum W_before^2 (weights then biases,
   * each sum in index order, as the trainer's statistics take them).
   */
  result(layer: number, k: number): number {
    return this.results[RESULT_HEAD + RESULT_LAYER * layer + k]!;
  }

  /** Writes the last epoch's gradients into the model, and its W and theta too when `weights`. */
  commit(weights: boolean): void {
    const heap = this.memory!.f32();
    const base = this.base;
    const grads = this.grads;
    const gradAt = this.gradAt;
    for (let p = 0; p < grads.length; p++) {
      const g = grads[p]!;
      const at = (base + gradAt[p]!) >> 2;
      for (let i = 0; i < g.length; i++) g[i] = heap[at + i]!;
    }
    if (!weights) return;
    const values = this.values;
    const valueAt = this.valueAt;
    for (let p = 0; p < values.length; p++) {
      const v = values[p]!;
      const at = (base + valueAt[p]!) >> 2;
      for (let i = 0; i < v.length; i++) v[i] = heap[at + i]!;
    }
  }

  /** Rows of the batch the plan is for. */
  get batchRows(): number {
    return this.rows;
  }

  /** The model trained. */
  get network(): Sequential {
    return this.model;
  }
}
