import { allocate } from '@deltaflow/tensor';
import type { TypedArray } from '@deltaflow/tensor';
import { checkRange } from './options.js';
import type { OptimizerRule } from './rule.js';

/**
 * Options of {@link rmsprop}, named as in `torch.optim.RMSprop` (camelCase).
 *
 * @example
 * ```ts
 * const options: RmspropOptions = { lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false };
 * ```
 * @category Optimizers
 */
export type RmspropOptions = {
  /** eta, the learning rate (default 0.01). */
  lr: number;
  /** alpha, the smoothing constant of the squared-gradient average (default 0.99). */
  alpha: number;
  /** epsilon, added to the denominator (default 1e-8). */
  eps: number;
  /** lambda, L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** mu, the momentum factor (default 0). */
  momentum: number;
  /** Divide by an estimate of the gradient's variance instead of its raw second moment (default false). */
  centered: boolean;
};

/**
 * State of one parameter under {@link rmsprop}: the square average v, the momentum buffer b (empty unless
 * momentum > 0) and the gradient average (empty unless centered).
 *
 * @example
 * ```ts
 * const { squareAvg } = optimizer.stateOf('layers.0.weights') as RmspropState;
 * ```
 * @category Optimizers
 */
export type RmspropState = {
  /** v, the running average of g^2. */
  squareAvg: TypedArray;
  /** b, the momentum buffer (length 0 unless momentum > 0). */
  momentumBuffer: TypedArray;
  /** gAvg, the running average of g (length 0 unless centered). */
  gradAvg: TypedArray;
};

/**
 * RMSprop, exactly as `torch.optim.RMSprop`. With g = dE/dW:
 *
 * ```
 * if lambda != 0:  g <- g + lambda W
 * v <- alpha v + (1 - alpha) g^2;  v~ <- v
 * if centered:     gAvg <- alpha gAvg + (1 - alpha) g;  v~ <- v~ - gAvg^2
 * if mu > 0:       b <- mu b + g / (sqrt(v~) + epsilon);  W <- W - eta * b
 * else:            W <- W - eta * g / (sqrt(v~) + epsilon)
 * ```
 *
 * Defaults: lr 0.01, alpha 0.99, eps 1e-8, weightDecay 0, momentum 0, centered false. Refuses negative lr, alpha,
 * eps, momentum or weightDecay.
 *
 * @example
 * ```ts
 * const optimizer = new Optimizer(rmsprop, model.parameters(), { momentum: 0.9, centered: true });
 * ```
 * @category Optimizers
 */
export const rmsprop: OptimizerRule<RmspropOptions, RmspropState> = {
  name: 'rmsprop',
  defaults: { lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false },

  validate(options) {
    checkRange('rmsprop', 'eps', options.eps, 0);
    checkRange('rmsprop', 'momentum', options.momentum, 0);
    checkRange('rmsprop', 'weightDecay', options.weightDecay, 0);
    checkRange('rmsprop', 'alpha', options.alpha, 0);
  },

  init(size, options, dtype) {
    return {
      squareAvg: allocate(dtype, size),
      momentumBuffer: allocate(dtype, options.momentum > 0 ? size : 0),
      gradAvg: allocate(dtype, options.centered ? size : 0),
    };
  },

  update(param, grad, state, options) {
    const { lr, alpha, eps, weightDecay, momentum, centered } = options;
    const { squareAvg: v, momentumBuffer: b, gradAvg } = state;
    for (let i = 0; i < param.length; i++) {
      const g = weightDecay !== 0 ? grad[i]! + weightDecay * param[i]! : grad[i]!;
      v[i] = alpha * v[i]! + (1 - alpha) * g * g;
      let vTilde = v[i]!;
      if (centered) {
        gradAvg[i] = alpha * gradAvg[i]! + (1 - alpha) * g;
        vTilde -= gradAvg[i]! * gradAvg[i]!;
      }
      const denominator = Math.sqrt(vTilde) + eps;
      if (momentum > 0) {
        b[i] = momentum * b[i]! + g / denominator;
        param[i] = param[i]! - lr * b[i]!;
      } else {
        param[i] = param[i]! - lr * (g / denominator);
      }
    }
  },
};
