import type { FloatArray as TypedArray, OptimizerRule } from '@deltaflow/core';
import { checkCommon, zeros } from './options.js';

/**
 * Options of {@link adamax}, named and defaulted as in `torch.optim.Adamax` (torch's `betas` pair is `beta1`,
 * `beta2`).
 *
 * @example
 * ```ts
 * const options: AdamaxOptions = { lr: 0.002, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 };
 * ```
 * @category Optimizers
 */
export type AdamaxOptions = {
  /** eta, the learning rate (default 0.002). */
  lr: number;
  /** beta1, decay of the first moment m (default 0.9), in [0, 1). */
  beta1: number;
  /** beta2, decay of the infinity norm u (default 0.999), in [0, 1). */
  beta2: number;
  /** epsilon, added to |g| inside the max (default 1e-8). */
  eps: number;
  /** lambda, L2 penalty added to the gradient (default 0). */
  weightDecay: number;
};

/**
 * State of one parameter under {@link adamax}: the first moment m and the infinity norm u.
 *
 * @example
 * ```ts
 * const { expAvg, expInf } = optimizer.stateOf('layers.0.weights') as AdamaxState;
 * ```
 * @category Optimizers
 */
export type AdamaxState = {
  /** m, the exponential moving average of the gradients. */
  expAvg: TypedArray;
  /** u, the exponentially weighted infinity norm of the gradients. */
  expInf: TypedArray;
};

/**
 * Adamax (Kingma and Ba 2015, section 7.1), Adam with the infinity norm, exactly as `torch.optim.Adamax`.
 * Per weight W with gradient g = dE/dW, at step t = 1, 2, ... (m and u start at 0):
 *
 * ```
 * g <- g + lambda W                       (if weightDecay)
 * m <- beta1 m + (1 - beta1) g
 * u <- max(beta2 u, |g| + eps)
 * W <- W - eta / (1 - beta1^t) * m / u
 * ```
 *
 * @example
 * ```ts
 * import { installPlugin } from '@deltaflow/network';
 * import { createOptimizer } from '@deltaflow/optimizers';
 *
 * installPlugin(optimizersPlugin);
 * const optimizer = createOptimizer('adamax', model.parameters(), { lr: 0.01 });
 * ```
 * @category Optimizers
 */
export const adamax: OptimizerRule<AdamaxOptions, AdamaxState> = {
  name: 'adamax',
  defaults: { lr: 0.002, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 },
  validate: (options) => checkCommon('adamax', options),
  init: (size, _options, dtype) => ({ expAvg: zeros(size, dtype), expInf: zeros(size, dtype) }),
  update(param, grad, state, options, step) {
    const { lr, beta1, beta2, eps, weightDecay } = options;
    const { expAvg: m, expInf: u } = state;
    const clr = lr / (1 - beta1 ** step);
    for (let i = 0; i < param.length; i++) {
      const g = weightDecay === 0 ? grad[i]! : grad[i]! + weightDecay * param[i]!;
      m[i] = m[i]! * beta1 + (1 - beta1) * g;
      u[i] = Math.max(u[i]! * beta2, Math.abs(g) + eps);
      param[i] = param[i]! - clr * (m[i]! / u[i]!);
    }
  },
};
