import type { Sequential } from '@deltaflow/network';
import type { Optimizer } from '@deltaflow/optimizers';

/**
 * Whether `optimizer` is plain sgd (no momentum, no weight decay: W <- W - eta dE/dW) over exactly `model`'s own
 * parameters, their values and gradients: the update the WebAssembly training kernels make themselves.
 */
export function isPlainSgdOver(model: Sequential, optimizer: Optimizer): boolean {
  if (optimizer.name !== 'sgd') return false;
  const { momentum, weightDecay } = optimizer.options as { momentum?: number; weightDecay?: number };
  if ((momentum ?? 0) !== 0 || (weightDecay ?? 0) !== 0) return false;
  const own = model.parameters();
  const given = optimizer.parameters;
  if (own.length !== given.length) return false;
  for (let i = 0; i < own.length; i++) {
    if (own[i]!.value !== given[i]!.value || own[i]!.grad !== given[i]!.grad) return false;
  }
  return true;
}
