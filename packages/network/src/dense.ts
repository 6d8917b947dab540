import { getActivation } from '@deltaflow/activations';
import type { Activation, ActivationIdentifier } from '@deltaflow/activations';
import type { Parameter } from '@deltaflow/core';
import {
  DeltaflowError,
  Random,
  Tensor,
  assertShape,
  columnSums,
  getInitializer,
  linear,
  matmul,
} from '@deltaflow/tensor';
import type { DType, Initializer, InitializerName, TypedArray } from '@deltaflow/tensor';
import { LayerPass } from './forward-pass.js';

/**
 * How to build a {@link Dense} layer.
 *
 * @example
 * ```ts
 * const options: DenseOptions = { inputs: 2, units: 4, activation: 'tanh', dtype: 'float64', rng: new Random(7) };
 * const layer = new Dense(options);
 * ```
 * @category Network
 */
export interface DenseOptions {
  /** Nodes i feeding the layer (n). */
  inputs: number;
  /** Nodes j of the layer (m). */
  units: number;
  /** The transfer function f; default the lecture notes' `'sigmoid'`. */
  activation?: ActivationIdentifier;
  /** float32 (default) or float64. */
  dtype?: DType;
  /** How to draw W; default `'glorot-uniform'`. */
  weightInit?: InitializerName | Initializer;
  /** How to draw theta; default `'zeros'`. */
  biasInit?: InitializerName | Initializer;
  /** Random source for the initializers; default `new Random(0)`. */
  rng?: Random;
  /**
   * Dropout rate p of the layer's outputs in training, in [0, 1); default 0 (none). Inverted dropout: a
   * training forward pass with dropout on keeps each O_j with probability 1 - p and scales it by 1 / (1 - p);
   * inference is unchanged.
   */
  dropout?: number;
}

/** dE/dW += O_inᵀ delta (accumulate over the batch). Shared constants: the hot path allocates no options. */
const ACCUMULATE_TRANS_A = Object.freeze({ transA: true, beta: 1 });
/** dE/dO_in = delta Wᵀ. */
const TRANS_B = Object.freeze({ transB: true });

/** Sets every element to 0: a plain loop for short arrays (cheaper than a `fill` call at XOR's sizes). */
function clear(values: TypedArray): void {
  if (values.length > 64) values.fill(0);
  else for (let i = 0; i < values.length; i++) values[i] = 0;
}

/**
 * Draws an inverted-dropout mask: each entry 0 with probability `rate`, else 1 / (1 - rate), from one 32-bit draw
 * of `rng` per entry, in order (u < rate * 2^32 drops: the probability is `rate` to within 2^-32).
 */
function drawMask(mask: TypedArray, rate: number, rng: Random): void {
  const keep = 1 / (1 - rate);
  const threshold = Math.round(rate * 4294967296);
  for (let i = 0; i < mask.length; i++) mask[i] = rng.nextUint32() < threshold ? 0 : keep;
}

/**
 * A fully connected layer: O_j = f(x_j) with x_j = sum_i O_i W_ij + theta_j, for a whole batch at once.
 *
 * `weights` is `[inputs, units]` (row i holds the weights W_ij leaving node i) and `bias` is `[units]`.
 * {@link Dense.forward} writes x and O into a {@link LayerPass} (the caller's, for training) and
 * {@link Dense.backward} takes that pass back: it turns dE/dO_j into delta_j = f'(x_j) dE/dO_j, adds O_i delta_j to dE/dW_ij and delta_j to
 * dE/dtheta_j (averaged over the batch by the loss), and returns dE/dO_i = sum_j delta_j W_ij for the layer below.
 *
 * @example
 * ```ts
 * const layer = new Dense({ inputs: 2, units: 4, activation: 'sigmoid', rng: new Random(1) });
 * const out = layer.forward(Tensor.fromNested([[0, 1]])); // an inference
 * const pass = layer.createPass(1);
 * layer.forward(Tensor.fromNested([[0, 1]]), pass); // a training forward pass, then layer.backward(pass, dEdO)
 * ```
 * @category Network
 */
