import { getActivation } from '@deltaflow/activations';
import type { Activation } from '@deltaflow/activations';
import { ResidentActivation, Tensor, getBackend } from '@deltaflow/tensor';
import type { ResidentMemory, ResidentOwner } from '@deltaflow/tensor';
import type { Dense } from '../dense.js';
import type { ForwardPass } from '../forward-pass.js';
import type { Sequential } from '../sequential.js';

/** The output layer's softmax, fused with the cross-entropy loss (E from the logits, delta = (O - t) / B). */
const SOFTMAX = 4;

const CODES: readonly (readonly [string, number])[] = [
  ['sigmoid', ResidentActivation.sigmoid],
  ['tanh', ResidentActivation.tanh],
  ['relu', ResidentActivation.relu],
  ['linear', ResidentActivation.linear],
];

function codeOf(activation: Activation): number {
  for (const [name, code] of CODES) if (activation === getActivation(name)) return code;
  return -1;
}

const align16 = (x: number): number => (x + 15) & ~15;

/** Float64 sums per layer that {@link WasmResidentPlan.statistics} gives. */
const STAT_SUMS = 10;
/** Float64s per layer the statistics' kernels write: 2 of delta (and 2 unused), 4 of W, 4 of theta. */
const KERNEL_SUMS = 12;

/**
 * What {@link WasmResidentPlan.forwardGathered} reads a batch from: a `Batcher` of `@deltaflow/data` is one. It
 * copies the rows of batch `b` into `inputs` from element `inputsAt` and into `targets` from element `targetsAt`
 * (row-major) and returns their count.
 *
 * @example
 * ```ts
 * // XOR's four rows in batches of two: batch b is rows 2b and 2b + 1
 * const rows = [0, 0, 0, 1, 1, 0, 1, 1];
 * const source: ResidentBatchSource = {
 *   gatherInto(b, inputs, inputsAt, targets, targetsAt) {
 *     inputs.set(rows.slice(4 * b, 4 * b + 4), inputsAt);
 *     targets.set(b === 0 ? [0, 1] : [1, 0], targetsAt);
 *     return 2;
 *   },
 * };
 * ```
 * @category Network
 */
export interface ResidentBatchSource {
  /** Copies the rows of batch `b` into `inputs` from `inputsAt` and `targets` from `targetsAt`; returns their count. */
  gatherInto(
    b: number,
    inputs: Float32Array,
    inputsAt: number,
    targets: Float32Array,
    targetsAt: number,
  ): number;
}

/**
 * Tensor views of a `[rows, cols]` matrix at a fixed address of WebAssembly memory, one for full batches (slot 0)
 * and one for the last, partial batch (slot 1), made again only when the memory's buffer, the address or the rows
 * changed.
 */
class HeapMatrices {
  private readonly views: (Tensor | null)[] = [null, null];

  at(slot: number, buffer: ArrayBufferLike, address: number, rows: number, cols: number): Tensor {
    let view = this.views[slot]!;
    const data = view?.data;
    if (
      view === null ||
      data!.buffer !== buffer ||
      data!.byteOffset !== address ||
      view.rows !== rows ||
      view.cols !== cols
    ) {
      view = new Tensor<2>(new Float32Array(buffer, address, rows * cols), [rows, cols]);
      this.views[slot] = view;
    }
    return view;
  }
}

/**
 * The plan is made for networks whose every product of a full batch (batch rows x inputs x units) has more than
 * this many multiply-adds: the WebAssembly backends' small-product threshold (`SMALL_GEMM` of the tensor kernels),
 * below which the general path runs TypeScript loops (and tiny networks the fused small-network path).
 *
 * @example
 * ```ts
 * const planned = 32 * 128 * 10 > RESIDENT_MIN_PRODUCT; // W2's output layer: a WebAssembly product
 * ```
 * @category Network
 */
export const RESIDENT_MIN_PRODUCT = 4096;

