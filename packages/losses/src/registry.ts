import { DeltaflowError, Registry } from '@deltaflow/tensor';
import type { Loss, LossConfig } from './loss.js';

/**
 * The names of the built-in losses, so editors complete them.
 *
 * @example
 * ```ts
 * const name: BuiltinLossName = 'cross-entropy';
 * getLoss(name);
 * ```
 * @category Registry
 */
export type BuiltinLossName = 'mse' | 'mae' | 'huber' | 'binary-cross-entropy' | 'cross-entropy';

/**
 * A loss name: a built-in one, or any name a plugin registered.
 *
 * @example
 * ```ts
 * const names: LossName[] = ['mse', 'log-cosh']; // a built-in, and a plugin's
 * ```
 * @category Registry
 */
export type LossName = BuiltinLossName | (string & {});

/**
 * A loss as it is saved: its name and, for a parametrised loss, its config.
 *
 * @example
 * ```ts
 * lossToJSON(getLoss({ name: 'huber', config: { delta: 2 } })); // → { name: 'huber', config: { delta: 2 } }
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
 * ids.map((id) => getLoss(id).name); // → ['mse', 'huber', 'mae']
 * ```
 * @category Registry
 */
export type LossIdentifier = LossName | LossJSON | Loss;

/**
 * The loss registry: every name {@link getLoss} knows, the built-ins (source `'builtin'`) and those plugins
 * registered. Prefer `registerLoss` to `losses.register`: it accepts every plugin form and checks configs.
 *
 * @example
 * ```ts
 * losses.names();          // ['mse', 'mae', 'huber', 'binary-cross-entropy', 'cross-entropy', ...]
 * losses.source('huber');  // → 'builtin'
 * ```
 * @category Registry
 */
export const losses: Registry<Loss> = new Registry<Loss>('loss');

/**
 * Finds a loss by name, by `{ name, config }` (config merged over its defaults), or passes an instance through.
 *
 * @example
 * ```ts
 * getLoss('mse');
 * getLoss({ name: 'huber', config: { delta: 0.5 } });
 * const loss = getLoss('mse');
 * getLoss(loss) === loss; // an instance passes through → true
 * ```
 * @throws DeltaflowError `E_UNKNOWN` naming the registered losses; `E_CONFIG` naming an unknown config key
 * @category Registry
 */
export function getLoss(id: LossIdentifier): Loss {
  if (typeof id === 'string') return losses.create(id);
  if (typeof id !== 'object' || id === null) {
    throw new DeltaflowError(
      'E_INVALID',
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
 * lossToJSON(getLoss({ name: 'huber', config: { delta: 2 } })); // → { name: 'huber', config: { delta: 2 } }
 * lossToJSON(getLoss('mse'));                                   // → { name: 'mse' }
 * ```
 * @category Registry
 */
export function lossToJSON(loss: Loss): LossJSON {
  return Object.keys(loss.config).length > 0
    ? { name: loss.name, config: { ...loss.config } }
    : { name: loss.name };
}
