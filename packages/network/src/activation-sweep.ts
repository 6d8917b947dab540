import type { Activation } from '@deltaflow/activations';
import { Tensor } from '@deltaflow/tensor';

/**
 * Where and how finely {@link activationSweep} compares an activation's derivative with central differences.
 *
 * @example
 * ```ts
 * import { getActivation } from '@deltaflow/activations';
 *
 * const options: ActivationSweepOptions = { from: -20, to: 20, step: 0.01 };
 * activationSweep(getActivation('sigmoid'), options).checked; // → 4000
 * ```
 * @category Gradient check
 */
export interface ActivationSweepOptions {
  /** The lowest net input x; default -10. */
  from?: number;
  /** The highest net input x; default 10. */
  to?: number;
  /** The distance between two x, checked at the middle of each step; default 0.005 (4000 points over -10..10). */
  step?: number;
  /** The half-step h of the central differences (f(x + h) - f(x - h)) / 2h; default 1e-5. */
  epsilon?: number;
  /** Derivatives smaller than this are compared absolutely: the denominator is max(|a|, |n|, floor); default 1e-4. */
  floor?: number;
}

/**
 * What {@link activationSweep} found: the worst relative error of f'(x) and where.
 *
 * @example
 * ```ts
 * import { getActivation } from '@deltaflow/activations';
 *
 * const result: ActivationSweepResult = activationSweep(getActivation('softplus'));
 * console.log(`${result.name}: worst ${result.worst} at x = ${result.worstX}`);
 * ```
 * @category Gradient check
 */
export interface ActivationSweepResult {
  /** The activation's registry name. */
  name: string;
  /** The worst relative error |a - n| / max(|a|, |n|, floor) over the checked x (Infinity for NaN). */
  worst: number;
  /** The x of the worst error. */
  worstX: number;
  /** The derivative the activation computes at `worstX` (its `backward` with dE/dO = 1). */
  analytic: number;
  /** The central difference at `worstX`. */
  numeric: number;
  /** How many x were compared. */
  checked: number;
  /** How many x were left out because x - h .. x + h holds a kink (see `Activation.kinks`). */
  atKink: number;
}

/**
 * Sweeps one activation as a scalar function, in float64: at every x of `from..to` (the middles of dense steps,
 * so no round number where a function's f' or f'' may jump is straddled), compares
 * the derivative it computes, f'(x) from `backward` with dE/dO = 1, with the central difference
 * (f(x + h) - f(x - h)) / 2h of its `forward`. A gradient check of a model only sees the net inputs x its data
 * produce (often |x| < 3); the sweep sees the whole range, so a `df` wrong only for large |x| is caught. Each x
 * is one sample of a one-unit layer, so an activation over a row (softmax) is swept as the constant it is there.
 *
 * @example
 * ```ts
 * import { getActivation } from '@deltaflow/activations';
 *
 * const result = activationSweep(getActivation('tanh'));
 * result.worst < 1e-6; // → true
 * ```
 * @param activation - the activation to check (built-in or plugin)
 * @param options - the range, the step and h
 * @returns the worst relative error, with its x
 * @category Gradient check
 */
export function activationSweep(
  activation: Activation,
  options: ActivationSweepOptions = {},
): ActivationSweepResult {
  const { from = -10, to = 10, step = 0.005, epsilon = 1e-5, floor = 1e-4 } = options;
  // the middles of the steps: round numbers (0, +-1, +-3), where f' or f'' of many functions jump, are never
  // straddled by x +- h; declared kinks are left out wherever they are
  const n = Math.max(1, Math.round((to - from) / step));
  const x = Tensor.zeros([n, 1], 'float64');
  for (let i = 0; i < n; i++) x.data[i] = from + (i + 0.5) * step;
  const y = Tensor.zeros([n, 1], 'float64');
  activation.forward(x, y);
  const dy = Tensor.zeros([n, 1], 'float64');
  dy.data.fill(1);
  const dx = Tensor.zeros([n, 1], 'float64');
  activation.backward(x, y, dy, dx);
  const shifted = Tensor.zeros([n, 1], 'float64');
  const plus = Tensor.zeros([n, 1], 'float64');
  const minus = Tensor.zeros([n, 1], 'float64');
  for (let i = 0; i < n; i++) shifted.data[i] = x.data[i]! + epsilon;
  activation.forward(shifted, plus);
  for (let i = 0; i < n; i++) shifted.data[i] = x.data[i]! - epsilon;
  activation.forward(shifted, minus);
  const kinks = activation.kinks ?? [];
  const result: ActivationSweepResult = {
    name: activation.name,
    worst: 0,
    worstX: NaN,
    analytic: NaN,
    numeric: NaN,
    checked: 0,
    atKink: 0,
  };
  for (let i = 0; i < n; i++) {
    const at = x.data[i]!;
    if (kinks.some((k) => at - epsilon <= k && k <= at + epsilon)) {
      result.atKink++;
      continue;
    }
    result.checked++;
    const analytic = dx.data[i]!;
    const numeric = (plus.data[i]! - minus.data[i]!) / (2 * epsilon);
    const raw = Math.abs(analytic - numeric) / Math.max(Math.abs(analytic), Math.abs(numeric), floor);
    const error = Number.isNaN(raw) ? Infinity : raw;
    if (error > result.worst || Number.isNaN(result.worstX)) {
      Object.assign(result, { worst: error, worstX: at, analytic, numeric });
    }
  }
  return result;
}
