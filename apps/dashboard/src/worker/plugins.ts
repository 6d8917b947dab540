import { activations } from '@deltaflow/activations';
import { definePlugin, installPlugin } from '@deltaflow/network';
import type { Plugin } from '@deltaflow/network';

/**
 * An example plugin, built as a third party would: softsign, x / (1 + |x|), whose derivative is 1 / (1 + |x|)^2.
 * It shows up in the activation selector next to the built-ins.
 * @category Plugins
 */
export const softsignPlugin = definePlugin({
  name: 'dashboard-softsign',
  activations: [
    {
      name: 'softsign',
      f: (x: number) => x / (1 + Math.abs(x)),
      df: (x: number) => 1 / (1 + Math.abs(x)) ** 2,
    },
  ],
});

/**
 * The plugins the standalone page trains with. Add yours here (import its module's default export): its
 * activations, losses and optimizers then appear in the selectors.
 * @category Plugins
 */
export const DASHBOARD_PLUGINS: readonly Plugin[] = [softsignPlugin];

/** Installs {@link DASHBOARD_PLUGINS} once; a plugin whose names are already registered is skipped. */
export function installDashboardPlugins(): void {
  for (const plugin of DASHBOARD_PLUGINS) {
    if (plugin.activations?.every((a) => activations.has(a.name))) continue;
    installPlugin(plugin);
  }
}

/**
 * Imports plugin modules by URL (a plugin's default export, as for `deltaflow --plugin`) and installs them.
 * Returns one sentence per plugin that failed; the others are installed.
 *
 * @example
 * ```ts
 * const failures = await installPluginUrls(['https://example.test/softsign.mjs']);
 * ```
 * @category Plugins
 */
export async function installPluginUrls(urls: readonly string[]): Promise<string[]> {
  const failures: string[] = [];
  for (const url of urls) {
    try {
      const module = (await import(/* @vite-ignore */ url)) as { default?: Plugin };
      installPlugin((module.default ?? module) as Plugin);
    } catch (error) {
      failures.push(`The plugin ${url} could not be installed: ${(error as Error).message}`);
    }
  }
  return failures;
}