/** Byte addresses of one layer's arrays in the resident region. */
interface LayerPlace {
  /** W, `[inputs, units]`. */
  w: number;
  /** theta, `[units]`. */
  b: number;
  /** dE/dW. */
  gw: number;
  /** dE/dtheta. */
  gb: number;
  /** x, `[B, units]`. */
  net: number;
  /** O, `[B, units]`. */
  out: number;
  /** delta, `[B, units]`. */
  delta: number;
  /** dE/dO of the layer below, `[B, inputs]` (0 for the first layer, which has none). */
  inputGrad: number;
}

/**
 * A WebAssembly-resident training plan of a dense float32 network on a WebAssembly backend: at the first batch
 * every layer's W, theta, dE/dW, dE/dtheta and the buffers of a batch (x, O, delta, dE/dO) are placed in the
 * backend's linear memory, once; each batch then copies in only its inputs and targets, and the forward pass
 * (x = O_in W + theta, O = f(x)), E, the delta rule and the sgd step W <- W - eta dE/dW run as kernel calls on
 * addresses (gemm, the activations and their derivatives in WebAssembly SIMD), split with the helper thread on the
 * 2-thread backend. Nothing is copied per batch but the batch and the output O_k (for the metrics), and nothing is
 * allocated.
 *
 * The layers' tensors fall behind while the plan trains: {@link WasmResidentPlan.sync} brings W, theta, their
 * gradients and the pass's deltas up to date, and the next batch reloads W and theta from the tensors (so whatever
 * changed them in between, a restore or a resume, is taken). The results are those of the general path on the
 * same backend (`zeroGrad`, `forward`, `loss`, `backwardLoss`, sgd's `step`): the same kernels on the same values
 * in the same order; only e^x (sigmoid, tanh) is a float64 polynomial of about 1 ulp instead of Math.exp, so a
 * float32 value differs by one rounding about once in 10^8.
 *
 * Covers sigmoid, tanh, relu and linear layers without dropout with the mse loss, and a softmax output with the
 * cross-entropy loss, in float32 on a backend with a resident region (`wasm-simd`, `wasm-simd-2t`), when every
 * layer's product of a full batch has more than {@link RESIDENT_MIN_PRODUCT} multiply-adds; the optimizer step is
 * plain sgd (the caller checks it). {@link WasmResidentPlan.plan} returns null for anything else.
 *
 * @example
 * ```ts
 * // not-runnable: one batch inside a training loop
 * declare const pass: ForwardPass; // the model's forward buffers
 * const plan = WasmResidentPlan.plan(model, 'mse', 32); // null when not covered
 * if (plan && plan.covers(inputs.rows)) {
 *   const E = plan.forwardLoss(inputs, targets, pass);
 *   plan.backwardStep(0.5); // the delta rule and W <- W - 0.5 dE/dW, in WebAssembly memory
 * }
 * plan?.sync(); // before anyone reads the weights
 * ```
 * @category Network
 */
export class WasmResidentPlan implements ResidentOwner {
  /** Whether {@link WasmResidentPlan.plan} gives plans (default true); false forces the general path. */
  static enabled = true;

  /**
   * Whether the sgd step of W is fused into the weight-gradient product (default true):
   * W <- W + (-eta) O_in^T delta in one gemm into W, which saves writing dE/dW and a pass of the step over W, dE/dW
   * and W again (W2's largest costs after the products). The result differs from the general path's
   * W - eta dE/dW by float32 roundings (eta O_in is rounded before the sum, and the sum is added in float32);
   * dE/dW itself is made at {@link WasmResidentPlan.sync}, from the last batch's buffers, unless the batch before
   * the sync was said to be the last (`backwardStep`'s `lastBatch`: an epoch's last batch takes the general update,
   * which makes dE/dW). False makes the update that of the general path, bit for bit.
   */
  static fuseUpdate = true;

