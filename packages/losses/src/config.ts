import { checkConfig } from '@deltaflow/core';
import type { LossConfig } from './loss.js';

/**
 * Merges `config` over `defaults` with the one config checker of `@deltaflow/core`: unknown keys (named with
 * a suggestion), values of another type and numbers that are not finite are refused.
 *
 * @param name - the loss name, for the message
 * @throws DeltaflowError `E_CONFIG` naming the offending key
 * @internal
 */
export function resolveConfig<C extends LossConfig>(name: string, defaults: C, config?: object): C {
  return checkConfig('loss', name, config, defaults);
}
