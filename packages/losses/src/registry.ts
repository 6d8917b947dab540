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
    return (config) => {
      const resolved = resolveConfig(factory.name, factory.defaults, config);
      const built = factory.create(resolved) as LossSpec | null;
      // `{ f, df }` alone is named after the factory and keeps the config it was built from
      const named =
        typeof built === 'object' && built !== null && !('forward' in built) && !built.name
          ? ({ ...built, name: factory.name, config: built.config ?? resolved } as LossSpec)
          : built;
      return toLoss(named as LossSpec);
    };
  }
  return fixed(toLoss(definition as LossSpec));
}

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
 * registerLoss({ ...logCosh, f: (o, t) => logCosh.f(o, t) }, { replace: true }); // a new f, same name
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
