import { adamStep, initAdam, validateAdam } from './adam.js';
import type { AdamOptions, AdamState } from './adam.js';
import type { OptimizerRule } from './rule.js';

/**
 * AdamW, exactly as `torch.optim.AdamW`: Adam with decoupled weight decay, applied to W before the Adam step
 * instead of being added to the gradient. With g = dE/dW and step t:
 *
 * ```
 * W <- W - eta * lambda * W                  (that is, W <- W (1 - eta lambda))
 * m <- beta1 m + (1 - beta1) g
 * v <- beta2 v + (1 - beta2) g^2
 * if amsgrad:  vMax <- max(vMax, v),  and vMax is used for v below
 * W <- W - eta / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + epsilon)
 * ```
 *
 * Defaults: lr 0.001, beta1 0.9, beta2 0.999, eps 1e-8, weightDecay 0.01, amsgrad false. Same checks as
 * {@link adam}.
 *
 * @example
 * ```ts
 * const optimizer = new Optimizer(adamw, model.parameters(), { lr: 0.001, weightDecay: 0.05 });
 * ```
 * @category Optimizers
 */
export const adamw: OptimizerRule<AdamOptions, AdamState> = {
  name: 'adamw',
  defaults: { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, amsgrad: false },
  validate: (options) => validateAdam('adamw', options),
  init: initAdam,
  update(param, grad, state, options, step) {
    const decay = 1 - options.lr * options.weightDecay;
    if (decay !== 1) for (let i = 0; i < param.length; i++) param[i] = param[i]! * decay;
    adamStep(param, grad, state, options, step, 0);
  },
};