export class Dense {
  /** n, the number of inputs. */
  readonly inputs: number;
  /** m, the number of units. */
  readonly units: number;
  /** f, the transfer function. */
  readonly activation: Activation;
  /** W, `[inputs, units]`. */
  readonly weights: Tensor;
  /** theta, `[units]`. */
  readonly bias: Tensor;
  /** dE/dW, accumulated by backward, `[inputs, units]`. */
  readonly weightGrad: Tensor;
  /** dE/dtheta, accumulated by backward, `[units]`. */
  readonly biasGrad: Tensor;
  /** Dropout rate p of the outputs in training (0: none); see {@link DenseOptions.dropout}. */
  readonly dropout: number;

  /** The passes of inferences (a forward without a pass), one per batch size; backward never reads them. */
  private readonly inference = new Map<number, LayerPass>();
  private lastInference: LayerPass | null = null;

  constructor(options: DenseOptions) {
    const { inputs, units, dtype = 'float32', rng = new Random(0) } = options;
    assertShape(
      Number.isInteger(inputs) && inputs > 0 && Number.isInteger(units) && units > 0,
      () => `Dense: inputs and units must be positive integers, got ${inputs} and ${units}.`,
    );
    const dropout = options.dropout ?? 0;
    if (!(typeof dropout === 'number' && dropout >= 0 && dropout < 1)) {
      throw new DeltaflowError(
        'E_OPTION',
        `Dense: the dropout rate must be a number in [0, 1), got ${dropout}; use for example 0.2 (drop 20 % of the outputs).`,
      );
    }
    this.dropout = dropout;
    this.inputs = inputs;
    this.units = units;
    this.activation = getActivation(options.activation ?? 'sigmoid');
    this.weights = Tensor.zeros([inputs, units], dtype);
    this.bias = Tensor.zeros([units], dtype);
    this.weightGrad = Tensor.zeros([inputs, units], dtype);
    this.biasGrad = Tensor.zeros([units], dtype);
    getInitializer(options.weightInit ?? 'glorot-uniform')(this.weights.data, inputs, units, rng);
    getInitializer(options.biasInit ?? 'zeros')(this.bias.data, inputs, units, rng);
  }

  /** float32 or float64, the dtype of every tensor of the layer. */
  get dtype(): DType {
    return this.weights.dtype;
  }

  /** A new pass of this layer for batches of `batchSize` rows (see {@link LayerPass}). */
  createPass(batchSize: number): LayerPass {
    return new LayerPass(batchSize, this.inputs, this.units, this.dtype, this.dropout > 0);
  }

  /** The inference pass for batches of `batchSize` rows (made on first use). */
  private inferencePass(batchSize: number): LayerPass {
    const last = this.lastInference;
    if (last !== null && last.batchSize === batchSize) return last;
    let found = this.inference.get(batchSize);
    if (!found) {
      found = this.createPass(batchSize);
      this.inference.set(batchSize, found);
    }
    this.lastInference = found;
    return found;
  }

