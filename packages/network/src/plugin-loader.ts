import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DeltaflowError } from '@deltaflow/core';
import type { Plugin } from './plugin.js';

const looksLikePath = (specifier: string): boolean =>
  specifier.startsWith('.') || isAbsolute(specifier) || /\.(m?js|ts)$/.test(specifier);

/** Turns a path or package name into a URL to import, relative to `cwd`. */
function locate(specifier: string, cwd: string): string {
  if (looksLikePath(specifier)) {
    const path = resolve(cwd, specifier);
    if (!existsSync(path)) {
      throw new DeltaflowError(
        'E_PLUGIN',
        `Cannot find the plugin module ${specifier} (looked for ${path}).`,
      );
    }
    return pathToFileURL(path).href;
  }
  try {
    return pathToFileURL(createRequire(join(cwd, 'package.json')).resolve(specifier)).href;
  } catch {
    throw new DeltaflowError(
      'E_PLUGIN',
      `Cannot find the plugin package '${specifier}'; install it (npm install ${specifier}) or give a path to the module.`,
    );
  }
}

/**
 * Imports a plugin module (a path, or a package name resolved from `cwd`) and returns its plugin: the default
 * export, or the module itself when it exports the plugin's fields by name. Install it with `installPlugin`.
 * Node only (`@deltaflow/network/node`); in a browser, import the module yourself and install its default export.
 *
 * @example
 * ```ts
 * // not-runnable: imports ./my-plugin.js
 * installPlugin(await loadPlugin('./my-plugin.js'));
 * ```
 * @throws DeltaflowError `E_PLUGIN` naming the module when it cannot be found, fails to load, or is not a plugin
 * @category Plugins
 */
export async function loadPlugin(specifier: string, options: { cwd?: string } = {}): Promise<Plugin> {
  const url = locate(specifier, options.cwd ?? process.cwd());
  let module: Record<string, unknown>;
  try {
    module = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    throw new DeltaflowError(
      'E_PLUGIN',
      `The plugin module ${specifier} failed to load: ${(error as Error).message}`,
    );
  }
  const plugin = (module.default ?? module) as Plugin;
  if (typeof plugin !== 'object' || plugin === null || typeof plugin.name !== 'string') {
    throw new DeltaflowError(
      'E_PLUGIN',
      `The module ${specifier} is not a deltaflow plugin: its default export must be an object with a name (see definePlugin).`,
    );
  }
  return plugin;
}
