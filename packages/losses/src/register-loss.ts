import type { LossConfig, LossSpec } from './loss.js';
import { losses } from './registry.js';
import type { LossDefinition, LossFactory } from './registry.js';

/**
 * Options of {@link registerLoss}.
 *
 * @example
 * ```ts
 * registerLoss(logCosh, { source: 'my-plugin' }); // shown as its source by `deltaflow plugins`
 * registerLoss(logCosh, { replace: true }); // replaces, instead of refusing the name
 * ```
 * @category Registry
 */
export interface RegisterLossOptions {
  /** Allow replacing a loss already registered under the same name. */
  readonly replace?: boolean;
  /** Where it comes from: a plugin's name, `'builtin'` for the built-ins; `'user'` when left out. */
  readonly source?: string;
}

/**
 * Registers a loss under its name, in any of the forms a plugin may give: a per-sample spec (`f`, `df`), a full
 * {@link Loss}, or a {@link LossFactory} (`defaults`, `create`) for a parametrised one.
 *
 * @example
 * ```ts
 * registerLoss(logCosh, { source: 'my-plugin' }); // the PerSampleLossSpec example
 * getLoss('log-cosh').forward(output, target);
 * registerLoss({ ...logCosh, f: myFasterF }, { replace: true });
 * ```
 * @param entry - the loss, or a factory for it
 * @param options - `replace` to overwrite a registered name, `source` to say where it came from
 * @throws DeltaflowError `E_DUPLICATE` if the name is taken and `replace` is not set; `E_DEFINITION` for an entry
 * that is none of the three forms
 * @category Registry
 */
export function registerLoss<C extends LossConfig>(
  entry: LossSpec | LossFactory<C>,
  options: RegisterLossOptions = {},
): void {
  const name = (entry as { name?: unknown } | null)?.name;
  losses.register(typeof name === 'string' ? name : '', entry as LossDefinition, options);
}