  /**
   * Runs the layer on a `[B, inputs]` batch: x = O_in W + theta, O = f(x), written into `pass` (which keeps the
   * input for {@link Dense.backward}). Without a pass it is an inference, into the layer's own buffers, which
   * backward never reads. Returns the `[B, units]` output buffer, overwritten by the next forward pass through
   * the same pass object (or, for inference, with the same batch size).
   *
   * Dropout (a layer with `dropout` p > 0) applies only to a training pass given a `dropout` generator: a mask
   * m_j is drawn (0 with probability p, else 1 / (1 - p)), or with `freezeMask` the pass's previous mask is
   * reused, and the result is O_j * m_j (in `pass.dropped`). Otherwise the layer's output is O, as in inference.
   */
  forward(input: Tensor, pass?: LayerPass, dropout: Random | null = null, freezeMask = false): Tensor {
    if (input.rank !== 2 || input.cols !== this.inputs) {
      throw new DeltaflowError(
        'E_SHAPE',
        `Dense: expected a batch of shape [B, ${this.inputs}] but got [${input.shape.join(', ')}].`,
      );
    }
    const p = pass ?? this.inferencePass(input.rows);
    if (p.batchSize !== input.rows || p.net.cols !== this.units || p.inputGrad.cols !== this.inputs) {
      throw new DeltaflowError(
        'E_SHAPE',
        `Dense: the pass holds [${p.batchSize}, ${p.inputGrad.cols}] -> [${p.batchSize}, ${p.net.cols}] batches but the layer got [${input.rows}, ${this.inputs}] -> [${input.rows}, ${this.units}]; use a pass made for this layer and batch size.`,
      );
    }
    linear(input, this.weights, this.bias, p.net); // x = O_in W + theta, in one pass
    this.activation.forward(p.net, p.output);
    p.input = input;
    p.masked = false;
    if (pass === undefined || dropout === null || this.dropout === 0) return p.output;
    const mask = p.mask!.data;
    if (!(freezeMask && p.maskDrawn)) {
      drawMask(mask, this.dropout, dropout);
      p.maskDrawn = true;
    }
    const out = p.output.data;
    const dropped = p.dropped!.data;
    for (let i = 0; i < out.length; i++) dropped[i] = out[i]! * mask[i]!;
    p.masked = true;
    return p.dropped!;
  }

  /**
   * Backpropagates dE/dO (`[B, units]`) through the forward pass `pass` of this layer: delta = f'(x) * dE/dO,
   * then see {@link Dense.backwardDelta}. Returns dE/dO_in, or null when `needInputGrad` is false. When that
   * forward pass applied a dropout mask m, `outputGrad` is dE/d(O m) and delta = f'(x) * m * dE/d(O m): a
   * dropped node passes no error back.
   */
  backward(pass: LayerPass, outputGrad: Tensor, needInputGrad = true): Tensor | null {
    pass.requireInput();
    if (outputGrad.rows !== pass.batchSize || outputGrad.cols !== this.units) {
      throw new DeltaflowError(
        'E_SHAPE',
        `Dense.backward: dE/dO must be [${pass.batchSize}, ${this.units}] but got [${outputGrad.shape.join(', ')}].`,
      );
    }
    let grad = outputGrad;
    if (pass.masked) {
      // dE/dO_j = m_j dE/d(O_j m_j), into the delta buffer, which activation.backward then overwrites in place
      const mask = pass.mask!.data;
      const g = outputGrad.data;
      const d = pass.delta.data;
      for (let i = 0; i < d.length; i++) d[i] = g[i]! * mask[i]!;
      grad = pass.delta;
    }
    this.activation.backward(pass.net, pass.output, grad, pass.delta);
    return this.backwardDelta(pass, pass.delta, needInputGrad);
  }

  /**
   * Backpropagates a ready delta (`[B, units]`, e.g. O - t from a fused loss) through the forward pass `pass`:
   * adds dE/dW_ij += O_i delta_j and dE/dtheta_j += delta_j summed over the batch, and returns
   * dE/dO_i = sum_j delta_j W_ij (or null).
   */
  backwardDelta(pass: LayerPass, delta: Tensor, needInputGrad = true): Tensor | null {
    const input = pass.requireInput();
    matmul(input, delta, this.weightGrad, ACCUMULATE_TRANS_A);
    columnSums(delta, this.biasGrad, 1);
    if (!needInputGrad) return null;
    matmul(delta, this.weights, pass.inputGrad, TRANS_B);
    return pass.inputGrad;
  }

  /** W and theta with their gradients, named `${prefix}weights` and `${prefix}bias`. */
  parameters(prefix = ''): Parameter<Tensor>[] {
    return [
      { name: `${prefix}weights`, value: this.weights, grad: this.weightGrad },
      { name: `${prefix}bias`, value: this.bias, grad: this.biasGrad },
    ];
  }

  /** Sets dE/dW and dE/dtheta to zero before accumulating a new batch. */
  zeroGrad(): void {
    clear(this.weightGrad.data);
    clear(this.biasGrad.data);
  }
}
