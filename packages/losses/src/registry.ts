import { DeltaflowError, Registry, lossEntryProblem } from '@deltaflow/core';
import { resolveConfig } from './config.js';
import { toLoss } from './to-loss.js';
import type { Loss, LossConfig, LossSpec } from './loss.js';

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
 * The loss registry: every name {@link getLoss} knows, the built-ins (source `'builtin'`) and those plugins
 * registered. Prefer `registerLoss` to `losses.register`: it accepts every plugin form and checks configs.
 *
 * @example
 * ```ts
 * losses.names();          // ['mse', 'mae', 'huber', 'binary-cross-entropy', 'cross-entropy', ...]
 * losses.source('huber');  // 'builtin'
 * ```
 * @category Registry
 */
export const losses: Registry<Loss, LossDefinition> = new Registry<Loss, LossDefinition>('loss', {
  shared: 'loss',
  check: lossEntryProblem,
  build: toFactory,
});

/**
 * What {@link registerLoss} accepts: a per-sample spec, a full {@link Loss}, or a {@link LossFactory}.
 *
 * @example
 * ```ts
 * const definitions: LossDefinition[] = [getLoss('mse'), { name: 'zero', defaults: {}, create: () => getLoss('mse') }];
 * ```
 * @category Registry
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each factory has its own config type
export type LossDefinition = LossSpec | LossFactory<any>;

/**
 * A parametrised loss as the registry keeps it: `create` receives `config` merged over `defaults`, after the
 * registry has refused unknown keys, values of the wrong type and numbers that are not finite.
 *
 * @example
 * ```ts
 * // the pinball loss of quantile regression: per sample E = sum_k max(q d_k, (q - 1) d_k), d_k = t_k - O_k
 * const quantile: LossFactory<{ q: number }> = {
 *   name: 'quantile',
 *   defaults: { q: 0.5 },
 *   create: ({ q }) => ({
 *     name: 'quantile',
 *     config: { q },
 *     f: (o, t) => {
 *       let E = 0;
 *       for (let k = 0; k < o.length; k++) E += Math.max(q * (t[k]! - o[k]!), (q - 1) * (t[k]! - o[k]!));
 *       return E;
 *     },
 *     df: (o, t, out) => {
 *       for (let k = 0; k < o.length; k++) out[k] = t[k]! > o[k]! ? -q : 1 - q;
 *     },
 *   }),
 * };
 * registerLoss(quantile, { source: 'my-plugin' });
 * getLoss({ name: 'quantile', config: { q: 0.9 } });
 * ```
 * @typeParam C - the config type
 * @category Registry
 */
export interface LossFactory<C extends LossConfig = LossConfig> {
  /** The registry name. */
  readonly name: string;
  /** Every config key with its default value; keys outside these are refused. */
  readonly defaults: C;
  /** Builds the loss, per sample or batch, from the full config. */
  create(config: C): LossSpec;
}

function isFactory(entry: object): entry is LossFactory {
  return 'create' in entry && typeof entry.create === 'function' && 'defaults' in entry;
}

/** A factory for a loss registered as a fixed instance: only its own config (or none) rebuilds it. */
function fixed(loss: Loss): (config?: object) => Loss {
  return (config) => {
    const asked = resolveConfig(loss.name, loss.config, config);
    for (const key of Object.keys(asked)) {
      if (asked[key] !== loss.config[key]) {
        throw new DeltaflowError(
          'E_CONFIG',
          `The loss '${loss.name}' was registered as a fixed instance, so its '${key}' cannot be set to ${JSON.stringify(asked[key])}; register a LossFactory to make it parametrised.`,
        );
      }
    }
    return loss;
  };
}

/** What `losses.create` calls for a (checked) definition. */
function toFactory(definition: LossDefinition): (config?: object) => Loss {
  if (isFactory(definition)) {
    const factory = definition;
    return (config) => toLoss(factory.create(resolveConfig(factory.name, factory.defaults, config)));
  }
  return fixed(toLoss(definition as LossSpec));
}

/**
 * Finds a loss by name, by `{ name, config }` (config merged over its defaults), or passes an instance through.
 *
 * @example
 * ```ts
 * getLoss('mse');
 * getLoss({ name: 'huber', config: { delta: 0.5 } });
 * getLoss(myLoss); // myLoss itself
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