  private readonly layers: readonly Dense[];
  private readonly codes: Int32Array;
  private readonly places: LayerPlace[] = [];
  private readonly inputsAt: number;
  private readonly targetsAt: number;
  private readonly bytes: number;
  /** Byte addresses of each layer's copies of W and theta at the start of the epoch ({@link WasmResidentPlan.markStart}). */
  private readonly starts: { w: number; b: number }[] = [];
  /** Byte address of the statistics' sums (10 float64 per layer, see {@link WasmResidentPlan.statistics}). */
  private readonly sumsAt: number;
  /** Whether the region holds the copies of W and theta taken by {@link WasmResidentPlan.markStart}. */
  private started = false;
  private readonly softmax: boolean;
  /** Whether the region holds the layers' W and theta (else the next batch loads them). */
  private loaded = false;
  /** Whether the region holds updates the tensors have not seen. */
  private dirty = false;
  /** Whether dE/dW of the last batch is in the region (the fused update does not write it). */
  private gradientsMade = true;
  /** Rows of the last batch, and the pass its deltas are synced into. */
  private rows = 0;
  private pass: ForwardPass | null = null;
  /** The output O_k of the last {@link WasmResidentPlan.forwardLoss} (the pass's buffer). */
  output!: Tensor;

  private constructor(
    private readonly memory: ResidentMemory,
    model: Sequential,
    codes: Int32Array,
    /** The largest batch the buffers hold. */
    readonly batchSize: number,
  ) {
    this.layers = model.layers;
    this.codes = codes;
    this.softmax = codes[codes.length - 1] === SOFTMAX;
    let at = 0;
    const take = (floats: number): number => {
      const place = at;
      at = align16(at + 4 * floats);
      return place;
    };
    this.inputsAt = take(batchSize * model.inputs);
    this.targetsAt = take(batchSize * model.outputs);
    for (let l = 0; l < model.layers.length; l++) {
      const { inputs, units } = model.layers[l]!;
      this.places.push({
        w: take(inputs * units),
        b: take(units),
        gw: take(inputs * units),
        gb: take(units),
        net: take(batchSize * units),
        out: take(batchSize * units),
        delta: take(batchSize * units),
        inputGrad: l > 0 ? take(batchSize * inputs) : 0,
      });
    }
    for (const { inputs, units } of model.layers)
      this.starts.push({ w: take(inputs * units), b: take(units) });
    this.sumsAt = take(2 * KERNEL_SUMS * model.layers.length);
    this.bytes = at;
  }

  /**
   * The plan of `model` trained with the loss named `loss` on batches of at most `batchSize` rows, on the backend
   * in use, or null when the backend has no resident region or a layer, the dtype or the loss is not covered.
   */
  static plan(model: Sequential, loss: string, batchSize: number): WasmResidentPlan | null {
    if (!WasmResidentPlan.enabled || model.dtype !== 'float32') return null;
    const memory = getBackend().resident;
    if (memory === undefined) return null;
    const layers = model.layers;
    const codes = new Int32Array(layers.length);
    for (let l = 0; l < layers.length; l++) {
      const layer = layers[l]!;
      if (layer.dropout !== 0 || layer.dtype !== 'float32') return null;
      let code = codeOf(layer.activation);
      if (l === layers.length - 1 && layer.activation === getActivation('softmax')) code = SOFTMAX;
      if (code < 0) return null;
      codes[l] = code;
    }
    const top = codes[layers.length - 1]!;
    if (loss === 'cross-entropy' ? top !== SOFTMAX : loss !== 'mse' || top === SOFTMAX) return null;
    // small products take the backends' TypeScript loops (and small networks the fused small-network path): the
    // plan is for networks whose every product of a full batch is a WebAssembly one
    for (const layer of layers)
      if (batchSize * layer.inputs * layer.units <= RESIDENT_MIN_PRODUCT) return null;
    return new WasmResidentPlan(memory, model, codes, batchSize);
  }

