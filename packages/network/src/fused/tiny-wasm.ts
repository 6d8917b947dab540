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
 * W and theta are loaded into the backend's resident region when the plan claims it, stay there, and are written
 * back into the model after every epoch (a few dozen floats, so the model is up to date at every event); the
 * gradients go back when asked ({@link TinySgdNetwork.sync}) and when another owner claims the region. Each epoch
 * claims the region back if it was taken, and writes its plan and W and theta there again.
 *
 * @example
 * ```ts
 * // not-runnable: epochs inside the trainer's lean loop
 * const tiny = TinySgdNetwork.plan(model, 4); // null when the model is not covered
 * while (tiny && tiny.covers()) {
 *   const E = tiny.epoch(inputs, targets, false, 0.5); // not finite: the gradients are zero, W unchanged
 *   const accuracy = tiny.results[tiny.eventsAt + 1];
 * }
 * tiny?.sync(); // the last gradients into the model
 * ```
 * @category Network
 */
export class TinySgdNetwork implements ResidentOwner {
  /** Whether {@link TinySgdNetwork.plan} gives plans (default true); false leaves tiny networks to the JS path. */
  static enabled = true;

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
  /** The region the plan was written into (and W and theta loaded into), or null when it is not (evicted). */
  private memory: ResidentMemory | null = null;
  /** The backend {@link TinySgdNetwork.covers} last said yes to. */
  private backend: Backend | null = null;
  /** The inputs and targets last copied in (reloaded when another pair comes, or when asked). */
  private inputs: Tensor | null = null;
  private targets: Tensor | null = null;
  /**
   * Views of the region, made again when the memory grows (a grow detaches the old buffer: its views then have
   * length 0): the whole memory as float32, the results, and each parameter's W or theta and its gradient.
   */
  private heap: Float32Array<ArrayBufferLike> = new Float32Array(0);
  private valueViews: Float32Array<ArrayBufferLike>[] = [];
  private gradViews: Float32Array<ArrayBufferLike>[] = [];
  /** The kernel's results (see {@link TinySgdNetwork.results}). */
  results: Float64Array<ArrayBufferLike> = new Float64Array(0);
  /** The kernels' `tinyEpoch` of the region's backend. */
  private kernel: (plan: number, lr: number) => number = () => NaN;
  /** Whether the region's gradients are newer than the model's (the kernel ran since the last sync). */
  private fresh = false;
  private base = 0;

  private constructor(model: Sequential, rows: number, codes: Int32Array) {
    this.rows = rows;
    this.codes = codes;
    this.eventsAt = RESULT_HEAD + RESULT_LAYER * codes.length;
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
    at = align(at + 8 * (RESULT_HEAD + (RESULT_LAYER + 5) * layers.length + 2));
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
    this.kernel = memory.kernels.tinyEpoch;
    this.inputs = this.targets = null;
    this.views();
    // W and theta stay in the region from now on, written back after every epoch
    const values = this.values;
    for (let p = 0; p < values.length; p++) this.valueViews[p]!.set(values[p]!);
    return true;
  }

  /** Makes the views of the region anew (at a claim, and after the memory grew). */
  private views(): void {
    const buffer = this.memory!.f32().buffer;
    const base = this.base;
    this.heap = new Float32Array(buffer);
    this.results = new Float64Array(
      buffer,
      base + this.resultsAt,
      RESULT_HEAD + (RESULT_LAYER + 5) * this.codes.length + 2,
    );
    this.valueViews = this.values.map((v, p) => new Float32Array(buffer, base + this.valueAt[p]!, v.length));
    this.gradViews = this.grads.map((g, p) => new Float32Array(buffer, base + this.gradAt[p]!, g.length));
  }

  /**
   * Another owner claims the region: the gradients go back to the model (W and theta are there already), and the
   * next {@link TinySgdNetwork.covers} loads W and theta again.
   */
  evict(): void {
    this.sync();
    this.memory = null;
  }

  /** Writes the gradients of the last epoch into the model (W and theta are written after every epoch). */
  sync(): void {
    if (!this.fresh) return;
    this.fresh = false;
    if (this.heap.length === 0) this.views();
    const grads = this.grads;
    for (let p = 0; p < grads.length; p++) grads[p]!.set(this.gradViews[p]!);
  }

  /**
   * One epoch on the batch (`inputs` `[rows, F]`, `targets` `[rows, K]`, float32) at the learning rate `lr`, on
   * the W and theta in the region (loaded by {@link TinySgdNetwork.covers}; changes made to the model's arrays
   * since are not seen, as with the resident plan): copies the batch in when `reload` or when these are other
   * tensors than last time, runs the kernel, and returns E (the mse of the batch). When E is not finite nothing
   * else was done (the gradients are zero); else {@link TinySgdNetwork.results} holds the epoch's numbers and,
   * when the new weights are finite, they are written into the model. Call {@link TinySgdNetwork.covers} first.
   */
  epoch(inputs: Tensor, targets: Tensor, reload: boolean, lr: number): number {
    if (this.heap.length === 0) this.views(); // the memory grew
    const base = this.base;
    if (reload || inputs !== this.inputs || targets !== this.targets) {
      this.heap.set(inputs.data as Float32Array, (base + this.inputsAt) >> 2);
      this.heap.set(targets.data as Float32Array, (base + this.targetsAt) >> 2);
      this.inputs = inputs;
      this.targets = targets;
    }
    const loss = this.kernel(base, lr);
    this.fresh = true;
    // not finite: the model keeps the epoch's start weights
    if (this.results[2] === 1) {
      const values = this.values;
      const views = this.valueViews;
      for (let p = 0; p < values.length; p++) values[p]!.set(views[p]!);
    }
    return loss;
  }

  /** Samples of the last epoch classified right (O >= 0.5 against t >= 0.5 for one output, else argmax). */
  get correct(): number {
    return this.results[1]!;
  }

  /** Whether every weight was finite after the last epoch's step (else the model was left as it was). */
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

  /**
   * Where the events' numbers start in {@link TinySgdNetwork.results}: the epoch's E ((0 + E B) + 0) / B, the
   * accuracy, then per layer mean |delta|, max |delta|, gradient norm, weight norm and update ratio.
   */
  readonly eventsAt: number;

  /** Rows of the batch the plan is for. */
  get batchRows(): number {
    return this.rows;
  }
}
