/**
 * The float arrays tensors keep their numbers in.
 *
 * @example
 * ```ts
 * const data: FloatArray = new Float64Array(4);
 * ```
 * @category Parameter
 */
export type FloatArray = Float32Array | Float64Array;

/**
 * The element types of a tensor.
 *
 * @example
 * ```ts
 * const dtype: FloatType = 'float64';
 * ```
 * @category Parameter
 */
export type FloatType = 'float32' | 'float64';

/**
 * What the core needs to know of a tensor: its numbers, how many there are, their type and its shape. The
 * `Tensor` of `@deltaflow/tensor` satisfies it; the core, below tensor in the package graph, never imports it.
 *
 * @example
 * ```ts
 * const like: TensorLike = { data: new Float64Array(6), size: 6, dtype: 'float64', shape: [2, 3] };
 * ```
 * @category Parameter
 */
export interface TensorLike {
  /** The numbers, row-major. */
  readonly data: FloatArray;
  /** How many numbers (`data.length`). */
  readonly size: number;
  /** The element type. */
  readonly dtype: FloatType;
  /** The dimensions. */
  readonly shape: readonly number[];
}

/**
 * A trainable value and its gradient dE/dvalue, same shape: a layer's weights W or biases theta, as layers
 * expose them and optimizers update them.
 *
 * @example
 * ```ts
 * const w: Parameter<Tensor> = { name: 'layers.0.weights', value: Tensor.zeros([2, 3]), grad: Tensor.zeros([2, 3]) };
 * ```
 * @typeParam T - the tensor type (`Tensor` for layers; any {@link TensorLike} for optimizers)
 * @category Parameter
 */
export interface Parameter<T extends TensorLike = TensorLike> {
  /** A name unique within a model, e.g. `'layers.0.weights'`. */
  readonly name: string;
  /** The values, updated in place. */
  readonly value: T;
  /** The gradient, filled by backward. */
  readonly grad: T;
}
