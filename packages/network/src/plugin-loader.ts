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
 * The hint for a plugin that imports a deltaflow package its own folder cannot find: typically a global
 * `deltaflow` given a local plugin whose project has no `node_modules/@deltaflow` (its peers). Empty otherwise.
 */
function missingPeerHint(message: string): string {
  const peer = /Cannot find (?:package|module) '(@deltaflow\/[a-z0-9-]+)/.exec(message)?.[1];
  if (peer === undefined) return '';
  return (
    `; the plugin imports ${peer} at run time, which must be installed where the plugin is: run npm install ${peer} ` +
    `in the plugin's project (the same version as this deltaflow), or import only types from deltaflow in the ` +
    `plugin (import type, satisfies Plugin) so that it needs nothing installed`
  );
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
    const message = (error as Error).message.replace(/\.$/, '');
    throw new DeltaflowError(
      'E_PLUGIN',
      `The plugin module ${specifier} failed to load: ${message}${missingPeerHint(message)}`,
      { cause: error },
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
