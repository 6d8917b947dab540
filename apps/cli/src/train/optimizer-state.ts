import { createOptimizer } from '@deltaflow/optimizers';
import type { Optimizer, OptimizerStateDict } from '@deltaflow/optimizers';
import type { Sequential } from '@deltaflow/network';
import { DeltaflowError } from '@deltaflow/tensor';
import { CliError } from '../errors.js';

/** Whether an optimizer keeps state between steps (moments, a momentum buffer, ...) for these options. */
function isStateful(optimizer: Optimizer): boolean {
  return optimizer
    .stateDict()
    .states.some(({ state }) => Object.values(state).some((v) => typeof v === 'number' || v.length > 0));
}

/**
 * The optimizer of a run, built here (instead of by the trainer) when its state is saved or restored: with
 * `--init` from a model file whose `meta.optimizerState` is of the same optimizer, that state is restored (step
 * count and moments; the options are this run's, so flags given now win); else it starts afresh, and with
 * `--init` a stateful optimizer gets a one-line warning (`warning`). Undefined when neither is asked or needed:
 * the trainer then builds the optimizer as usual.
 *
 * @example
 * ```ts
 * const built = runOptimizer(model, 'adam', { lr: 0.01 }, { init: 'm.json', saved: undefined, save: true });
 * built?.warning; // 'the optimizer adam keeps state (...) that m.json does not have ...'
 * ```
 * @param saved - the `--init` file's `meta.optimizerState`, if any
 */
export function runOptimizer(
  model: Sequential,
  name: string,
  options: Record<string, number | boolean>,
  { init, saved, save }: { init?: string; saved?: unknown; save: boolean },
): { optimizer?: Optimizer; warning?: string } {
  if (init === undefined && !save) return {};
  const optimizer = createOptimizer(name, model.parameters(), options);
  const own = saved as Partial<OptimizerStateDict> | undefined;
  if (init !== undefined && typeof own === 'object' && own !== null && own.name === name) {
    try {
      optimizer.loadStateDict({ ...(own as OptimizerStateDict), options: { ...optimizer.options } });
    } catch (error) {
      if (error instanceof DeltaflowError)
        throw new CliError(
          `--init ${init}: its meta.optimizerState does not fit the model (${error.message.replace(/\.$/, '')}); save it again with --save-optimizer-state, or delete meta.optimizerState.`,
        );
      throw error;
    }
    return { optimizer };
  }
  const warning =
    init !== undefined && isStateful(optimizer)
      ? `the optimizer ${name} keeps state (step count, moments) that ${init} does not have${own ? ` for ${name}` : ''}, so it starts afresh and the run differs from an uninterrupted one; save with --save-optimizer-state to continue it.`
      : undefined;
  return save ? { optimizer, ...(warning ? { warning } : {}) } : warning ? { warning } : {};
}
