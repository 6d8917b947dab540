import { pluginRegistries } from '@deltaflow/core';
import { UsageError } from '../errors.js';
import { orList } from './check-flags.js';

/** The train flags that set an optimizer option, by the option's name. */
const OPTIMIZER_FLAGS = {
  lr: '--lr',
  momentum: '--momentum',
  nesterov: '--nesterov',
  weightDecay: '--weight-decay',
} as const;

type OptimizerFlagKey = keyof typeof OPTIMIZER_FLAGS;

/** The option names the optimizer `name` accepts (its rule's defaults), or undefined when it is not registered. */
function optionsOf(name: string): string[] | undefined {
  const rule = pluginRegistries.optimizer.definition(name);
  return rule ? Object.keys(rule.defaults) : undefined;
}

/**
 * Refuses an optimizer flag the chosen `--optimizer` does not take, in flags: which of the optimizer flags it
 * takes, and which optimizers take the refused one. The optimizer must be registered (built-ins and `--plugin`
 * modules are installed first).
 *
 * @example
 * ```ts
 * import '@deltaflow/optimizers'; // registers the built-in optimizers
 *
 * checkOptimizerFlags({ optimizer: 'adam', lr: 0.01 }); // fine
 * try {
 *   checkOptimizerFlags({ optimizer: 'adam', momentum: 0.9 });
 * } catch (error) {
 *   (error as Error).message; // → '--momentum does not apply to --optimizer adam, which takes --lr and --weight-decay; --momentum is for sgd and rmsprop.'
 * }
 * ```
 * @param request - the optimizer's name and the optimizer flags given
 * @throws UsageError naming the flag, the optimizer and the flags it takes
 */
export function checkOptimizerFlags(
  request: { optimizer: string } & Partial<Record<OptimizerFlagKey, unknown>>,
): void {
  const accepted = optionsOf(request.optimizer);
  if (!accepted) return;
  const keys = Object.keys(OPTIMIZER_FLAGS) as OptimizerFlagKey[];
  for (const key of keys) {
    if (request[key] === undefined || accepted.includes(key)) continue;
    const flag = OPTIMIZER_FLAGS[key];
    const takes = keys.filter((k) => accepted.includes(k)).map((k) => OPTIMIZER_FLAGS[k]);
    const others = pluginRegistries.optimizer.names().filter((name) => optionsOf(name)?.includes(key));
    throw new UsageError(
      `${flag} does not apply to --optimizer ${request.optimizer}, which takes ${
        takes.length ? orList(takes, 'and') : 'none of the optimizer flags'
      }${others.length ? `; ${flag} is for ${orList(others, 'and')}` : ''}.`,
    );
  }
}
