import { allocate, getBackend } from '@deltaflow/tensor';
import type { TypedArray } from '@deltaflow/tensor';
import { checkOption, checkRange } from './options.js';
import type { OptimizerRule } from './rule.js';

/**
 * Options of {@link sgd}, named as in `torch.optim.SGD` (camelCase).
 *
 * @example
 * ```ts
 * const options: SgdOptions = { lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: true };
 * ```
 * @category Optimizers
 */
export type SgdOptions = {
  /** eta, the learning rate (default 0.001, torch's). */
  lr: number;
  /** mu, the momentum factor (default 0: no momentum buffer). */
  momentum: number;
  /** tau, dampening of the gradient added to the momentum buffer (default 0). */
  dampening: number;
  /** lambda, L2 penalty added to the gradient: g = dE/dW + lambda W (default 0). */
  weightDecay: number;
  /** Nesterov momentum (default false); needs momentum > 0 and dampening 0. */
  nesterov: boolean;
};

/**
 * State of one parameter under {@link sgd}: the momentum buffer b (empty when momentum is 0).
 *
 * @example
 * ```ts
 * const { momentumBuffer } = optimizer.stateOf('layers.0.weights') as SgdState;
 * ```
 * @category Optimizers
 */
export type SgdState = {
  /** b, the momentum buffer (length 0 when momentum is 0). */
  momentumBuffer: TypedArray;
};

/**
 * Stochastic gradient descent, optionally with momentum, exactly as `torch.optim.SGD`. With g = dE/dW and step t:
 *
 * ```
 * if lambda != 0:  g <- g + lambda W
 * if mu != 0:      b <- g                          (t = 1)
 *                  b <- mu b + (1 - tau) g          (t > 1)
 *                  g <- g + mu b   if nesterov,  else  g <- b
 * W <- W - eta * g
 * ```
 *
 * With no momentum and no weight decay this is the lecture notes' rule W <- W - eta * dE/dW. Defaults: lr 0.001,
 * momentum 0, dampening 0, weightDecay 0, nesterov false. Refuses negative lr, momentum or weightDecay, and
 * nesterov without momentum or with dampening.
 *
 * @example
 * ```ts
 * const optimizer = new Optimizer(sgd, model.parameters(), { lr: 0.5, momentum: 0.9 });
 * optimizer.step();
 * ```
 * @category Optimizers
 */
export const sgd: OptimizerRule<SgdOptions, SgdState> = {
  name: 'sgd',
  defaults: { lr: 0.001, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false },

  validate(options) {
    checkRange('sgd', 'momentum', options.momentum, 0);
    checkRange('sgd', 'weightDecay', options.weightDecay, 0);
    checkOption(
      !options.nesterov || (options.momentum > 0 && options.dampening === 0),
      `sgd: nesterov needs momentum > 0 and dampening = 0 (got momentum ${options.momentum}, dampening ${options.dampening}); set momentum or turn nesterov off.`,
    );
  },

  init(size, options, dtype) {
    return { momentumBuffer: allocate(dtype, options.momentum !== 0 ? size : 0) };
  },

  update(param, grad, state, options, step) {
    const { lr, momentum, weightDecay } = options;
    if (momentum === 0 && weightDecay === 0) {
      // The lecture notes' rule, with the option tests hoisted out of the loop: the backend's sgd step (an
      // unrolled loop, or f64x2 WebAssembly SIMD on float32), bit for bit the expression param - lr * grad.
      getBackend().sgdStep(param, grad, lr);
      return;
    }
    // torch's general algorithm, in the backend (f64x2 WebAssembly SIMD on float32), bit for bit the loop
    // g = grad + lambda W; b = mu b + (1 - tau) g (stored); g = nesterov ? g + mu b : b; W = W - eta g.
    getBackend().sgdMomentumStep(param, grad, state.momentumBuffer, options, step === 1);
  },
};
