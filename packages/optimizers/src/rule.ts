import type { DType, Tensor, TypedArray } from '@deltaflow/tensor';

/**
 * Hyperparameters of an optimizer: always a learning rate `lr` (eta), plus the rule's own numbers and switches
 * (`momentum`, `beta1`, `nesterov`, ...). Plain data, so they serialise as they are.
 *
 * @example
 * ```ts
 * const options: OptimizerOptions = { lr: 0.01, momentum: 0.9, nesterov: true };
 * ```
 * @category Optimizer
 */
export type OptimizerOptions = {
  /** eta, the learning rate. */
  lr: number;
} & Record<string, number | boolean>;

/**
 * One parameter's optimizer state: typed arrays (moments, buffers) and numbers. The {@link Optimizer} stores it,
 * hands it to every {@link OptimizerRule.update} and serialises it in {@link Optimizer.stateDict}.
 *
 * @example
 * ```ts
 * const state: ParameterState = { expAvg: new Float64Array(3), expAvgSq: new Float64Array(3) };
 * ```
 * @category Optimizer
 */
export type ParameterState = Record<string, TypedArray | number>;

/**
 * A per-parameter update rule, the only thing an optimizer author writes (the form built-ins use too). The
 * {@link Optimizer} owns step counting, state storage and serialisation; the rule says how to create one
 * parameter's state and how to update one parameter W from its gradient dE/dW.
 *
 * `update` runs once per parameter per step and must allocate nothing: keep buffers in the state made by
 * `init`, and never write into `grad` (the trainer may still read it).
 *
 * @example
 * ```ts
 * // plain gradient descent: W <- W - eta * dE/dW
 * const gd: OptimizerRule = {
 *   name: 'gd',
 *   defaults: { lr: 0.5 },
 *   init: () => ({}),
 *   update: (param, grad, _state, options) => {
 *     for (let i = 0; i < param.length; i++) param[i] -= options.lr * grad[i];
 *   },
 * };
 * ```
 * @typeParam O - the rule's options, `{ lr }` plus its own
 * @typeParam S - the shape of one parameter's state
 * @category Optimizer
 */
export interface OptimizerRule<
  O extends OptimizerOptions = OptimizerOptions,
  S extends ParameterState = ParameterState,
> {
  /** The registry name, e.g. `'adam'`. */
  readonly name: string;
  /** Default hyperparameters (PyTorch's, for the built-ins); they also list the option names accepted. */
  readonly defaults: O;
  /**
   * Creates the state of one parameter of `size` numbers (zeroed moments, for instance), in the parameter's
   * `dtype`. Called once per parameter when the optimizer is built or restored.
   */
  init(size: number, options: O, dtype: DType): S;
  /** Updates `param` in place from `grad` (dE/dparam) and `state`; `step` counts from 1. Allocates nothing. */
  update(param: TypedArray, grad: TypedArray, state: S, options: O, step: number): void;
  /**
   * Optional: refuses bad options by throwing a `DeltaflowError` (code `E_OPTION`) that names the option.
   * Called when an optimizer is built, restored, or its `lr` changed; option names and types are already checked.
   */
  validate?(options: O): void;
}

/**
 * What an optimizer updates: a named value and its gradient dE/dvalue, same shape. Network layers expose their
 * weights W and biases theta this way.
 *
 * @example
 * ```ts
 * const w: Parameter = { name: 'w', value: Tensor.zeros([2, 3]), grad: Tensor.zeros([2, 3]) };
 * ```
 * @category Optimizer
 */
export interface Parameter {
  /** A name unique within a model, e.g. `'layers.0.weights'`. */
  readonly name: string;
  /** The values, updated in place. */
  readonly value: Tensor;
  /** The gradient, filled by backward. */
  readonly grad: Tensor;
}
