import { getActivation } from '@deltaflow/activations';
import type { Activation } from '@deltaflow/activations';
import { getBackend } from '@deltaflow/tensor';
import type { Backend, Tensor } from '@deltaflow/tensor';
import type { Dense } from '../dense.js';
import type { ForwardPass, LayerPass } from '../forward-pass.js';
import type { Sequential } from '../sequential.js';

/**
 * The largest product (batch rows x inputs x units) the fused path takes: the tensor kernels' small-product
 * threshold (`SMALL_GEMM` of `@deltaflow/tensor`'s gemm), below which every backend runs the plain JavaScript
 * loops that this path repeats in the same order.
 */
export const FUSED_MAX_PRODUCT = 4096;

/** The backends whose small products are the plain JavaScript loops (custom backends fall back). */
const BACKENDS: readonly string[] = ['js', 'wasm-simd', 'wasm-simd-2t'];

/** Transfer functions the fused path computes, by code. */
const SIGMOID = 0;
const TANH = 1;
const RELU = 2;
const LINEAR = 3;

const CODES: readonly (readonly [string, number])[] = [
  ['sigmoid', SIGMOID],
  ['tanh', TANH],
  ['relu', RELU],
  ['linear', LINEAR],
];

function codeOf(activation: Activation): number {
  for (const [name, code] of CODES) if (activation === getActivation(name)) return code;
  return -1;
}

/**
 * One training batch of a small dense network (every product at most `FUSED_MAX_PRODUCT`, 4096, multiply-adds) in
 * two calls on the layers' own typed arrays, with nothing allocated: {@link FusedSmallNetwork.forwardLoss} (the
 * forward pass and E of the mse loss) and {@link FusedSmallNetwork.backward} (the delta rule into dE/dW and
 * dE/dtheta). The results are bit-identical to `model.zeroGrad()`, `model.forward`, `model.loss` and
 * `model.backwardLoss`: the same sums in the same order, rounded to the dtype at the same points (every value is
 * stored into the same buffers of the {@link ForwardPass}, which the statistics and metrics then read). The
 * optimizer's step stays the caller's.
 *
 * Covers sigmoid, tanh, relu and linear layers without dropout, the mse loss (E = 1/(2B) sum (O_k - t_k)^2),
 * float32 and float64, on the `js` and `wasm-simd` backends; {@link FusedSmallNetwork.plan} returns null for
 * anything else.
 *
 * @example
 * ```ts
 * // not-runnable: one batch inside a training loop
 * declare const pass: ForwardPass; // the model's forward buffers for this batch size
 * const fused = FusedSmallNetwork.plan(model); // null when the model is not covered
 * if (fused && fused.covers(inputs.rows)) {
 *   const E = fused.forwardLoss(inputs, targets, pass);
 *   fused.backward(targets);
 *   optimizer.step();
 * }
 * ```
 * @category Network
 */
export class FusedSmallNetwork {
  private readonly layers: readonly Dense[];
  private readonly codes: Int32Array;
  /** The largest inputs x units of a layer: a batch of B rows is covered when B times it is small enough. */
  private readonly widest: number;
  /** The pass of the last forwardLoss (backward reads it). */
  private passes: readonly LayerPass[] | null = null;
  /** The output O_k of the last forwardLoss (the pass's buffer). */
  output!: Tensor;
  /**
   * What the last {@link FusedSmallNetwork.backward} measured on the way, three numbers per layer (input side
   * first): sum |delta_j| over the batch and the largest |delta_j| (of the stored deltas, in index order), and
   * (0 + sum (dE/dW)^2) + sum (dE/dtheta)^2 (each sum in index order): the sums the trainer's gradient
   * statistics would take over the same buffers, so that it need not read them again.
   */
  readonly stats: Float64Array;

  private constructor(model: Sequential, codes: Int32Array) {
    this.layers = model.layers;
    this.codes = codes;
    let widest = 0;
    for (const l of model.layers) widest = Math.max(widest, l.inputs * l.units);
    this.widest = widest;
    this.stats = new Float64Array(3 * model.layers.length);
  }

  /**
   * Whether {@link FusedSmallNetwork.plan} gives fused paths (default true); false makes every run take the general
   * path, for tests and benchmarks that compare the two.
   */
  static enabled = true;

