import { TinySgdNetwork } from '@deltaflow/network';
import type { Sequential } from '@deltaflow/network';
import type { Optimizer } from '@deltaflow/optimizers';
import { isPlainSgdOver } from './plain-sgd.js';

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
  if (task !== 'classification' || !isPlainSgdOver(model, optimizer)) return null;
  return TinySgdNetwork.plan(model, rows);
}
