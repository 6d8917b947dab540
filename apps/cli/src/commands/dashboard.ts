import type { CommandModule } from 'yargs';
import type { CommandContext } from './context.js';
import { helpExample } from './help-example.js';

/**
 * `deltaflow dashboard`: serves the dashboard on 127.0.0.1, as a playground that trains in the browser, or
 * replaying a run recorded with `train --events`.
 *
 * @example
 * ```ts
 * import yargs from 'yargs';
 *
 * const context = { exitCode: 0 };
 * yargs(process.argv.slice(2)).command(dashboardCommand(context));
 * ```
 */
export function dashboardCommand(context: CommandContext): CommandModule {
  return {
    command: 'dashboard',
    describe: 'Serve the dashboard (the playground, or a recorded run with --replay) and print its URL',
    builder: (yargs) =>
      yargs
        .options({
          replay: { type: 'string', describe: 'Replay a run recorded with train --events FILE.jsonl' },
          port: { type: 'string', describe: 'Port on 127.0.0.1 (default: any free port)' },
        })
        .group(['replay', 'port'], 'Dashboard:')
        .example(...helpExample(yargs, '$0 dashboard', 'the playground: train in the browser'))
        .example(
          ...helpExample(yargs, '$0 dashboard --replay run.jsonl --port 8080', 'watch a recorded run again'),
        )
        .example(
          ...helpExample(
            yargs,
            '$0 dashboard --plugin ./softsign.mjs',
            "the playground with a plugin's activation",
          ),
        ),
    handler: async (args) => {
      const { serveDashboard } = await import('../actions/dashboard.js');
      context.exitCode = await serveDashboard(args as unknown as Parameters<typeof serveDashboard>[0]);
    },
  };
}
