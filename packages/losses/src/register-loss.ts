import { DeltaflowError } from '@deltaflow/tensor';
import { resolveConfig } from './config.js';
import type { Loss, LossConfig, LossSpec } from './loss.js';
import { losses } from './registry.js';
import { toLoss } from './to-loss.js';

/**
 * A parametrised loss as the registry keeps it: `create` receives `config` merged over `defaults`, after the
 * registry has refused unknown keys and values of the wrong type.
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

/**
 * Registers a loss under its name, in any of the forms a plugin may give: a per-sample spec (`f`, `df`), a full
 * {@link Loss}, or a {@link LossFactory} (`defaults`, `create`) for a parametrised one.
 *
 * @example
 * ```ts
 * registerLoss(logCosh, { source: 'my-plugin' }); // the PerSampleLossSpec example
 * getLoss('log-cosh').forward(output, target);
 * registerLoss(logCosh, { replace: true }); // a new version of it replaces the old one
 * ```
 * @param entry - the loss, or a factory for it
 * @param options - `replace` to overwrite a registered name, `source` to say where it came from
 * @throws DeltaflowError `E_DUPLICATE` if the name is taken and `replace` is not set; `E_INVALID` for an entry
 * that is none of the three forms
 * @category Registry
 */
export function registerLoss<C extends LossConfig>(
  entry: LossSpec | LossFactory<C>,
  options: RegisterLossOptions = {},
): void {
  if (isFactory(entry)) {
    const factory = entry as LossFactory<C>;
    const name = checkName(factory.name);
    losses.register(
      name,
      (config) => toLoss(factory.create(resolveConfig(name, factory.defaults, config))),
      options,
    );
    return;
  }
  const loss = toLoss(entry);
  losses.register(checkName(loss.name), fixed(loss), options);
}

function checkName(name: unknown): string {
  if (typeof name !== 'string' || name === '') {
    throw new DeltaflowError(
      'E_INVALID',
      `A loss needs a non-empty string name, not ${JSON.stringify(name)}.`,
    );
  }
  return name;
}
