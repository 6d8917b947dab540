import type { CommandModule } from 'yargs';
import type { CommandContext } from './context.js';

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
    describe: 'Open the dashboard: the playground, or a recorded run (--replay)',
    builder: (yargs) =>
      yargs
        .options({
          replay: { type: 'string', describe: 'Replay a run recorded with train --events FILE.jsonl' },
          port: { type: 'string', describe: 'Port on 127.0.0.1 (default: any free port)' },
        })
        .group(['replay', 'port'], 'Dashboard:')
        .example('$0 dashboard', 'the playground: train in the browser')
        .example('$0 dashboard --replay run.jsonl --port 8080', 'watch a recorded run again'),
    handler: async (args) => {
      const { serveDashboard } = await import('../actions/dashboard.js');
      context.exitCode = await serveDashboard(args as unknown as Parameters<typeof serveDashboard>[0]);
    },
  };
}
