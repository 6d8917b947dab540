import { allocate } from '@deltaflow/tensor';
import type { TypedArray } from '@deltaflow/tensor';
import { checkRange } from './options.js';
import type { OptimizerRule } from './rule.js';

/**
 * Options of {@link adagrad}, named as in `torch.optim.Adagrad` (camelCase).
 *
 * @example
 * ```ts
 * const options: AdagradOptions = { lr: 0.01, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10 };
 * ```
 * @category Optimizers
 */
export type AdagradOptions = {
  /** eta, the learning rate (default 0.01). */
  lr: number;
  /** eta_decay: step t uses eta / (1 + (t - 1) eta_decay) (default 0). */
  lrDecay: number;
  /** lambda, L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** tau, the starting value of the sum of squared gradients (default 0). */
  initialAccumulatorValue: number;
  /** epsilon, added to the denominator (default 1e-10). */
  eps: number;
};

/**
 * State of one parameter under {@link adagrad}: the running sum of squared gradients.
 *
 * @example
 * ```ts
 * const { sum } = optimizer.stateOf('layers.0.weights') as AdagradState;
 * ```
 * @category Optimizers
 */
export type AdagradState = {
  /** The sum of g^2 over the steps so far, plus initialAccumulatorValue. */
  sum: TypedArray;
};

/**
 * Adagrad, exactly as `torch.optim.Adagrad`. With g = dE/dW and step t:
 *
 * ```
 * eta~ <- eta / (1 + (t - 1) eta_decay)
 * if lambda != 0:  g <- g + lambda W
 * sum <- sum + g^2                             (sum starts at tau, initialAccumulatorValue)
 * W <- W - eta~ * g / (sqrt(sum) + epsilon)
 * ```
 *
 * Defaults: lr 0.01, lrDecay 0, weightDecay 0, initialAccumulatorValue 0, eps 1e-10. Refuses negative values of
 * any of them.
 *
 * @example
 * ```ts
 * const optimizer = new Optimizer(adagrad, model.parameters(), { lr: 0.1, lrDecay: 0.01 });
 * ```
 * @category Optimizers
 */
export const adagrad: OptimizerRule<AdagradOptions, AdagradState> = {
  name: 'adagrad',
  defaults: { lr: 0.01, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10 },

  validate(options) {
    checkRange('adagrad', 'lrDecay', options.lrDecay, 0);
    checkRange('adagrad', 'weightDecay', options.weightDecay, 0);
    checkRange('adagrad', 'initialAccumulatorValue', options.initialAccumulatorValue, 0);
    checkRange('adagrad', 'eps', options.eps, 0);
  },

  init(size, options, dtype) {
    const sum = allocate(dtype, size);
    if (options.initialAccumulatorValue !== 0) sum.fill(options.initialAccumulatorValue);
    return { sum };
  },

  update(param, grad, state, options, step) {
    const { lr, lrDecay, weightDecay, eps } = options;
    const { sum } = state;
    const clr = lr / (1 + (step - 1) * lrDecay);
    for (let i = 0; i < param.length; i++) {
      const g = weightDecay !== 0 ? grad[i]! + weightDecay * param[i]! : grad[i]!;
      sum[i] = sum[i]! + g * g;
      param[i] = param[i]! - clr * (g / (Math.sqrt(sum[i]!) + eps));
    }
  },
};