  /** The fused path of `model` (trained with the mse loss), or null when one of its layers is not covered. */
  static plan(model: Sequential): FusedSmallNetwork | null {
    if (!FusedSmallNetwork.enabled) return null;
    const dtype = model.dtype;
    if (dtype !== 'float32' && dtype !== 'float64') return null;
    const codes = new Int32Array(model.layers.length);
    for (let i = 0; i < model.layers.length; i++) {
      const layer = model.layers[i]!;
      if (layer.dropout !== 0 || layer.dtype !== dtype) return null;
      const code = codeOf(layer.activation);
      if (code < 0) return null;
      codes[i] = code;
    }
    return new FusedSmallNetwork(model, codes);
  }

  /** Whether a batch of `rows` samples takes the fused path on the backend in use now. */
  covers(rows: number): boolean {
    if (rows * this.widest > FUSED_MAX_PRODUCT) return false;
    // the backend in use is looked up by name once per backend object (a run keeps the same one)
    const backend = getBackend();
    if (backend !== this.backend) {
      this.backend = backend;
      this.backendCovered = BACKENDS.includes(backend.name);
    }
    return this.backendCovered;
  }

  /** The backend {@link FusedSmallNetwork.covers} last saw, and whether its small products are the plain loops. */
  private backend: Backend | null = null;
  private backendCovered = false;

  /**
   * The forward pass of a batch into `pass` (x_j = sum_i O_i W_ij + theta_j, O_j = f(x_j), layer by layer) and
   * the batch's mse E = 1/(2B) sum (O_k - t_k)^2. One function with every loop in it (no kernel calls), so that
   * the JIT optimises it, loops and all, within the first epochs of a run.
   */
  forwardLoss(inputs: Tensor, targets: Tensor, pass: ForwardPass): number {
    const passes = pass.layersFor(inputs.rows);
    this.passes = passes;
    const layers = this.layers;
    const codes = this.codes;
    const rows = inputs.rows;
    let input = inputs;
    for (let l = 0; l < layers.length; l++) {
      const layer = layers[l]!;
      const p = passes[l]!;
      p.input = input;
      p.masked = false;
      // x = a W + theta: each sum starts at theta_j, in double, rounded once when stored
      const a = input.data;
      const w = layer.weights.data;
      const bias = layer.bias.data;
      const n = layer.inputs;
      const m = layer.units;
      const net = p.net.data;
      const out = p.output.data;
      for (let i = 0; i < rows; i++) {
        const ai = i * n;
        const oi = i * m;
        for (let j = 0; j < m; j++) {
          let s = bias[j]!;
          for (let k = 0; k < n; k++) s += a[ai + k]! * w[k * m + j]!;
          net[oi + j] = s;
        }
      }
      // O = f(x) of the stored x
      const size = rows * m;
      const code = codes[l]!;
      if (code === SIGMOID) {
        for (let k = 0; k < size; k++) {
          const v = net[k]!;
          if (v >= 0) out[k] = 1 / (1 + Math.exp(-v));
          else {
            const e = Math.exp(v);
            out[k] = e / (1 + e);
          }
        }
      } else if (code === TANH) {
        for (let k = 0; k < size; k++) out[k] = Math.tanh(net[k]!);
      } else if (code === RELU) {
        for (let k = 0; k < size; k++) out[k] = Math.max(net[k]!, 0);
      } else {
        for (let k = 0; k < size; k++) out[k] = net[k]!;
      }
      input = p.output;
    }
    this.output = input;
    // E = (0.5 sum (O - t)^2) / B, summed in index order
    const o = input.data;
    const t = targets.data;
    let sum = 0;
    for (let i = 0; i < o.length; i++) {
      const d = o[i]! - t[i]!;
      sum += d * d;
    }
    return (0.5 * sum) / rows;
  }

