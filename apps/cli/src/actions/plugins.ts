import { pluginRegistries } from '@deltaflow/core';
import { out } from '../output.js';
import { loadPlugins } from '../options/plugins.js';
import { table } from '../render/table.js';
import type { GlobalArgs } from '../commands/context.js';

/** The parsed flags of `deltaflow plugins`. */
export interface PluginsArgs extends GlobalArgs {
  json?: boolean;
}

const kinds = [
  ['activation', 'activations'],
  ['loss', 'losses'],
  ['optimizer', 'optimizers'],
] as const;

/**
 * Runs `deltaflow plugins`: every registered activation, loss and optimizer with its source.
 *
 * @example
 * ```ts
 * const code = await listPlugins({ json: true });
 * ```
 */
export async function listPlugins(args: PluginsArgs): Promise<number> {
  await loadPlugins(args.plugin ?? []);
  const listing = Object.fromEntries(
    kinds.map(([kind, plural]) => [
      plural,
      pluginRegistries[kind]
        .names()
        .map((name) => ({ name, source: pluginRegistries[kind].source(name) ?? 'unknown' })),
    ]),
  ) as Record<(typeof kinds)[number][1], { name: string; source: string }[]>;
  if (args.json) {
    out(JSON.stringify(listing));
    return 0;
  }
  const rows = kinds.flatMap(([kind, plural]) =>
    listing[plural].map(({ name, source }) => [kind, name, source]),
  );
  out(table(['kind', 'name', 'from'], rows));
  return 0;
}
