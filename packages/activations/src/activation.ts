import type { Config, ElementwiseActivationEntry, OnnxLowering } from '@deltaflow/core';
import type { Tensor } from '@deltaflow/tensor';

/**
 * Scalar settings of a parametrised activation, e.g. `{ negativeSlope: 0.01 }`.
 *
 * @example
 * ```ts
 * const leaky = getActivation({ name: 'leaky-relu', config: { negativeSlope: 0.2 } });
 * leaky.config; // → { negativeSlope: 0.2 }
 * ```
 * @category Activation
 */
export type ActivationConfig = Config;

/**
 * A transfer function with its backward step, over whole batches.
 *
 * `forward` computes O = f(x) from the net input x of every node; `backward` turns dE/dO into dE/dx, using the
 * saved input x and/or output O. For an elementwise f that is delta = f'(x) * dE/dO; for the lecture notes' sigmoid,
 * delta_j = O_j (1 - O_j) * dE/dO_j.
 *
 * @example
 * ```ts
 * const sigmoid = getActivation('sigmoid');
 * sigmoid.forward(x, o);          // O = 1 / (1 + e^-x)
 * sigmoid.backward(x, o, dO, dx); // dx = O (1 - O) dO
 * ```
 * @category Activation
 */
export interface Activation {
  /** The registry name, e.g. `'sigmoid'`. */
  readonly name: string;
  /** The parameters it was built with (empty for parameter-free functions); `{ name, config }` rebuilds it. */
  readonly config: ActivationConfig;
  /** Writes O = f(x) into `out` (same shape as `x`; `out` is never `x`). */
  forward(x: Tensor, out: Tensor): void;
  /**
   * Writes dE/dx into `dx` from the input `x`, the output `y = f(x)` and `dy` = dE/dO. `dx` may be `dy`.
   */
  backward(x: Tensor, y: Tensor, dy: Tensor, dx: Tensor): void;
  /**
   * The net inputs x where f is not smooth (f' or f'' jumps), e.g. `[0]` for relu. A gradient check leaves out
   * every entry whose step moves a net input onto or across one of them: central differences are not valid there.
   */
  readonly kinks?: readonly number[];
  /**
   * Optional: how ONNX export (`toOnnx` of `@deltaflow/interop`) writes this activation as ONNX nodes; see
   * `OnnxLowering` of `@deltaflow/core`. The built-ins need none: the exporter knows them.
   */
  readonly onnx?: OnnxLowering;
}

/**
 * An elementwise activation given by two scalar functions: nothing to import, the form plugins use.
 * `df` receives the input x and the output y = f(x), so a derivative such as sigmoid's y (1 - y) is cheap. It is
 * `ElementwiseActivationEntry` of `@deltaflow/core`, the entry a plugin gives, under the name activations use.
 *
 * @example
 * ```ts
 * const softsign: ElementwiseActivationSpec = {
 *   name: 'softsign',
 *   f: (x) => x / (1 + Math.abs(x)),
 *   df: (x) => 1 / (1 + Math.abs(x)) ** 2,
 * };
 * ```
 * @category Activation
 */
export type ElementwiseActivationSpec = ElementwiseActivationEntry;

/**
 * Either form a plugin may give: two scalar functions, or a full {@link Activation}.
 *
 * @example
 * ```ts
 * const specs: ActivationSpec[] = [
 *   { name: 'cube', f: (x) => x ** 3, df: (x) => 3 * x * x }, // elementwise
 *   getActivation('softmax'), // a full Activation
 * ];
 * ```
 * @category Activation
 */
export type ActivationSpec = ElementwiseActivationSpec | Activation;
