import { pluginRegistries } from '@deltaflow/core';
import { out, stdoutIsTerminal } from '../output.js';
import { loadPlugins } from '../options/plugins.js';
import { table } from '../render/table.js';
import { middleEllipsis, terminalColumns } from '../render/width.js';
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
  // On a terminal, long plugin names are shortened in the middle so that the table fits: a three-column table
  // takes 10 columns of borders and padding besides its cells.
  const width = stdoutIsTerminal() ? terminalColumns() - 1 : Number.POSITIVE_INFINITY;
  const widest = (column: number): number => Math.max(4, ...rows.map((row) => row[column]!.length));
  const room = width - 10 - widest(0);
  for (const row of rows) row[2] = middleEllipsis(row[2]!, Math.max(8, room - widest(1)));
  for (const row of rows) row[1] = middleEllipsis(row[1]!, Math.max(8, room - widest(2)));
  out(table(['kind', 'name', 'from'], rows));
  return 0;
}
