import { readFileSync } from 'node:fs';
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

/** A static `import ... from 'x'`, `export ... from 'x'` or `import 'x'` of a package by name (not `import type`). */
const BARE_IMPORT =
  /^[ \t]*(?:import(?![ \t]+type[ \t{])(?:[\w\s{},*$]*?\bfrom)?|export[\w\s{},*$]*?\bfrom)[ \t]*['"]([^'"./][^'"]*)['"]/gm;

/**
 * The packages a plugin module imports by name at run time (static imports and re-exports; `import type` is
 * left out), which a page cannot resolve: a dashboard loads only self-contained modules.
 *
 * @example
 * ```ts
 * bareImports("import { definePlugin } from '@deltaflow/core';\nexport default definePlugin({ name: 'p' });");
 * // → ['@deltaflow/core']
 * ```
 */
export function bareImports(source: string): string[] {
  return [...new Set([...source.matchAll(BARE_IMPORT)].map((match) => match[1]!))];
}

/**
 * The `--plugin` modules a dashboard page can load, as absolute paths: the files (resolved from the working
 * directory). Says in one line each why the others are left out of the page (a package name: the page loads
 * files only) or will fail there (a file that imports packages by name: the page needs a self-contained module).
 *
 * @example
 * ```ts
 * // not-runnable: reads ./softsign.mjs
 * import { warn } from '../output.js';
 *
 * pluginFilesForPage(['./softsign.mjs', 'my-plugin-package'], warn); // → ['/home/me/softsign.mjs']
 * ```
 */
export function pluginFilesForPage(specifiers: readonly string[], warn: (line: string) => void): string[] {
  const files: string[] = [];
  for (const specifier of new Set(specifiers)) {
    if (!isPathSpecifier(specifier)) {
      warn(
        `deltaflow: --plugin ${specifier} is a package, and the page loads plugin files only; give the path of its module file to use it in the dashboard.`,
      );
      continue;
    }
    const file = resolve(specifier);
    files.push(file);
    let imported: string[] = [];
    try {
      imported = bareImports(readFileSync(file, 'utf8'));
    } catch {
      // loadPlugins read it already; a file gone since is the page's to report
    }
    if (imported.length > 0) {
      warn(
        `deltaflow: --plugin ${specifier} imports ${imported.map((name) => `"${name}"`).join(', ')}, which the page cannot load; for the dashboard, give a self-contained module (no imports at run time but its own files by relative path; \`import type\` is fine), bundled into one file.`,
      );
    }
  }
  return files;
}
