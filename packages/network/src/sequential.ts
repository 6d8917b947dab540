import { activationToJSON } from '@deltaflow/activations';
import type { ActivationIdentifier } from '@deltaflow/activations';
import type { Loss } from '@deltaflow/losses';
import type { Parameter } from '@deltaflow/core';
import { DeltaflowError, Random, assertShape } from '@deltaflow/tensor';
import type { DType, Initializer, InitializerName, Tensor } from '@deltaflow/tensor';
import { Dense } from './dense.js';
import { ForwardPass } from './forward-pass.js';

/**
 * One layer of an {@link mlp} spec.
 *
 * @example
 * ```ts
 * const hidden: LayerSpec = { units: 8, activation: 'relu', weightInit: 'he-uniform' };
 * mlp({ inputs: 2, layers: [hidden, { units: 1 }] });
 * ```
 * @category Network
 */
export interface LayerSpec {
  /** Number of nodes. */
  units: number;
  /** Transfer function; default `'sigmoid'`. */
  activation?: ActivationIdentifier;
  /** Weight initializer; default `'glorot-uniform'`. */
  weightInit?: InitializerName | Initializer;
  /** Bias initializer; default `'zeros'`. */
  biasInit?: InitializerName | Initializer;
  /** Dropout rate p of this hidden layer's outputs in training, in [0, 1); default 0 (none). Not on the output layer. */
  dropout?: number;
}

/**
 * A short description of a multilayer perceptron for {@link mlp}.
 *
 * @example
 * ```ts
 * const spec: MlpSpec = { inputs: 2, layers: [{ units: 4 }, { units: 1 }], seed: 42, dtype: 'float64' };
 * const model = mlp(spec);
 * ```
 * @category Network
 */
export interface MlpSpec {
  /** Number of input features. */
  inputs: number;
  /** Hidden layers then the output layer, in order. */
  layers: readonly LayerSpec[];
  /** Seed of the initializers (xoshiro128**); the same seed gives the same weights bit for bit. Default 0. */
  seed?: number;
  /** float32 (default) or float64. */
  dtype?: DType;
}

/**
 * Plain-data description of a model, as carried by a training stream's start event.
 *
 * @example
 * ```ts
 * const summary: ModelSummary = mlp({ inputs: 2, layers: [{ units: 4 }, { units: 1 }] }).summary();
 * summary.parameters; // (2 + 1) * 4 + (4 + 1) * 1 → 17
 * ```
 * @category Network
 */
export interface ModelSummary {
  /** Input features. */
  inputs: number;
  /** Output nodes. */
  outputs: number;
  /** float32 or float64. */
  dtype: DType;
  /** Each layer's size, transfer function and parameter count (and its dropout rate, when it has one). */
  layers: { inputs: number; units: number; activation: string; parameters: number; dropout?: number }[];
  /** Total number of weights and biases. */
  parameters: number;
}

/**
 * Layers applied one after another: the multilayer perceptron of the lecture notes (`docs/guides/the-math.md`), of any depth.
 *
 * `forward` runs every layer; with a {@link ForwardPass} (`createPass`) it records what backward needs, and
 * `backward` takes that pass and dE/dO of the output layer and runs the delta rule backwards through all layers (delta_k at the output, then delta_j = f'(x_j) sum_k delta_k W_jk for each hidden layer),
 * accumulating dE/dW and dE/dtheta.
 *
 * @example
 * ```ts
 * const model = mlp({ inputs: 2, layers: [{ units: 4 }, { units: 1 }], seed: 1 });
 * const output = model.forward(Tensor.fromNested([[0, 1]]));
 * ```
 * @category Network
 */
export class Sequential {
  /** The layers, input side first. */
  readonly layers: readonly Dense[];
  /**
   * The model file's free-form `meta` (loss, epochs, class names, the stored scaler, ...), kept by
   * `modelFromJSON`/`loadModel` and written back by `modelToJSON`/`saveModel` when they are given no other.
   */
  meta: Record<string, unknown> | undefined = undefined;

  /** @throws DeltaflowError `E_SHAPE` when a layer's inputs differ from the previous layer's units */
  constructor(layers: readonly Dense[]) {
    if (layers.length === 0)
      throw new DeltaflowError('E_SHAPE', 'Sequential: a model needs at least one layer.');
    layers.forEach((layer, i) => {
      if (i === 0) return;
      const before = layers[i - 1]!;
      assertShape(
        layer.inputs === before.units,
        () =>
          `Sequential: layer ${i} takes ${layer.inputs} inputs but layer ${i - 1} has ${before.units} units.`,
      );
      if (layer.dtype !== before.dtype) {
        throw new DeltaflowError(
          'E_DTYPE',
          `Sequential: layer ${i} is ${layer.dtype} but layer ${i - 1} is ${before.dtype}.`,
        );
      }
    });
    const last = layers[layers.length - 1]!;
    if (last.dropout > 0) {
      throw new DeltaflowError(
        'E_OPTION',
        `Sequential: the output layer has dropout ${last.dropout}; dropout applies to hidden layers only, so set it on a hidden layer.`,
      );
    }
    this.layers = layers;
  }

  /** Number of input features. */
  get inputs(): number {
    return this.layers[0]!.inputs;
  }

  /** Number of output nodes. */
  get outputs(): number {
    return this.layers[this.layers.length - 1]!.units;
  }

  /** float32 or float64. */
  get dtype(): DType {
    return this.layers[0]!.dtype;
  }

