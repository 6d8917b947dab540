import { pluginRegistries } from '@deltaflow/core';
import type { PluginKind } from '@deltaflow/core';

/**
 * Which plugin provided each name a model file uses, by kind: `meta.plugins` of a saved model, e.g.
 * `{ activation: { isru: '@acme/deltaflow-isru' }, optimizer: { adabelief: 'adabelief-plugin' } }`. A plugin
 * made by the generator is named after its package, so the value is what `--plugin` (or `installPlugin` of the
 * package's default export) takes to load the name again. Built-in names are left out.
 *
 * @example
 * ```ts
 * const plugins: PluginSources = { activation: { mish: '@deltaflow/plugin-activations' } };
 * ```
 * @category Model file
 */
export type PluginSources = Partial<Record<PluginKind, Record<string, string>>>;

/**
 * The plugins that provided `names` (activation, loss and optimizer names a model uses), as a model file's
 * `meta.plugins` records them; undefined when every name is a built-in's (or unknown).
 *
 * @example
 * ```ts
 * pluginSources({ activation: ['sigmoid'], loss: ['mse'], optimizer: ['sgd'] }); // → undefined
 * installPlugin({ name: '@acme/deltaflow-cube', activations: [{ name: 'cube', f: (x) => x ** 3, df: (x) => 3 * x * x }] });
 * pluginSources({ activation: ['sigmoid', 'cube'] }); // → { activation: { cube: '@acme/deltaflow-cube' } }
 * ```
 * @param names - the names the model uses, by kind
 * @returns the plugin of every name not built in, by kind
 * @category Model file
 */
export function pluginSources(
  names: Partial<Record<PluginKind, readonly string[]>>,
): PluginSources | undefined {
  const found: PluginSources = {};
  for (const kind of ['activation', 'loss', 'optimizer'] as const) {
    for (const name of names[kind] ?? []) {
      const source = pluginRegistries[kind].source(name);
      if (source === undefined || source === 'builtin') continue;
      (found[kind] ??= {})[name] = source;
    }
  }
  return Object.keys(found).length > 0 ? found : undefined;
}

/**
 * The plugin a model file's `meta.plugins` names for `name`, if any: what to load before the file can be read.
 *
 * @param meta - the file's meta (anything)
 * @param kind - `activation`, `loss` or `optimizer`
 * @param name - the name that is not registered
 */
export function recordedPlugin(meta: unknown, kind: PluginKind, name: string): string | undefined {
  if (typeof meta !== 'object' || meta === null) return undefined;
  const plugins = (meta as { plugins?: unknown }).plugins;
  if (typeof plugins !== 'object' || plugins === null) return undefined;
  const byName = (plugins as Record<string, unknown>)[kind];
  if (typeof byName !== 'object' || byName === null || !Object.hasOwn(byName, name)) return undefined;
  const source = (byName as Record<string, unknown>)[name];
  return typeof source === 'string' && source !== '' ? source : undefined;
}
