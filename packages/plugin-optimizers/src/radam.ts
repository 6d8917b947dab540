import type { FloatArray as TypedArray, OptimizerRule } from '@deltaflow/core';
import { checkCommon, zeros } from './options.js';

/**
 * Options of {@link radam}, named and defaulted as in `torch.optim.RAdam` (torch's `betas` pair is `beta1`,
 * `beta2`).
 *
 * @example
 * ```ts
 * const options: RadamOptions = { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 };
 * ```
 * @category Optimizers
 */
export type RadamOptions = {
  /** eta, the learning rate (default 0.001). */
  lr: number;
  /** beta1, decay of the first moment m (default 0.9), in [0, 1). */
  beta1: number;
  /** beta2, decay of the second moment v (default 0.999), in [0, 1). */
  beta2: number;
  /** epsilon, added to sqrt(v) (default 1e-8). */
  eps: number;
  /** lambda, L2 penalty added to the gradient (default 0). */
  weightDecay: number;
};

/**
 * State of one parameter under {@link radam}: the moments m and v.
 *
 * @example
 * ```ts
 * const { expAvg, expAvgSq } = optimizer.stateOf('layers.0.weights') as RadamState;
 * ```
 * @category Optimizers
 */
export type RadamState = {
  /** m, the exponential moving average of the gradients. */
  expAvg: TypedArray;
  /** v, the exponential moving average of the squared gradients. */
  expAvgSq: TypedArray;
};

/**
 * RAdam, rectified Adam (Liu et al. 2020, "On the Variance of the Adaptive Learning Rate and Beyond"), exactly as
 * `torch.optim.RAdam`. Per weight W with gradient g = dE/dW, at step t = 1, 2, ... (m and v start at 0):
 *
 * ```
 * g <- g + lambda W                                  (if weightDecay)
 * m <- beta1 m + (1 - beta1) g;   v <- beta2 v + (1 - beta2) g^2
 * m^ = m / (1 - beta1^t)
 * rho_inf = 2 / (1 - beta2) - 1;   rho_t = rho_inf - 2 t beta2^t / (1 - beta2^t)
 * if rho_t > 5:  r = sqrt((rho_t - 4)(rho_t - 2) rho_inf / ((rho_inf - 4)(rho_inf - 2) rho_t))
 *                W <- W - eta m^ r sqrt(1 - beta2^t) / (sqrt(v) + eps)
 * else:          W <- W - eta m^                     (plain momentum while the variance is untrustworthy)
 * ```
 *
 * @example
 * ```ts
 * import { installPlugin } from '@deltaflow/network';
 * import { createOptimizer } from '@deltaflow/optimizers';
 *
 * installPlugin(optimizersPlugin);
 * const optimizer = createOptimizer('radam', model.parameters(), { lr: 0.01 });
 * ```
 * @category Optimizers
 */
export const radam: OptimizerRule<RadamOptions, RadamState> = {
  name: 'radam',
  defaults: { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 },
  validate: (options) => checkCommon('radam', options),
  init: (size, _options, dtype) => ({ expAvg: zeros(size, dtype), expAvgSq: zeros(size, dtype) }),
  update(param, grad, state, options, step) {
    const { lr, beta1, beta2, eps, weightDecay } = options;
    const { expAvg: m, expAvgSq: v } = state;
    const bias1 = 1 - beta1 ** step;
    const bias2 = 1 - beta2 ** step;
    const rhoInf = 2 / (1 - beta2) - 1;
    const rhoT = rhoInf - (2 * step * beta2 ** step) / bias2;
    const rect =
      rhoT > 5 ? Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) : 0;
    const sqrtBias2 = Math.sqrt(bias2);
    for (let i = 0; i < param.length; i++) {
      const g = weightDecay === 0 ? grad[i]! : grad[i]! + weightDecay * param[i]!;
      m[i] = m[i]! * beta1 + (1 - beta1) * g;
      v[i] = v[i]! * beta2 + (1 - beta2) * g * g;
      const corrected = m[i]! / bias1;
      param[i] =
        rhoT > 5
          ? param[i]! - corrected * lr * (sqrtBias2 / (Math.sqrt(v[i]!) + eps)) * rect
          : param[i]! - corrected * lr;
    }
  },
};