  /**
   * Whether a batch of `rows` samples takes the plan on the backend in use now; claims the region for it (false,
   * for good, when the memory cannot grow that far).
   */
  covers(rows: number): boolean {
    if (this.tooLarge || rows > this.batchSize || getBackend().resident !== this.memory) return false;
    const memory = this.memory;
    if (memory.owns(this)) return true;
    try {
      memory.claim(this, this.bytes); // evicts another plan
      return true;
    } catch (error) {
      // more than the memory's maximum: the general path trains this model (its products fall back on their own)
      if (!(error instanceof RangeError)) throw error;
      this.tooLarge = true;
      return false;
    }
  }
  /** Set when the region could not be had (the memory's maximum): the plan covers nothing from then on. */
  private tooLarge = false;

  /** Claims the region (evicting another plan) and loads W and theta when they are not there. */
  private begin(): number {
    const memory = this.memory;
    const base = memory.owns(this) ? memory.base : memory.claim(this, this.bytes);
    if (!this.loaded) {
      const heap = memory.f32();
      const layers = this.layers;
      for (let l = 0; l < layers.length; l++) {
        const layer = layers[l]!;
        const place = this.places[l]!;
        heap.set(layer.weights.data, (base + place.w) >> 2);
        heap.set(layer.bias.data, (base + place.b) >> 2);
      }
      this.loaded = true;
    }
    return base;
  }

  /**
   * The forward pass of a batch (x = O_in W + theta, O = f(x), layer by layer, in WebAssembly memory) and its E
   * (mse 1/(2B) sum (O_k - t_k)^2, or the cross-entropy of the softmax output from its logits). The output O_k is
   * copied into the pass's output buffer, {@link WasmResidentPlan.output}.
   */
  forwardLoss(inputs: Tensor, targets: Tensor, pass: ForwardPass): number {
    const memory = this.memory;
    memory.wake(); // the helper thread, if any, wakes while the batch is copied in
    const base = this.begin();
    const heap = memory.f32();
    heap.set(inputs.data as Float32Array, (base + this.inputsAt) >> 2);
    heap.set(targets.data as Float32Array, (base + this.targetsAt) >> 2);
    this.targets = targets;
    return this.forwardFrom(base, inputs.rows, inputs, pass);
  }

  /**
   * {@link WasmResidentPlan.forwardLoss} of batch `b` of `source` (a `Batcher` of `@deltaflow/data`), whose rows
   * are gathered straight into WebAssembly memory, one copy per row, with no batch tensor in between. The batch's
   * inputs are then the pass's layer-0 input (`pass.layers[0].input`) and its targets
   * {@link WasmResidentPlan.targets}: views of the plan's buffers, good until the next batch.
   *
   * @example
   * ```ts
   * // not-runnable: one batch of a Batcher inside a training loop
   * declare const plan: WasmResidentPlan;
   * declare const batcher: ResidentBatchSource; // a Batcher of @deltaflow/data
   * declare const pass: ForwardPass; // the model's forward buffers
   * if (plan.covers(32)) {
   *   const E = plan.forwardGathered(batcher, 0, pass); // batch 0's rows, gathered into WebAssembly memory
   *   plan.backwardStep(0.5);
   * }
   * ```
   */
  forwardGathered(source: ResidentBatchSource, b: number, pass: ForwardPass): number {
    const memory = this.memory;
    memory.wake(); // the helper thread, if any, wakes while the batch is copied in
    const base = this.begin();
    const heap = memory.f32();
    const inAt = base + this.inputsAt;
    const tAt = base + this.targetsAt;
    const rows = source.gatherInto(b, heap, inAt >> 2, heap, tAt >> 2);
    const full = rows === this.batchSize ? 0 : 1;
    const inputs = this.inputViews.at(full, heap.buffer, inAt, rows, this.layers[0]!.inputs);
    this.targets = this.targetViews.at(
      full,
      heap.buffer,
      tAt,
      rows,
      this.layers[this.layers.length - 1]!.units,
    );
    return this.forwardFrom(base, rows, inputs, pass);
  }

  /** The targets of the last batch: the given tensor, or after {@link WasmResidentPlan.forwardGathered} a view. */
  targets!: Tensor;
  private readonly inputViews = new HeapMatrices();
  private readonly targetViews = new HeapMatrices();

