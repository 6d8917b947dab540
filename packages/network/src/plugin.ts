import { activations, registerActivation } from '@deltaflow/activations';
import type { ActivationDefinition } from '@deltaflow/activations';
import { losses, registerLoss } from '@deltaflow/losses';
import type { LossFactory, LossSpec } from '@deltaflow/losses';
import { optimizers, registerOptimizer } from '@deltaflow/optimizers';
import type { OptimizerRule } from '@deltaflow/optimizers';
import { DeltaflowError } from '@deltaflow/tensor';
import type { Registry } from '@deltaflow/tensor';

/**
 * A plugin: a plain object, usually the default export of an ES module, that adds activations, losses and
 * optimizers beside the built-in ones. Once installed, its names work everywhere a built-in's do: in code, in the
 * CLI (`--plugin`), in the dashboard, in model files and in the gradient check.
 *
 * @example
 * ```ts
 * export default definePlugin({
 *   name: 'my-plugin',
 *   activations: [{ name: 'softsign', f: (x) => x / (1 + Math.abs(x)), df: (x) => 1 / (1 + Math.abs(x)) ** 2 }],
 *   optimizers: [{
 *     name: 'signsgd', defaults: { lr: 0.01 }, init: () => ({}),
 *     update: (param, grad, _state, options) => {
 *       for (let i = 0; i < param.length; i++) param[i] -= options.lr * Math.sign(grad[i]);
 *     },
 *   }],
 * });
 * ```
 * @category Plugins
 */
export interface Plugin {
  /** The plugin's name, shown as the source of what it registers. */
  readonly name: string;
  /** Elementwise `{ name, f, df }`, full activations, or factories `{ name, defaults, create }`. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry has its own config type
  readonly activations?: readonly ActivationDefinition<any>[];
  /** Per-sample `{ name, f, df }`, full losses, or factories. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry has its own config type
  readonly losses?: readonly (LossSpec | LossFactory<any>)[];
  /** Per-parameter update rules. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each rule has its own option and state types
  readonly optimizers?: readonly OptimizerRule<any, any>[];
}

/**
 * Gives a plugin object its type, and nothing else: a plugin module may equally export the plain object.
 *
 * @example
 * ```ts
 * export default definePlugin({ name: 'tiny', activations: [{ name: 'cube', f: (x) => x ** 3, df: (x) => 3 * x * x }] });
 * ```
 * @category Plugins
 */
export function definePlugin<P extends Plugin>(plugin: P): P {
  return plugin;
}

/**
 * Options of {@link installPlugin}.
 *
 * @example
 * ```ts
 * installPlugin(myPlugin, { replace: true }); // its names replace those already registered
 * ```
 * @category Plugins
 */
export interface InstallPluginOptions {
  /** Replace entries of the same name instead of refusing the plugin. */
  replace?: boolean;
}

function checkList(
  plugin: Plugin,
  key: 'activations' | 'losses' | 'optimizers',
): readonly { name?: unknown }[] {
  const list = plugin[key] ?? [];
  if (!Array.isArray(list)) {
    throw new DeltaflowError('E_PLUGIN', `Plugin '${plugin.name}': ${key} must be an array.`);
  }
  list.forEach((entry: { name?: unknown } | null, i) => {
    if (typeof entry !== 'object' || entry === null || typeof entry.name !== 'string' || entry.name === '') {
      throw new DeltaflowError('E_PLUGIN', `Plugin '${plugin.name}': ${key}[${i}] has no name.`);
    }
  });
  return list as readonly { name?: unknown }[];
}

/**
 * Registers everything a plugin provides, with the plugin's name as the source. All names are checked first,
 * so a plugin whose names clash is refused whole, and nothing of it is half-installed.
 *
 * @example
 * ```ts
 * installPlugin(myPlugin); // e.g. the default export of './my-plugin.js', adding 'softsign'
 * mlp({ inputs: 2, layers: [{ units: 4, activation: 'softsign' }, { units: 1 }] });
 * ```
 * @throws DeltaflowError `E_PLUGIN` for a malformed plugin, `E_DUPLICATE` naming a clashing name
 * @category Plugins
 */
export function installPlugin(plugin: Plugin, options: InstallPluginOptions = {}): void {
  if (
    typeof plugin !== 'object' ||
    plugin === null ||
    typeof plugin.name !== 'string' ||
    plugin.name === ''
  ) {
    throw new DeltaflowError(
      'E_PLUGIN',
      'A plugin must be an object with a name (the default export of its module).',
    );
  }
  const tables: [string, readonly { name?: unknown }[], Registry<unknown>][] = [
    ['activation', checkList(plugin, 'activations'), activations as Registry<unknown>],
    ['loss', checkList(plugin, 'losses'), losses as Registry<unknown>],
    ['optimizer', checkList(plugin, 'optimizers'), optimizers as Registry<unknown>],
  ];
  if (!options.replace) {
    for (const [kind, list, registry] of tables) {
      for (const entry of list) {
        const name = entry.name as string;
        if (registry.has(name)) {
          throw new DeltaflowError(
            'E_DUPLICATE',
            `Plugin '${plugin.name}' adds the ${kind} '${name}', which ${registry.source(name)} already registered.`,
          );
        }
      }
    }
  }
  const register = { replace: options.replace ?? false, source: plugin.name };
  for (const entry of plugin.activations ?? []) registerActivation(entry, register);
  for (const entry of plugin.losses ?? []) registerLoss(entry, register);
  for (const entry of plugin.optimizers ?? []) registerOptimizer(entry, register);
}
