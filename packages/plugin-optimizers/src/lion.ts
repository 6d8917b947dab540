import type { FloatArray as TypedArray, OptimizerRule } from '@deltaflow/core';
import { checkCommon, zeros } from './options.js';

/**
 * Options of {@link lion}, with the defaults of the paper's reference implementation.
 *
 * @example
 * ```ts
 * const options: LionOptions = { lr: 1e-4, beta1: 0.9, beta2: 0.99, weightDecay: 0 };
 * ```
 * @category Optimizers
 */
export type LionOptions = {
  /** eta, the learning rate (default 1e-4: Lion's steps have size eta, so it wants 3-10x less than Adam). */
  lr: number;
  /** beta1, the interpolation of the update direction c (default 0.9), in [0, 1). */
  beta1: number;
  /** beta2, the decay of the momentum m (default 0.99), in [0, 1). */
  beta2: number;
  /** lambda, decoupled weight decay (default 0). */
  weightDecay: number;
};

/**
 * State of one parameter under {@link lion}: the momentum m.
 *
 * @example
 * ```ts
 * const { expAvg } = optimizer.stateOf('layers.0.weights') as LionState;
 * ```
 * @category Optimizers
 */
export type LionState = {
  /** m, the exponential moving average of the gradients. */
  expAvg: TypedArray;
};

/**
 * Lion, "EvoLved Sign Momentum" (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms", Algorithm 2).
 * Per weight W with gradient g = dE/dW, momentum m (0 at first), at every step:
 *
 * ```
 * c <- beta1 m + (1 - beta1) g
 * W <- W - eta (sign(c) + lambda W)
 * m <- beta2 m + (1 - beta2) g
 * ```
 *
 * Every weight moves by exactly eta (plus decay) per step, in the direction of the interpolated momentum.
 *
 * @example
 * ```ts
 * import { createOptimizer } from '@deltaflow/optimizers';
 * import { installPlugin } from '@deltaflow/core';
 * import optimizersPlugin from '@deltaflow/plugin-optimizers';
 *
 * installPlugin(optimizersPlugin);
 * const optimizer = createOptimizer('lion', model.parameters(), { lr: 3e-4, weightDecay: 0.1 });
 * ```
 * @category Optimizers
 */
export const lion: OptimizerRule<LionOptions, LionState> = {
  name: 'lion',
  defaults: { lr: 1e-4, beta1: 0.9, beta2: 0.99, weightDecay: 0 },
  validate: (options) => checkCommon('lion', options),
  init: (size, _options, dtype) => ({ expAvg: zeros(size, dtype) }),
  update(param, grad, state, options) {
    const { lr, beta1, beta2, weightDecay } = options;
    const m = state.expAvg;
    for (let i = 0; i < param.length; i++) {
      const g = grad[i]!;
      const c = beta1 * m[i]! + (1 - beta1) * g;
      param[i] = param[i]! - lr * (Math.sign(c) + weightDecay * param[i]!);
      m[i] = beta2 * m[i]! + (1 - beta2) * g;
    }
  },
};
