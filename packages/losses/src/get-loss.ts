import { DeltaflowError } from '@deltaflow/core';
import type { Loss, LossConfig } from './loss.js';
import { losses } from './registry.js';
import type { LossName } from './registry.js';

/**
 * A loss as it is saved: its name and, for a parametrised loss, its config.
 *
 * @example
 * ```ts
 * lossToJSON(getLoss({ name: 'huber', config: { delta: 2 } })); // { name: 'huber', config: { delta: 2 } }
 * ```
 * @category Registry
 */
export interface LossJSON {
  /** The registry name. */
  readonly name: LossName;
  /** The parameters, merged over the loss's defaults; left out when there are none. */
  readonly config?: LossConfig;
}

/**
 * What {@link getLoss} accepts: a name, a `{ name, config }`, or a {@link Loss} instance (passed through).
 *
 * @example
 * ```ts
 * const ids: LossIdentifier[] = ['mse', { name: 'huber', config: { delta: 2 } }, mae()];
 * ids.map((id) => getLoss(id).name); // ['mse', 'huber', 'mae']
 * ```
 * @category Registry
 */
export type LossIdentifier = LossName | LossJSON | Loss;

/**
 * Finds a loss by name, by `{ name, config }` (config merged over its defaults), or passes an instance through.
 *
 * @example
 * ```ts
 * getLoss('mse');
 * getLoss({ name: 'huber', config: { delta: 0.5 } });
 * const mse = getLoss('mse');
 * getLoss(mse) === mse; // → true
 * ```
 * @throws DeltaflowError `E_UNKNOWN` naming the registered losses; `E_CONFIG` naming an unknown config key
 * @category Registry
 */
export function getLoss(id: LossIdentifier): Loss {
  if (typeof id === 'string') return losses.create(id);
  if (typeof id !== 'object' || id === null) {
    throw new DeltaflowError(
      'E_DEFINITION',
      `A loss is given by a name, a { name, config } or a Loss, not ${JSON.stringify(id)}.`,
    );
  }
  if ('forward' in id && typeof id.forward === 'function') return id;
  return losses.create(id.name, id.config);
}

/**
 * What to save of a loss, `{ name, config }`, so {@link getLoss} rebuilds it; `config` is left out when empty.
 *
 * @example
 * ```ts
 * lossToJSON(getLoss({ name: 'huber', config: { delta: 2 } })); // { name: 'huber', config: { delta: 2 } }
 * lossToJSON(getLoss('mse'));                                   // { name: 'mse' }
 * ```
 * @category Registry
 */
export function lossToJSON(loss: Loss): LossJSON {
  return Object.keys(loss.config).length > 0
    ? { name: loss.name, config: { ...loss.config } }
    : { name: loss.name };
}
