import type { Loss } from '@deltaflow/losses';
import type { Tensor } from '@deltaflow/tensor';
import type { ForwardPass } from './forward-pass.js';
import type { Sequential } from './sequential.js';

/** The pass {@link trainStep} uses when given none: one per model, made on its first step. */
const defaultPasses = new WeakMap<Sequential, ForwardPass>();

function defaultPass(model: Sequential): ForwardPass {
  let pass = defaultPasses.get(model);
  if (!pass) {
    pass = model.createPass();
    defaultPasses.set(model, pass);
  }
  return pass;
}

/**
 * One step of gradient descent on one batch, the whole algorithm of the lecture notes (`docs/guides/the-math.md`): zero the gradients, run
 * forward, compute E, backpropagate the deltas, let the optimizer update W and theta. Returns E before the
 * update. The optimizer is anything with `step()`, such as an `Optimizer` of `@deltaflow/optimizers`. The
 * forward pass goes into `pass` (by default one kept for `model`, made on the first step), so
 * inferences between steps change nothing.
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
  optimizer: { step(): void },
  pass: ForwardPass = defaultPass(model),
): number {
  model.zeroGrad();
  model.forward(inputs, pass);
  const error = model.loss(pass, targets, loss);
  model.backwardLoss(pass, targets, loss);
  optimizer.step();
  return error;
}
