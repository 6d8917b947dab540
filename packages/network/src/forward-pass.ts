import { DeltaflowError, Tensor } from '@deltaflow/tensor';
import type { DType, Random } from '@deltaflow/tensor';

/**
 * What one {@link Dense} layer's forward pass produced for one batch, and the buffers its backward pass writes:
 * made once per batch size and reused, so training allocates nothing per batch.
 *
 * @example
 * ```ts
 * const layer = model.layers[0]!;
 * const pass = layer.createPass(4);
 * layer.forward(inputs, pass); // pass.net = x, pass.output = O
 * layer.backward(pass, dEdO); // pass.delta = delta, dE/dW and dE/dtheta accumulated
 * ```
 * @category Network
 */
export class LayerPass {
  /** The input O_in of the last forward pass through this object (`[B, n]`, the caller's tensor), or null. */
  input: Tensor | null = null;
  /** Net inputs x_j = sum_i O_i W_ij + theta_j, `[B, m]`. */
  readonly net: Tensor;
  /** Outputs O_j = f(x_j), `[B, m]`. */
  readonly output: Tensor;
  /** delta_j = f'(x_j) * dE/dO_j, `[B, m]` (written by backward; a loss may write dE/dO or O - t into it first). */
  readonly delta: Tensor;
  /** dE/dO_i for the layer below, sum_j delta_j W_ij, `[B, n]`. */
  readonly inputGrad: Tensor;
  /**
   * The dropout mask of a layer with dropout rate p, `[B, m]`: each entry 0 (dropped, probability p) or
   * 1 / (1 - p) (kept), so the expected output is unchanged (inverted dropout). null for a layer without dropout.
   */
  readonly mask: Tensor | null;
  /** The outputs after dropout, O_j * mask_j, `[B, m]`: what the next layer reads. null without dropout. */
  readonly dropped: Tensor | null;
  /** Whether the last forward pass applied the mask (a training pass with dropout on). */
  masked = false;
  /** Whether a mask was ever drawn into {@link LayerPass.mask} (a frozen mask needs one). */
  maskDrawn = false;

  /**
   * @param batchSize - B, the rows of every batch this pass holds
   * @param inputs - n, the layer's inputs
   * @param units - m, the layer's units
   * @param dtype - the layer's dtype
   * @param dropout - whether the layer has dropout (allocates the mask and the dropped outputs)
   */
  constructor(
    readonly batchSize: number,
    inputs: number,
    units: number,
    dtype: DType,
    dropout = false,
  ) {
    this.net = Tensor.zeros([batchSize, units], dtype);
    this.output = Tensor.zeros([batchSize, units], dtype);
    this.delta = Tensor.zeros([batchSize, units], dtype);
    this.inputGrad = Tensor.zeros([batchSize, inputs], dtype);
    this.mask = dropout ? Tensor.zeros([batchSize, units], dtype) : null;
    this.dropped = dropout ? Tensor.zeros([batchSize, units], dtype) : null;
  }

  /** The input of the forward pass, or an `E_STATE` error when no forward pass went through this object. */
  requireInput(): Tensor {
    const input = this.input;
    if (input === null) {
      throw new DeltaflowError(
        'E_STATE',
        'backward was called on a pass that no forward pass filled; run forward(input, pass) on the batch first.',
      );
    }
    return input;
  }
}

/**
 * The shape of a model that a {@link ForwardPass} needs: each layer's n inputs, m units and dtype. A
 * `Sequential` is one.
 *
 * @example
 * ```ts
 * const shape: PassShape = { layers: [{ inputs: 2, units: 4, dtype: 'float64' }] };
 * new ForwardPass(shape).layersFor(4).length; // → 1
 * ```
 * @category Network
 */
export interface PassShape {
  /** Each layer, input side first, with its dropout rate p (0 or left out: none). */
  readonly layers: readonly {
    readonly inputs: number;
    readonly units: number;
    readonly dtype: DType;
    readonly dropout?: number;
  }[];
}

/**
 * The state of one training forward pass through a whole model, passed explicitly from forward to the loss, to
 * backward and to the gradient statistics. An inference (`model.forward(x)` without a pass) never touches it, so
 * it cannot change what backward computes. One object serves every batch size: the buffers of each size are
 * made on first use and reused, so a training loop that keeps its pass allocates nothing per batch.
 *
 * @example
 * ```ts
 * import { getLoss } from '@deltaflow/losses';
 *
 * const pass = model.createPass();
 * model.zeroGrad();
 * model.forward(inputs, pass);
 * const E = model.loss(pass, targets, getLoss('mse'));
 * model.forward(Tensor.fromNested([[0, 1]])); // an inference in between changes nothing below
 * model.backwardLoss(pass, targets, getLoss('mse'));
 * ```
 * @category Network
 */
export class ForwardPass {
  private readonly bySize = new Map<number, readonly LayerPass[]>();
  private current: readonly LayerPass[] | null = null;

  /**
   * Where dropout masks come from: null (the default) turns dropout off, so the pass computes what an
   * inference computes; the trainer sets the run's seeded generator here, so runs stay bit-reproducible.
   */
  dropout: Random | null = null;
  /**
   * When true, forward passes reuse the masks already drawn (drawing them from {@link ForwardPass.dropout}
   * only the first time): the network is then a fixed function of W and theta, which a gradient check can
   * differentiate numerically.
   */
  freezeMasks = false;

  /** @param model - the model whose forward passes this object holds (see `Sequential.createPass`) */
  constructor(readonly model: PassShape) {}

  /**
   * The per-layer buffers for batches of `batchSize` rows, made on first use, and made current. Called by
   * `Sequential.forward`.
   */
  layersFor(batchSize: number): readonly LayerPass[] {
    const current = this.current;
    if (current !== null && current[0]!.batchSize === batchSize) return current;
    let found = this.bySize.get(batchSize);
    if (!found) {
      found = this.model.layers.map(
        (l) => new LayerPass(batchSize, l.inputs, l.units, l.dtype, (l.dropout ?? 0) > 0),
      );
      this.bySize.set(batchSize, found);
    }
    this.current = found;
    return found;
  }

  /** Each layer's pass of the last forward pass, input side first; `E_STATE` before any forward pass. */
  get layers(): readonly LayerPass[] {
    const current = this.current;
    if (current === null || current[0]!.input === null) {
      throw new DeltaflowError(
        'E_STATE',
        'This forward pass is empty: run model.forward(input, pass) before the loss, backward or statistics.',
      );
    }
    return current;
  }

  /** The output layer's pass of the last forward pass. */
  get last(): LayerPass {
    const layers = this.layers;
    return layers[layers.length - 1]!;
  }

  /** The model's outputs O_k of the last forward pass, `[B, outputs]`. */
  get output(): Tensor {
    return this.last.output;
  }
}