  /** The forward pass and E of a batch of `rows` whose inputs and targets are in place. */
  private forwardFrom(base: number, rows: number, inputs: Tensor, pass: ForwardPass): number {
    const memory = this.memory;
    const k = memory.kernels;
    const inAt = base + this.inputsAt;
    const tAt = base + this.targetsAt;
    const layers = this.layers;
    const codes = this.codes;
    let input = inAt;
    for (let l = 0; l < layers.length; l++) {
      const { inputs: n, units: m } = layers[l]!;
      const place = this.places[l]!;
      const net = base + place.net;
      const out = base + place.out;
      k.broadcastRows(net, base + place.b, rows, m);
      memory.gemm(false, false, rows, m, n, 1, input, base + place.w, 1, net);
      const code = codes[l]!;
      if (code === SOFTMAX) k.softmaxForward(net, out, rows, m);
      else memory.activationForward(code, net, out, rows * m);
      input = out;
    }
    const last = layers.length - 1;
    const top = this.places[last]!;
    const outputs = layers[last]!.units;
    const passes = pass.layersFor(rows);
    // the pass records what the statistics read (its deltas are filled by sync)
    let given = inputs;
    for (let l = 0; l <= last; l++) {
      const p = passes[l]!;
      p.input = given;
      p.masked = false;
      given = p.output;
    }
    const output = passes[last]!.output;
    output.data.set(this.outputView(base + top.out, rows * outputs));
    this.output = output;
    this.rows = rows;
    this.pass = pass;
    return this.softmax
      ? k.softmaxCrossEntropyLoss(base + top.net, tAt, rows, outputs)
      : k.mseLoss(base + top.out, tAt, rows * outputs, rows);
  }

  /** A view of the output O_k in WebAssembly memory, made again only when the memory or the batch size changed. */
  private outputView(address: number, length: number): Float32Array {
    const buffer = this.memory.f32().buffer;
    let view = this.view;
    if (view === null || view.buffer !== buffer || view.length !== length || view.byteOffset !== address) {
      view = new Float32Array(buffer, address, length);
      this.view = view;
    }
    return view;
  }
  private view: Float32Array | null = null;

  /**
   * The delta rule for the batch of the last {@link WasmResidentPlan.forwardLoss} (dE/dW = O_in^T delta,
   * dE/dtheta = the column sums of delta, dE/dO_in = delta W^T, delta = f'(x) dE/dO below), then the sgd step
   * W <- W - `lr` dE/dW and theta <- theta - `lr` dE/dtheta, all in WebAssembly memory.
   *
   * @param lastBatch - whether this is the last batch before a {@link WasmResidentPlan.sync} (an epoch's last): its
   *   update is then not fused into the product ({@link WasmResidentPlan.fuseUpdate}) but made from dE/dW, which
   *   the sync needs anyway, which saves the sync a product per layer
   */
  backwardStep(lr: number, lastBatch = false): void {
    const memory = this.memory;
    const k = memory.kernels;
    const base = memory.base;
    const rows = this.rows;
    const layers = this.layers;
    const codes = this.codes;
    const last = layers.length - 1;
    const tAt = base + this.targetsAt;
    {
      const place = this.places[last]!;
      const m = layers[last]!.units;
      const delta = base + place.delta;
      if (this.softmax) k.softmaxCrossEntropyGrad(base + place.out, tAt, delta, rows, m);
      else {
        k.mseGrad(base + place.out, tAt, delta, rows * m, rows);
        memory.activationBackward(codes[last]!, base + place.net, base + place.out, delta, delta, rows * m);
      }
    }
    const fuse = WasmResidentPlan.fuseUpdate && !lastBatch;
    for (let l = last; l >= 0; l--) {
      const { inputs: n, units: m } = layers[l]!;
      const place = this.places[l]!;
      const delta = base + place.delta;
      const input = l > 0 ? base + this.places[l - 1]!.out : base + this.inputsAt;
      if (!fuse) memory.gemm(true, false, n, m, rows, 1, input, delta, 0, base + place.gw);
      k.columnSumsF32(delta, base + place.gb, rows, m);
      if (l > 0) {
        // dE/dO below, with W before its update
        const below = this.places[l - 1]!;
        const grad = base + place.inputGrad;
        memory.gemm(false, true, rows, n, m, 1, delta, base + place.w, 0, grad);
        memory.activationBackward(
          codes[l - 1]!,
          base + below.net,
          base + below.out,
          grad,
          base + below.delta,
          rows * n,
        );
      }
      if (fuse) {
        // W <- W - eta O_in^T delta in one product into W (dE/dW is made at the next sync, from the same buffers)
        memory.gemm(true, false, n, m, rows, -lr, input, delta, 1, base + place.w);
        memory.sgdStep(base + place.b, base + place.gb, m, lr);
      }
    }
    if (!fuse) {
      for (let l = 0; l <= last; l++) {
        const { inputs: n, units: m } = layers[l]!;
        const place = this.places[l]!;
        memory.sgdStep(base + place.w, base + place.gw, n * m, lr);
        memory.sgdStep(base + place.b, base + place.gb, m, lr);
      }
    }
    this.gradientsMade = !fuse;
    this.dirty = true;
    this.current = true;
  }

