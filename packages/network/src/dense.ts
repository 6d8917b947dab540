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

/** The buffers one batch size needs, made once and reused for every batch of that size. */
interface BatchBuffers {
  /** Net inputs x_j = sum_i O_i W_ij + theta_j, `[B, m]`. */
  readonly net: Tensor;
  /** Outputs O_j = f(x_j), `[B, m]`. */
  readonly output: Tensor;
  /** delta_j = f'(x_j) * dE/dO_j, `[B, m]`. */
  readonly delta: Tensor;
  /** dE/dO_i for the layer below, sum_j delta_j W_ij, `[B, n]`. */
  readonly inputGrad: Tensor;
}

/**
 * A fully connected layer: O_j = f(x_j) with x_j = sum_i O_i W_ij + theta_j, for a whole batch at once.
 *
 * `weights` is `[inputs, units]` (row i holds the weights W_ij leaving node i) and `bias` is `[units]`.
 * {@link Dense.backward} turns dE/dO_j into delta_j = f'(x_j) dE/dO_j, adds O_i delta_j to dE/dW_ij and delta_j to
 * dE/dtheta_j (averaged over the batch by the loss), and returns dE/dO_i = sum_j delta_j W_ij for the layer below.
 *
 * @example
 * ```ts
 * const layer = new Dense({ inputs: 2, units: 4, activation: 'sigmoid', rng: new Random(1) });
 * const out = layer.forward(Tensor.fromNested([[0, 1]]));
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

  private readonly buffers = new Map<number, BatchBuffers>();
  private lastInput: Tensor | null = null;
  private last: BatchBuffers | null = null;

  constructor(options: DenseOptions) {
    const { inputs, units, dtype = 'float32', rng = new Random(0) } = options;
    assertShape(
      Number.isInteger(inputs) && inputs > 0 && Number.isInteger(units) && units > 0,
      () => `Dense: inputs and units must be positive integers, got ${inputs} and ${units}.`,
    );
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

  /** The buffers for batches of `batchSize` samples (made on first use). */
  private buffersFor(batchSize: number): BatchBuffers {
    const last = this.last;
    if (last !== null && last.net.rows === batchSize) return last;
    let found = this.buffers.get(batchSize);
    if (!found) {
      const dtype = this.dtype;
      found = {
        net: Tensor.zeros([batchSize, this.units], dtype),
        output: Tensor.zeros([batchSize, this.units], dtype),
        delta: Tensor.zeros([batchSize, this.units], dtype),
        inputGrad: Tensor.zeros([batchSize, this.inputs], dtype),
      };
      this.buffers.set(batchSize, found);
    }
    return found;
  }

  /**
   * Runs the layer on a `[B, inputs]` batch: x = O_in W + theta, O = f(x). Returns the layer's own `[B, units]`
   * output buffer, overwritten by the next forward pass with the same batch size. The input is kept for
   * {@link Dense.backward}.
   */
  forward(input: Tensor): Tensor {
    if (input.rank !== 2 || input.cols !== this.inputs) {
      throw new DeltaflowError(
        'E_SHAPE',
        `Dense: expected a batch of shape [B, ${this.inputs}] but got [${input.shape.join(', ')}].`,
      );
    }
    const b = this.buffersFor(input.rows);
    linear(input, this.weights, this.bias, b.net); // x = O_in W + theta, in one pass
    this.activation.forward(b.net, b.output);
    this.lastInput = input;
    this.last = b;
    return b.output;
  }

  /** The net input x and output O of the last forward pass, e.g. for a fused loss. */
  lastForward(): { net: Tensor; output: Tensor } {
    const b = this.requireForward();
    return { net: b.net, output: b.output };
  }

  /**
   * Backpropagates dE/dO (`[B, units]`) through the layer: delta = f'(x) * dE/dO, then see
   * {@link Dense.backwardDelta}. Returns dE/dO_in, or null when `needInputGrad` is false.
   */
  backward(outputGrad: Tensor, needInputGrad = true): Tensor | null {
    const b = this.requireForward();
    if (outputGrad.rows !== b.output.rows || outputGrad.cols !== this.units) {
      throw new DeltaflowError(
        'E_SHAPE',
        `Dense.backward: dE/dO must be [${b.output.rows}, ${this.units}] but got [${outputGrad.shape.join(', ')}].`,
      );
    }
    this.activation.backward(b.net, b.output, outputGrad, b.delta);
    return this.backwardDelta(b.delta, needInputGrad);
  }

  /**
   * Backpropagates a ready delta (`[B, units]`, e.g. O - t from a fused loss): adds dE/dW_ij += O_i delta_j and
   * dE/dtheta_j += delta_j summed over the batch, and returns dE/dO_i = sum_j delta_j W_ij (or null).
   */
  backwardDelta(delta: Tensor, needInputGrad = true): Tensor | null {
    const b = this.requireForward();
    const input = this.lastInput!;
    matmul(input, delta, this.weightGrad, ACCUMULATE_TRANS_A);
    columnSums(delta, this.biasGrad, 1);
    if (!needInputGrad) return null;
    matmul(delta, this.weights, b.inputGrad, TRANS_B);
    return b.inputGrad;
  }

  /** The layer's delta buffer of the last forward pass, for a fused loss to write O - t into. */
  deltaBuffer(): Tensor {
    return this.requireForward().delta;
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

  private requireForward(): BatchBuffers {
    if (!this.last)
      throw new DeltaflowError(
        'E_STATE',
        'Dense: backward was called before forward; run forward on the batch first.',
      );
    return this.last;
  }
}