  /** The output layer. */
  get outputLayer(): Dense {
    return this.layers[this.layers.length - 1]!;
  }

  /** A new, empty {@link ForwardPass} of this model, for training: forward fills it, backward reads it. */
  createPass(): ForwardPass {
    return new ForwardPass(this);
  }

  /**
   * Runs the network forward on a `[B, inputs]` batch and returns the `[B, outputs]` outputs O_k. With a `pass`
   * (from {@link Sequential.createPass}) it is a training forward pass: every layer's x and O go into the pass,
   * for the loss and backward, and dropout layers drop when the pass has a generator (`pass.dropout`, set by the
   * trainer). Without one it is an inference, which no backward ever reads and where dropout is off. The result is a
   * buffer, overwritten by the next forward pass through the same pass (or the next inference of the same
   * batch size).
   */
  forward(batch: Tensor, pass?: ForwardPass): Tensor {
    const layers = this.layers;
    let x = batch;
    if (pass === undefined) {
      for (let i = 0; i < layers.length; i++) x = layers[i]!.forward(x);
      return x;
    }
    this.checkPass(pass);
    const passes = pass.layersFor(batch.rows);
    const { dropout, freezeMasks } = pass;
    for (let i = 0; i < layers.length; i++) x = layers[i]!.forward(x, passes[i], dropout, freezeMasks);
    return x;
  }

  /**
   * Backpropagates dE/dO_k through every layer of the forward pass `pass`, accumulating the gradients.
   */
  backward(pass: ForwardPass, outputGrad: Tensor): void {
    this.checkPass(pass);
    const passes = pass.layers;
    let grad: Tensor | null = outputGrad;
    for (let i = this.layers.length - 1; i >= 0; i--)
      grad = this.layers[i]!.backward(passes[i]!, grad!, i > 0);
  }

  /**
   * The loss E of the forward pass `pass` against `target`, through the loss's fused stable path when the output
   * layer's activation matches it (softmax with cross-entropy).
   */
  loss(pass: ForwardPass, target: Tensor, loss: Loss): number {
    this.checkPass(pass);
    const { net, output } = pass.last;
    const fused = loss.fused;
    if (fused && fused.activation === this.outputLayer.activation.name)
      return fused.forward(net, output, target);
    return loss.forward(output, target);
  }

  /**
   * Backpropagates `loss` of the forward pass `pass` against `target`: dE/dO from the loss (or the combined
   * delta O - t of a fused pair), then every layer. Gradients accumulate; call {@link Sequential.zeroGrad}
   * first. Only what that forward pass produced is read: an inference in between changes nothing.
   */
  backwardLoss(pass: ForwardPass, target: Tensor, loss: Loss): void {
    this.checkPass(pass);
    const passes = pass.layers;
    const n = this.layers.length;
    const last = this.layers[n - 1]!;
    const top = passes[n - 1]!;
    const fused = loss.fused;
    let grad: Tensor | null;
    if (fused && fused.activation === last.activation.name) {
      fused.backward(top.net, top.output, target, top.delta);
      grad = last.backwardDelta(top, top.delta, n > 1);
    } else {
      // dE/dO goes into the delta buffer, which activation.backward then overwrites with delta in place.
      loss.backward(top.output, target, top.delta);
      grad = last.backward(top, top.delta, n > 1);
    }
    for (let i = n - 2; i >= 0; i--) grad = this.layers[i]!.backward(passes[i]!, grad!, i > 0);
  }

  private checkPass(pass: ForwardPass): void {
    if (pass.model !== this) {
      throw new DeltaflowError(
        'E_STATE',
        'This forward pass belongs to another model: make one with model.createPass() for each model.',
      );
    }
  }

  /** Every weight and bias with its gradient, named `layers.<i>.weights` and `layers.<i>.bias`. */
  parameters(): Parameter<Tensor>[] {
    return this.layers.flatMap((layer, i) => layer.parameters(`layers.${i}.`));
  }

  /** Zeroes every gradient. */
  zeroGrad(): void {
    for (const layer of this.layers) layer.zeroGrad();
  }

  /** Plain-data description: sizes, transfer functions, parameter counts. */
  summary(): ModelSummary {
    const layers = this.layers.map((l) => ({
      inputs: l.inputs,
      units: l.units,
      activation: activationToJSON(l.activation).name,
      parameters: l.inputs * l.units + l.units,
      ...(l.dropout > 0 ? { dropout: l.dropout } : {}),
    }));
    return {
      inputs: this.inputs,
      outputs: this.outputs,
      dtype: this.dtype,
      layers,
      parameters: layers.reduce((s, l) => s + l.parameters, 0),
    };
  }
}

/**
 * Builds a multilayer perceptron from a short spec: weights drawn with the spec's seed, biases zero.
 *
 * @example
 * ```ts
 * // the lecture notes' network: 2 inputs, 4 sigmoid hidden nodes, 1 sigmoid output
 * const model = mlp({ inputs: 2, layers: [{ units: 4, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid' }], seed: 1 });
 * ```
 * @category Network
 */
export function mlp(spec: MlpSpec): Sequential {
  const rng = new Random(spec.seed ?? 0);
  let inputs = spec.inputs;
  const layers = spec.layers.map((layer) => {
    const dense = new Dense({ ...layer, inputs, dtype: spec.dtype, rng });
    inputs = layer.units;
    return dense;
  });
  return new Sequential(layers);
}