  /** dE/dW of the last batch into the region, when the fused update did not write it (from its inputs and deltas). */
  private makeGradients(): void {
    if (this.gradientsMade || !this.dirty || !this.memory.owns(this)) return;
    const memory = this.memory;
    const base = memory.base;
    const layers = this.layers;
    for (let l = 0; l < layers.length; l++) {
      const { inputs: n, units: m } = layers[l]!;
      const place = this.places[l]!;
      const input = l > 0 ? base + this.places[l - 1]!.out : base + this.inputsAt;
      memory.gemm(true, false, n, m, this.rows, 1, input, base + place.delta, 0, base + place.gw);
    }
    this.gradientsMade = true;
  }

  /**
   * Brings the layers' W, theta, dE/dW, dE/dtheta and the pass's deltas of the last batch up to date from
   * WebAssembly memory (when the plan trained since the last sync); the next batch loads W and theta again from
   * the tensors.
   */
  sync(): void {
    const memory = this.memory;
    if (this.dirty && memory.owns(this)) {
      const base = memory.base;
      const layers = this.layers;
      this.makeGradients();
      const heap = memory.f32();
      const passes = this.pass!.layersFor(this.rows);
      for (let l = 0; l < layers.length; l++) {
        const layer = layers[l]!;
        const place = this.places[l]!;
        const wAt = (base + place.w) >> 2;
        const gwAt = (base + place.gw) >> 2;
        const bAt = (base + place.b) >> 2;
        const gbAt = (base + place.gb) >> 2;
        const size = layer.inputs * layer.units;
        layer.weights.data.set(heap.subarray(wAt, wAt + size));
        layer.weightGrad.data.set(heap.subarray(gwAt, gwAt + size));
        layer.bias.data.set(heap.subarray(bAt, bAt + layer.units));
        layer.biasGrad.data.set(heap.subarray(gbAt, gbAt + layer.units));
        const dAt = (base + place.delta) >> 2;
        passes[l]!.delta.data.set(heap.subarray(dAt, dAt + this.rows * layer.units));
      }
    }
    this.dirty = false;
    this.loaded = false;
  }

