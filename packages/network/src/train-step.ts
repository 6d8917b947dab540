import type { Loss } from '@deltaflow/losses';
import type { Optimizer } from '@deltaflow/optimizers';
import type { Tensor } from '@deltaflow/tensor';
import type { Sequential } from './sequential.js';

/**
 * One step of gradient descent on one batch, the whole algorithm of BACKPROP.md: zero the gradients, run
 * forward, compute E, backpropagate the deltas, let the optimizer update W and theta. Returns E before the
 * update.
 *
 * @example
 * ```ts
 * import { getLoss } from '@deltaflow/losses';
 * import { createOptimizer } from '@deltaflow/optimizers';
 *
 * const optimizer = createOptimizer('sgd', model.parameters(), { lr: 0.5 });
 * for (let epoch = 0; epoch < 1000; epoch++) trainStep(model, inputs, targets, getLoss('mse'), optimizer);
 * ```
 * @category Network
 */
export function trainStep(
  model: Sequential,
  inputs: Tensor,
  targets: Tensor,
  loss: Loss,
  optimizer: Optimizer,
): number {
  model.zeroGrad();
  model.forward(inputs);
  const error = model.loss(targets, loss);
  model.backwardLoss(targets, loss);
  optimizer.step();
  return error;
}
