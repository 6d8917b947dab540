import { allocate } from '@deltaflow/tensor';
import type { DType, TypedArray } from '@deltaflow/tensor';
import { checkRange } from './options.js';
import type { OptimizerRule } from './rule.js';

/**
 * Options of {@link adam} and {@link adamw}, named as in `torch.optim.Adam` (camelCase; torch's `betas` pair is
 * `beta1`, `beta2`).
 *
 * @example
 * ```ts
 * const options: AdamOptions = { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, amsgrad: false };
 * ```
 * @category Optimizers
 */
export type AdamOptions = {
  /** eta, the learning rate (default 0.001). */
  lr: number;
  /** beta1, decay of the first moment m (default 0.9), in [0, 1). */
  beta1: number;
  /** beta2, decay of the second moment v (default 0.999), in [0, 1). */
  beta2: number;
  /** epsilon, added to the denominator (default 1e-8). */
  eps: number;
  /** lambda: L2 added to the gradient for adam (default 0); decoupled decay for adamw (default 0.01). */
  weightDecay: number;
  /** Use the running maximum of v (AMSGrad) (default false). */
  amsgrad: boolean;
};

/**
 * State of one parameter under {@link adam} / {@link adamw}: the moments m and v, and max v (empty unless amsgrad).
 *
 * @example
 * ```ts
 * const { expAvg, expAvgSq } = optimizer.stateOf('layers.0.weights') as AdamState;
 * ```
 * @category Optimizers
 */
export type AdamState = {
  /** m, the running average of g. */
  expAvg: TypedArray;
  /** v, the running average of g^2. */
  expAvgSq: TypedArray;
  /** vMax, the largest v so far (length 0 unless amsgrad). */
  maxExpAvgSq: TypedArray;
};

/** Checks adam's and adamw's options as torch does (lr is checked by the Optimizer). */
export function validateAdam(name: string, options: AdamOptions): void {
  checkRange(name, 'eps', options.eps, 0);
  checkRange(name, 'beta1', options.beta1, 0, 1);
  checkRange(name, 'beta2', options.beta2, 0, 1);
  checkRange(name, 'weightDecay', options.weightDecay, 0);
}

/** Creates zeroed moments for adam and adamw. */
export function initAdam(size: number, options: AdamOptions, dtype: DType): AdamState {
  return {
    expAvg: allocate(dtype, size),
    expAvgSq: allocate(dtype, size),
    maxExpAvgSq: allocate(dtype, options.amsgrad ? size : 0),
  };
}

/**
 * The Adam step shared by adam and adamw, with `l2` (lambda) added to the gradient (0 for adamw, whose
 * decoupled decay is applied before).
 */
export function adamStep(
  param: TypedArray,
  grad: TypedArray,
  state: AdamState,
  options: AdamOptions,
  step: number,
  l2: number,
): void {
  const { lr, beta1, beta2, eps, amsgrad } = options;
  const { expAvg: m, expAvgSq: v, maxExpAvgSq: vMax } = state;
  const stepSize = lr / (1 - beta1 ** step);
  const bias2Sqrt = Math.sqrt(1 - beta2 ** step);
  for (let i = 0; i < param.length; i++) {
    const g = l2 !== 0 ? grad[i]! + l2 * param[i]! : grad[i]!;
    m[i] = beta1 * m[i]! + (1 - beta1) * g;
    v[i] = beta2 * v[i]! + (1 - beta2) * g * g;
    let second = v[i]!;
    if (amsgrad) {
      if (second > vMax[i]!) vMax[i] = second;
      second = vMax[i]!;
    }
    param[i] = param[i]! - stepSize * (m[i]! / (Math.sqrt(second) / bias2Sqrt + eps));
  }
}

/**
 * Adam, exactly as `torch.optim.Adam` (weight decay as L2 added to the gradient). With g = dE/dW and step t:
 *
 * ```
 * if lambda != 0:  g <- g + lambda W
 * m <- beta1 m + (1 - beta1) g
 * v <- beta2 v + (1 - beta2) g^2
 * if amsgrad:      vMax <- max(vMax, v),  and vMax is used for v below
 * W <- W - eta / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + epsilon)
 * ```
 *
 * Defaults: lr 0.001, beta1 0.9, beta2 0.999, eps 1e-8, weightDecay 0, amsgrad false. Refuses negative lr, eps or
 * weightDecay and betas outside [0, 1).
 *
 * @example
 * ```ts
 * const optimizer = new Optimizer(adam, model.parameters(), { lr: 0.01, amsgrad: true });
 * ```
 * @category Optimizers
 */
export const adam: OptimizerRule<AdamOptions, AdamState> = {
  name: 'adam',
  defaults: { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, amsgrad: false },
  validate: (options) => validateAdam('adam', options),
  init: initAdam,
  update(param, grad, state, options, step) {
    adamStep(param, grad, state, options, step, options.weightDecay);
  },
};