  /**
   * The delta rule for the batch of the last {@link FusedSmallNetwork.forwardLoss}: dE/dO_k = (O_k - t_k) / B,
   * delta_k = f'(x_k) dE/dO_k, dE/dW_jk = sum over the batch of O_j delta_k, dE/dtheta_k = sum of delta_k, and
   * dE/dO_j = sum_k delta_k W_jk for the layer below. Overwrites the gradients (no zeroing needed), and fills
   * {@link FusedSmallNetwork.stats} on the way. One function with every loop in it, as forwardLoss.
   */
  backward(targets: Tensor): void {
    const passes = this.passes!;
    const layers = this.layers;
    const codes = this.codes;
    const stats = this.stats;
    const last = layers.length - 1;
    const top = passes[last]!;
    const rows = top.batchSize;
    // dE/dO = (O - t) / B, stored (rounded) into the top layer's delta
    const o = top.output.data;
    const t = targets.data;
    const top0 = top.delta.data;
    const scale = 1 / rows;
    for (let i = 0; i < o.length; i++) top0[i] = (o[i]! - t[i]!) * scale;
    let dy = top0;
    for (let l = last; l >= 0; l--) {
      const layer = layers[l]!;
      const p = passes[l]!;
      // delta = f'(x) dE/dO (in place on the top layer), with sum |delta| and max |delta| of the stored deltas
      const dx = p.delta.data;
      const y = p.output.data;
      const x = p.net.data;
      const code = codes[l]!;
      const size = dx.length;
      let sum = 0;
      let max = 0;
      if (code === SIGMOID) {
        for (let i = 0; i < size; i++) {
          const v = y[i]!;
          dx[i] = v * (1 - v) * dy[i]!;
          const abs = Math.abs(dx[i]!);
          sum += abs;
          if (abs > max) max = abs;
        }
      } else if (code === TANH) {
        for (let i = 0; i < size; i++) {
          const v = y[i]!;
          dx[i] = (1 - v * v) * dy[i]!;
          const abs = Math.abs(dx[i]!);
          sum += abs;
          if (abs > max) max = abs;
        }
      } else if (code === RELU) {
        for (let i = 0; i < size; i++) {
          dx[i] = x[i]! > 0 ? dy[i]! : 0;
          const abs = Math.abs(dx[i]!);
          sum += abs;
          if (abs > max) max = abs;
        }
      } else {
        for (let i = 0; i < size; i++) {
          if (dy !== dx) dx[i] = dy[i]!;
          const abs = Math.abs(dx[i]!);
          sum += abs;
          if (abs > max) max = abs;
        }
      }
      stats[3 * l] = sum;
      stats[3 * l + 1] = max;
      // dE/dW_ij = 0 + sum_b O_bi delta_bj (one double sum per weight, down the batch), with its squares
      const a = p.input!.data;
      const n = layer.inputs;
      const m = layer.units;
      const gw = layer.weightGrad.data;
      const gb = layer.biasGrad.data;
      let squares = 0;
      for (let i = 0; i < n; i++) {
        const ci = i * m;
        for (let j = 0; j < m; j++) {
          let s = 0;
          for (let b = 0; b < rows; b++) s += a[b * n + i]! * dx[b * m + j]!;
          gw[ci + j] = 0 + s;
          const g = gw[ci + j]!;
          squares += g * g;
        }
      }
      // dE/dtheta_j = delta_0j + delta_1j + ..., rounded after every addition as the zeroed gradients
      // accumulate them in the general path
      for (let j = 0; j < m; j++) gb[j] = 0;
      for (let b = 0; b < rows; b++) {
        const base = b * m;
        for (let j = 0; j < m; j++) gb[j]! += dx[base + j]!;
      }
      let biasSquares = 0;
      for (let j = 0; j < m; j++) {
        const g = gb[j]!;
        biasSquares += g * g;
      }
      stats[3 * l + 2] = 0 + squares + biasSquares;
      if (l > 0) {
        // dE/dO_bi = 0 + sum_j delta_bj W_ij, for the layer below
        const w = layer.weights.data;
        const below = p.inputGrad.data;
        for (let b = 0; b < rows; b++) {
          const di = b * m;
          const oi = b * n;
          for (let i = 0; i < n; i++) {
            const wi = i * m;
            let s = 0;
            for (let j = 0; j < m; j++) s += dx[di + j]! * w[wi + j]!;
            below[oi + i] = 0 + s;
          }
        }
        dy = below;
      }
    }
  }
}
