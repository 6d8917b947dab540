import { DeltaflowError } from '@deltaflow/tensor';
import type { EarlyStoppingOptions } from '../options.js';

/**
 * Early stopping as a run description gives it: `true` (every setting at its default) or the settings, each
 * optional: `patience` (default {@link EARLY_STOPPING_DEFAULTS}' 10 epochs), `minDelta` (0), `restoreBest`
 * (false) and `monitor` (the validation loss when there is validation data, else the training loss).
 *
 * @example
 * ```ts
 * const earlyStopping: EarlyStoppingChoice = { patience: 20, minDelta: 1e-4, restoreBest: true };
 * ```
 * @category Recipe
 */
export type EarlyStoppingChoice = boolean | Partial<EarlyStoppingOptions>;

/**
 * The default of early stopping's patience: 10 epochs without an improvement.
 *
 * @example
 * ```ts
 * EARLY_STOPPING_DEFAULTS.patience; // → 10
 * ```
 * @category Recipe
 */
export const EARLY_STOPPING_DEFAULTS = Object.freeze({ patience: 10, minDelta: 0 });

const fail = (message: string): never => {
  throw new DeltaflowError('E_OPTION', message);
};

/**
 * The early-stopping options of `train()` for a run description's `earlyStopping`, checked: undefined when off.
 *
 * @example
 * ```ts
 * earlyStoppingOf(true); // → { patience: 10, minDelta: 0 }
 * earlyStoppingOf({ patience: 3, restoreBest: true }); // → { patience: 3, minDelta: 0, restoreBest: true }
 * ```
 * @param choice - the description's `earlyStopping`
 * @throws DeltaflowError `E_OPTION` naming the bad setting
 * @category Recipe
 */
export function earlyStoppingOf(choice: EarlyStoppingChoice | undefined): EarlyStoppingOptions | undefined {
  if (choice === undefined || choice === false) return undefined;
  if (choice !== true && (typeof choice !== 'object' || choice === null)) {
    fail(
      `\`earlyStopping\` must be true or { patience, minDelta, restoreBest }, got ${JSON.stringify(choice)}.`,
    );
  }
  const given = choice === true ? {} : (choice as Partial<EarlyStoppingOptions>);
  const patience = given.patience ?? EARLY_STOPPING_DEFAULTS.patience;
  const minDelta = given.minDelta ?? EARLY_STOPPING_DEFAULTS.minDelta;
  if (!(Number.isInteger(patience) && patience >= 1))
    fail(`\`patience\` must be a whole number of epochs >= 1, got ${String(patience)}.`);
  if (!(typeof minDelta === 'number' && Number.isFinite(minDelta) && minDelta >= 0))
    fail(`\`minDelta\` must be a number >= 0, got ${String(minDelta)}.`);
  if (given.restoreBest !== undefined && typeof given.restoreBest !== 'boolean')
    fail(`\`restoreBest\` must be true or false, got ${JSON.stringify(given.restoreBest)}.`);
  if (given.monitor !== undefined && given.monitor !== 'loss' && given.monitor !== 'valLoss')
    fail(`\`earlyStopping\` monitor must be loss or valLoss, got ${JSON.stringify(given.monitor)}.`);
  return {
    patience,
    minDelta,
    ...(given.restoreBest ? { restoreBest: true } : {}),
    ...(given.monitor ? { monitor: given.monitor } : {}),
  };
}
