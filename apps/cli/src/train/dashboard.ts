import { startDashboardServer } from '@deltaflow/dashboard/server';
import type { DashboardServer } from '@deltaflow/dashboard/server';
import type { TrainingRun } from '@deltaflow/trainer';
import { warn } from '../output.js';
import type { RunConsumer } from './consumer.js';
import type { PreparedRun } from './prepare.js';

/** How long the page stays up after the run ends, so every browser receives the end event. */
const CLOSE_AFTER_END_MS = 1500;

/**
 * `--dashboard [PORT]`: serves the dashboard on 127.0.0.1 for this run and steers it from the page (pause,
 * resume, step, stop, learning rate). The run keeps its whole history, so a page opened late sees every epoch.
 * The server closes itself shortly after the run ends, or at once when the run is abandoned.
 *
 * @example
 * ```ts
 * consumers.push(dashboardServer(prepared, 0));
 * ```
 */
export function dashboardServer(prepared: PreparedRun, port: number): RunConsumer {
  let server: DashboardServer | null = null;
  return {
    async bind(run: TrainingRun) {
      server = await startDashboardServer({
        events$: run.events$,
        control: run,
        model: prepared.model,
        data: prepared.train,
        port,
        title: prepared.request.data,
        closeAfterEndMs: CLOSE_AFTER_END_MS,
      });
      warn(`dashboard: ${server.url}`);
    },
    attach: () => undefined,
    finish: async () => {
      await server?.closed;
    },
    abort: () => {
      void server?.close();
    },
  };
}
