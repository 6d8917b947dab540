import { TinySgdNetwork } from '@deltaflow/network';
import type { Sequential } from '@deltaflow/network';
import type { Optimizer } from '@deltaflow/optimizers';

/**
 * The whole-epoch WebAssembly kernel of a lean run (see `TinySgdNetwork` of `@deltaflow/network`), or null when
 * the run is not covered: a classification task (the kernel counts the accuracy), plain sgd (no momentum, no
 * weight decay) over the model's own parameters, and a model the kernel takes. The caller has checked the rest
 * (the lean conditions: one batch of in-memory data per epoch on the fused path, mse, no penalty, nothing else to
 * measure, no resumable state, which is why the optimizer's step count, not advanced by the kernel, is never read).
 */
export function tinyPlan(
  model: Sequential,
  optimizer: Optimizer,
  rows: number,
  task: 'classification' | 'regression',
): TinySgdNetwork | null {
  if (task !== 'classification' || optimizer.name !== 'sgd') return null;
  const { momentum, weightDecay } = optimizer.options as { momentum?: number; weightDecay?: number };
  if ((momentum ?? 0) !== 0 || (weightDecay ?? 0) !== 0) return null;
  const own = model.parameters();
  const given = optimizer.parameters;
  if (own.length !== given.length) return null;
  for (let i = 0; i < own.length; i++) {
    if (own[i]!.value !== given[i]!.value || own[i]!.grad !== given[i]!.grad) return null;
  }
  return TinySgdNetwork.plan(model, rows);
}