  /**
   * Copies `starts`, the weights of the start of the epoch (W and theta of each layer in turn, as
   * `model.parameters()` orders them, float32 arrays of their sizes), into the region, where
   * {@link WasmResidentPlan.statistics} measures the epoch against them. With `starts` null, the start is the
   * layers' W and theta now: they are loaded into the region (unless there) and copied within WebAssembly memory,
   * with no copy of the weights outside it ({@link WasmResidentPlan.copyStartInto} gives them when wanted).
   *
   * @param fresh - whether `starts` were just copied from the layers' tensors, unchanged since: when the region
   *   loads W and theta from the tensors now, they are then copied within WebAssembly memory, not from `starts`
   */
  markStart(starts: readonly Float32Array[] | null, fresh = false): void {
    const loading = !this.loaded || !this.memory.owns(this);
    this.loseStart();
    const base = this.begin();
    const heap = this.memory.f32();
    const k = this.memory.kernels;
    for (let l = 0; l < this.layers.length; l++) {
      const start = this.starts[l]!;
      if (starts === null || (fresh && loading)) {
        const { inputs, units } = this.layers[l]!;
        const place = this.places[l]!;
        // a linear layer's forward pass is a copy: W in halves on the two threads of the 2-thread backend
        this.memory.activationForward(
          ResidentActivation.linear,
          base + place.w,
          base + start.w,
          inputs * units,
        );
        k.copyFloats(base + start.b, base + place.b, units);
      } else {
        heap.set(starts[2 * l]!, (base + start.w) >> 2);
        heap.set(starts[2 * l + 1]!, (base + start.b) >> 2);
      }
    }
    this.started = true;
  }

  /**
   * Called once before the region's copies of the start of the epoch ({@link WasmResidentPlan.markStart}) are
   * lost (the next `markStart`, an eviction by another plan, `close`), while they can still be read with
   * {@link WasmResidentPlan.copyStartInto}; then cleared. Null (the default) when nobody keeps them.
   */
  onStartLost: (() => void) | null = null;

  private loseStart(): void {
    const lost = this.onStartLost;
    if (lost !== null) {
      this.onStartLost = null;
      if (this.started) lost();
    }
  }

  /**
   * Copies the region's copies of the start of the epoch ({@link WasmResidentPlan.markStart}) into `starts` (W and
   * theta of each layer in turn, as `model.parameters()` orders them, float32 arrays of their sizes); false, and
   * `starts` left, when the region does not hold them.
   *
   * @example
   * ```ts
   * // not-runnable: the weights of the epoch's start, out of WebAssembly memory, when a divergence needs them
   * declare const plan: WasmResidentPlan;
   * const starts = model.parameters().map((p) => new Float32Array(p.value.size));
   * if (!plan.copyStartInto(starts)) throw new Error('no start in the region');
   * ```
   */
  copyStartInto(starts: readonly Float32Array[]): boolean {
    const memory = this.memory;
    if (!this.started || !memory.owns(this)) return false;
    const base = memory.base;
    const heap = memory.f32();
    for (let l = 0; l < this.layers.length; l++) {
      const { inputs, units } = this.layers[l]!;
      const start = this.starts[l]!;
      const wAt = (base + start.w) >> 2;
      const bAt = (base + start.b) >> 2;
      starts[2 * l]!.set(heap.subarray(wAt, wAt + inputs * units));
      starts[2 * l + 1]!.set(heap.subarray(bAt, bAt + units));
    }
    return true;
  }

