import { isAbsolute, resolve } from 'node:path';
import { activations } from '@deltaflow/activations';
import { losses } from '@deltaflow/losses';
import { optimizers } from '@deltaflow/optimizers';
import { installPlugin } from '@deltaflow/network';
import type { Plugin } from '@deltaflow/network';
import { loadPlugin } from '@deltaflow/network/node';
import { pluginRegistries } from '@deltaflow/core';
import type { PluginKind } from '@deltaflow/core';

/**
 * The tables of the built-ins. Importing their packages registers the built-ins, which must happen before any
 * plugin is installed: else a plugin's 'sgd' would be taken in a command that had not loaded the optimizers yet,
 * instead of being refused as a clash.
 */
export const BUILTIN_TABLES = [activations, losses, optimizers] as const;

/** Whether a `--plugin` value is a path (resolved from a directory) rather than a package name. */
export function isPathSpecifier(specifier: string): boolean {
  return specifier.startsWith('.') || isAbsolute(specifier) || /\.(m?js|ts)$/.test(specifier);
}

/** A plugin path given in a config file is relative to that file's directory. */
export function resolvePluginFrom(dir: string, specifier: string): string {
  return isPathSpecifier(specifier) ? resolve(dir, specifier) : specifier;
}

/** Whether this very plugin is installed already (main() run twice in one process, or named twice). */
function alreadyInstalled(plugin: Plugin): boolean {
  const entries: [PluginKind, unknown][] = [
    ['activation', plugin.activations],
    ['loss', plugin.losses],
    ['optimizer', plugin.optimizers],
  ];
  // a field that is not a list is left to installPlugin, which names it
  const names = entries.flatMap(([kind, list]) =>
    Array.isArray(list) ? list.map((e: { name?: unknown } | null) => [kind, e?.name] as const) : [],
  );
  return (
    names.length > 0 &&
    names.every(
      ([kind, name]) => typeof name === 'string' && pluginRegistries[kind].source(name) === plugin.name,
    )
  );
}

/**
 * Loads every `--plugin` module (a path or a package name, resolved from the working directory) and installs
 * it, so its activations, losses and optimizers work like the built-ins. A module named twice is installed once.
 *
 * @example
 * ```ts
 * // not-runnable: imports ./softsign.mjs
 * await loadPlugins(['./softsign.mjs']);
 * ```
 * @throws DeltaflowError `E_PLUGIN` when a module cannot be found, fails to load or is not a plugin;
 * `E_DUPLICATE` when it adds a name that is taken
 */
export async function loadPlugins(specifiers: readonly string[]): Promise<void> {
  for (const specifier of new Set(specifiers)) {
    const plugin = await loadPlugin(specifier, { cwd: process.cwd() });
    if (!alreadyInstalled(plugin)) installPlugin(plugin);
  }
}
