import { WasmResidentPlan } from '@deltaflow/network';
import type { Sequential } from '@deltaflow/network';
import type { Optimizer } from '@deltaflow/optimizers';
import type { TrainOptions } from './options.js';
import { isPlainSgdOver } from './plain-sgd.js';

/**
 * The WebAssembly-resident plan of a run (see `WasmResidentPlan` of `@deltaflow/network`), or null when the run is
 * not covered: a built-in loss given by name, plain sgd (no momentum, no weight decay) over the model's own
 * parameters, no L1/L2 penalty, and no resume state (the plan's steps are not counted by the optimizer).
 */
export function residentPlan(
  model: Sequential,
  options: TrainOptions,
  optimizer: Optimizer,
  penalized: boolean,
  batchSize: number,
): WasmResidentPlan | null {
  const loss = options.loss ?? 'mse';
  if (typeof loss !== 'string' || penalized || options.resume || options.resumable) return null;
  if (!isPlainSgdOver(model, optimizer)) return null;
  return WasmResidentPlan.plan(model, loss, batchSize);
}