  /**
   * The sums of the epoch statistics of the last batch, in WebAssembly over the region (after a
   * {@link WasmResidentPlan.sync}, which it makes when the plan trained since): per layer `l`, from `out[10 l]`,
   * sum |delta|, max |delta|, sum (dE/dW)^2, sum (dE/dtheta)^2, then sum W^2, sum (W - W_s)^2, sum W_s^2 and the
   * same three of theta, where W_s are the weights of the last {@link WasmResidentPlan.markStart}; each sum in
   * float64 in index order, as the trainer's TypeScript statistics compute them, bit for bit. Returns false (and
   * leaves `out`) when the region does not hold the last batch's values and the copies of the start, which are
   * then to be measured from the tensors.
   *
   * @param out - at least 10 float64 per layer
   */
  statistics(out: Float64Array): boolean {
    const memory = this.memory;
    if (!this.started || !this.current || !memory.owns(this)) {
      this.sync();
      return false;
    }
    this.makeGradients();
    const base = memory.base;
    const k = memory.kernels;
    const layers = this.layers;
    const at = base + this.sumsAt;
    // the first two layers' W on the helper thread (2-thread backend) while this thread copies the weights out
    let first = 0;
    if (layers.length >= 2) {
      const [p0, p1] = [this.places[0]!, this.places[1]!];
      const [s0, s1] = [this.starts[0]!, this.starts[1]!];
      const n0 = layers[0]!.inputs * layers[0]!.units;
      const n1 = layers[1]!.inputs * layers[1]!.units;
      if (
        memory.parameterSumsBehind(
          base + p0.w,
          base + s0.w,
          base + p0.gw,
          n0,
          at + 32,
          base + p1.w,
          base + s1.w,
          base + p1.gw,
          n1,
          at + 8 * KERNEL_SUMS + 32,
        )
      )
        first = 2;
    }
    this.sync();
    for (let l = 0; l < layers.length; l++) {
      const { units } = layers[l]!;
      const place = this.places[l]!;
      const start = this.starts[l]!;
      const sums = at + 8 * KERNEL_SUMS * l;
      k.epochDeltaSums(base + place.delta, this.rows * units, sums);
      // sum W^2, sum (W - W_s)^2, sum W_s^2, sum (dE/dW)^2 at sums + 32 (below), the same of theta at sums + 64
      k.epochParameterSums(base + place.b, base + start.b, base + place.gb, units, sums + 64);
    }
    if (first === 2)
      memory.joinBehind(
        this.layers[0]!.inputs * this.layers[0]!.units + this.layers[1]!.inputs * this.layers[1]!.units,
      );
    // the W of two layers at a time: one on each thread of the 2-thread backend
    for (let l = first; l < layers.length; l += 2) {
      const { inputs, units } = layers[l]!;
      const place = this.places[l]!;
      const start = this.starts[l]!;
      const sums = at + 8 * KERNEL_SUMS * l + 32;
      if (l + 1 < layers.length) {
        const next = layers[l + 1]!;
        const place2 = this.places[l + 1]!;
        const start2 = this.starts[l + 1]!;
        memory.epochParameterSumsPair(
          base + place.w,
          base + start.w,
          base + place.gw,
          inputs * units,
          sums,
          base + place2.w,
          base + start2.w,
          base + place2.gw,
          next.inputs * next.units,
          sums + 8 * KERNEL_SUMS,
        );
      } else k.epochParameterSums(base + place.w, base + start.w, base + place.gw, inputs * units, sums);
    }
    let heap = this.sumsView;
    if (heap === null || heap.buffer !== memory.f32().buffer || heap.byteOffset !== at) {
      heap = new Float64Array(memory.f32().buffer, at, KERNEL_SUMS * layers.length);
      this.sumsView = heap;
    }
    for (let l = 0; l < layers.length; l++) {
      const i = STAT_SUMS * l;
      const j = KERNEL_SUMS * l;
      out[i] = heap[j]!;
      out[i + 1] = heap[j + 1]!;
      out[i + 2] = heap[j + 7]!;
      out[i + 3] = heap[j + 11]!;
      out[i + 4] = heap[j + 4]!;
      out[i + 5] = heap[j + 5]!;
      out[i + 6] = heap[j + 6]!;
      out[i + 7] = heap[j + 8]!;
      out[i + 8] = heap[j + 9]!;
      out[i + 9] = heap[j + 10]!;
    }
    return true;
  }
  private sumsView: Float64Array | null = null;
  /** Whether the region holds the values of the last batch the plan trained (not discarded, not evicted). */
  private current = false;

  /** Forgets what the region holds without writing it back (after a divergence restored the weights). */
  discard(): void {
    this.dirty = false;
    this.loaded = false;
    this.current = false;
  }

  /** Another owner claims the region: the tensors are brought up to date first. */
  evict(): void {
    this.sync();
    this.loseStart();
    this.started = false;
    this.current = false;
  }

  /** Syncs and lets the region go (the run is over). */
  close(): void {
    this.sync();
    this.loseStart();
    this.started = false;
    this.current = false;
    this.memory.release(this);
  }
}
