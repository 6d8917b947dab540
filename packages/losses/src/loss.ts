import type { Tensor, TypedArray } from '@deltaflow/tensor';

/**
 * Scalar settings of a parametrised loss, e.g. `{ delta: 1 }` for huber.
 *
 * @example
 * ```ts
 * getLoss({ name: 'huber', config: { delta: 2 } }).config; // → { delta: 2 }
 * ```
 * @category Loss
 */
export type LossConfig = Readonly<Record<string, number | string | boolean>>;

/**
 * An error function E(O, t) over a batch. Each loss sums over one sample's outputs k and averages over the
 * samples of the batch: for mse, E = mean over samples of 1/2 sum_k (O_k - t_k)^2.
 *
 * `backward` writes the gradient of that batch mean, dE/dO = (O - t) / B for mse: the 1/B of the average is
 * already in it, so the weight gradients that follow are the batch means the lecture notes (`docs/guides/the-math.md`) ask for.
 *
 * @example
 * ```ts
 * const mse = getLoss('mse');
 * const E = mse.forward(output, target);
 * mse.backward(output, target, dEdO);
 * ```
 * @category Loss
 */
export interface Loss {
  /** The registry name, e.g. `'mse'`. */
  readonly name: string;
  /** The parameters it was built with; `{ name, config }` rebuilds it. */
  readonly config: LossConfig;
  /**
   * The mean over the batch of the per-sample loss. `output` and `target` are `[B, K]` (a rank-1 tensor is one
   * sample); a shape mismatch throws `DeltaflowError` `E_SHAPE` naming both shapes.
   */
  forward(output: Tensor, target: Tensor): number;
  /**
   * Writes (overwrites, does not accumulate) dE/dO of {@link Loss.forward}'s batch mean into `grad`, which has
   * the output's shape. Allocates nothing.
   */
  backward(output: Tensor, target: Tensor, grad: Tensor): void;
  /**
   * A fused, numerically stable path used when the output layer's activation is `fused.activation`
   * (softmax with cross-entropy, sigmoid with binary-cross-entropy): the combined gradient O - t.
   */
  readonly fused?: FusedLoss;
}

/**
 * The loss computed together with the output activation, from the pre-activation x (the logits). The network
 * uses it instead of `Loss.backward` followed by the activation's backward when its output activation is
 * `activation`: the Jacobian of softmax (or sigmoid's O (1 - O)) cancels against dE/dO, leaving O - t.
 *
 * @example
 * ```ts
 * const ce = getLoss('cross-entropy');
 * if (ce.fused?.activation === 'softmax') {
 *   const E = ce.fused.forward(x, output, target); // finite even for logits like [1000, -1000]
 *   ce.fused.backward(x, output, target, dEdx);    // (O - t) / B
 * }
 * ```
 * @category Loss
 */
export interface FusedLoss {
  /** The activation name this path fuses with, e.g. `'softmax'`. */
  readonly activation: string;
  /**
   * The same value as {@link Loss.forward}, computed stably from `x` (e.g. by log-sum-exp); `output` is
   * O = activation(x) as the forward pass computed it, and `x`, `output`, `target` share one shape.
   */
  forward(x: Tensor, output: Tensor, target: Tensor): number;
  /** Writes (overwrites) dE/dx of the batch mean into `gradX`: (O - t) / B, from the given `output` O. */
  backward(x: Tensor, output: Tensor, target: Tensor, gradX: Tensor): void;
}

/**
 * A loss given per sample, the form plugins use: `f(o, t)` is one sample's loss, `df(o, t, out)` writes that
 * sample's dE/dO into `out`. The framework averages over the batch.
 *
 * @example
 * ```ts
 * const logCosh: PerSampleLossSpec = {
 *   name: 'log-cosh',
 *   f: (o, t) => { let s = 0; for (let k = 0; k < o.length; k++) s += Math.log(Math.cosh(o[k] - t[k])); return s; },
 *   df: (o, t, out) => { for (let k = 0; k < o.length; k++) out[k] = Math.tanh(o[k] - t[k]); },
 * };
 * ```
 * @category Loss
 */
export interface PerSampleLossSpec {
  /** The registry name. */
  readonly name: string;
  /**
   * One sample's loss from its outputs `o` and targets `t` (length K each). They are views into the batch,
   * valid during the call only: read them, do not keep them.
   */
  readonly f: (o: TypedArray, t: TypedArray) => number;
  /** Writes (overwrites) dE/dO of one sample into `out` (length K); the framework then divides by B. */
  readonly df: (o: TypedArray, t: TypedArray, out: TypedArray) => void;
  /** Parameters, kept for serialisation. */
  readonly config?: LossConfig;
}

/**
 * Either form a plugin may give.
 *
 * @example
 * ```ts
 * const specs: LossSpec[] = [getLoss('mse'), { name: 'l1', f: (o, t) => Math.abs(o[0]! - t[0]!), df: (o, t, out) => { out[0] = Math.sign(o[0]! - t[0]!); } }];
 * ```
 * @category Loss
 */
export type LossSpec = PerSampleLossSpec | Loss;
