import { startDashboardServer } from '@deltaflow/dashboard/server';
import type { RunDashboardServer } from '@deltaflow/dashboard/server';
import type { TrainingRun } from '@deltaflow/trainer';
import { warn } from '../output.js';
import { pluginFilesForPage } from '../options/plugins.js';
import { plural } from '../render/format.js';
import { stoppedFromPage } from '../render/summary.js';
import type { RunConsumer } from './consumer.js';
import type { PreparedRun } from './prepare.js';

/** Settles on the next SIGINT or SIGTERM (the signal guard of the run still handles it too). */
function nextStopSignal(): { signal: Promise<void>; release: () => void } {
  let release = (): void => undefined;
  const signal = new Promise<void>((resolve) => {
    const handler = (): void => resolve();
    process.once('SIGINT', handler);
    process.once('SIGTERM', handler);
    release = () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    };
  });
  return { signal, release };
}

/**
 * `--dashboard [PORT]`: serves the dashboard on 127.0.0.1 for this run and steers it from the page (pause,
 * resume, step, stop, learning rate). The `--plugin` files are served to the page too, which installs them to
 * draw the heatmap and the neurons' pictures of a model with their activations. The server keeps a bounded history (memory stays flat for any run length),
 * so a page opened late, or reloaded after the end, sees the whole (thinned) run. With `--dashboard-wait`,
 * training starts only once the first page has connected. After the run ends (and the model is saved and the
 * summary printed), the server keeps serving the finished run until Ctrl-C, and says so; a run stopped by
 * Ctrl-C or SIGTERM closes it at once, as does an abandoned run.
 *
 * @example
 * ```ts
 * consumers.push(dashboardServer(prepared, 0));
 * ```
 */
export function dashboardServer(prepared: PreparedRun, port: number, wait = false): RunConsumer {
  let server: RunDashboardServer | null = null;
  return {
    async bind(run: TrainingRun) {
      server = await startDashboardServer({
        events$: run.events$,
        control: run,
        model: prepared.model,
        data: prepared.train,
        port,
        title: prepared.request.data,
        waitForPage: wait,
        // served to the page, which installs them to draw the heatmap with their activations
        plugins: pluginFilesForPage(prepared.plugins ?? [], warn),
      });
      warn(`dashboard: ${server.url}`);
      if (!wait) return;
      warn('dashboard: waiting for a page to connect; training starts when one does (Ctrl-C to give up)');
      const stop = nextStopSignal();
      try {
        await Promise.race([server.firstPage, stop.signal]);
      } finally {
        stop.release();
      }
    },
    attach: () => undefined,
    finish: async (outcome) => {
      if (!server) return;
      if (stoppedFromPage(outcome)) {
        const { summary } = outcome;
        const saved = summary.saved ? `; the model was saved to ${summary.saved}` : '';
        warn(`deltaflow: stopped from the page after ${plural(summary.epochs, 'epoch')}${saved}.`);
      }
      if (!outcome.interrupted) {
        warn(
          `dashboard: the run has ended; still serving it at ${server.url} (open or reload the page to see it; Ctrl-C to stop)`,
        );
        const stop = nextStopSignal();
        try {
          await Promise.race([server.closed, stop.signal]);
        } finally {
          stop.release();
        }
        // the terminal echoed ^C: the shell's prompt goes on a line of its own
        if (process.stderr.isTTY) process.stderr.write('\n');
      }
      await server.close();
    },
    abort: () => {
      void server?.close();
    },
  };
}
