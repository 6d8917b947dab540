import type { CommandModule } from 'yargs';
import type { CommandContext } from './context.js';
import { helpExample } from './help-example.js';

/**
 * `deltaflow plugins`: every activation, loss and optimizer available, and where each came from (`builtin` or
 * the name of the plugin that registered it).
 *
 * @example
 * ```ts
 * import yargs from 'yargs';
 *
 * const context = { exitCode: 0 };
 * yargs(process.argv.slice(2)).command(pluginsCommand(context));
 * ```
 */
export function pluginsCommand(context: CommandContext): CommandModule {
  return {
    command: 'plugins',
    describe: 'List every activation, loss and optimizer, and where each came from',
    builder: (yargs) =>
      yargs
        .options({
          json: { type: 'boolean', describe: 'Print one JSON line { activations, losses, optimizers }' },
        })
        .group(['json'], 'Plugins:')
        .example(...helpExample(yargs, '$0 plugins', 'the built-ins'))
        .example(
          ...helpExample(
            yargs,
            '$0 plugins --plugin ./softsign.mjs --plugin @acme/deltaflow-extras',
            'with two plugins installed',
          ),
        ),
    handler: async (args) => {
      const { listPlugins } = await import('../actions/plugins.js');
      context.exitCode = await listPlugins(args as unknown as Parameters<typeof listPlugins>[0]);
    },
  };
}
