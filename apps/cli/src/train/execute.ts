import { createRun } from '@deltaflow/trainer';
import { checkpointWriter } from './checkpoint.js';
import { RunCollector } from './collector.js';
import { out, stdoutIsTerminal } from '../output.js';
import { plainProgress } from '../render/progress-plain.js';
import { terminalProgress } from '../render/progress-terminal.js';
import type { RunConsumer } from './consumer.js';
import { dashboardServer } from './dashboard.js';
import { jsonlRecorder } from './jsonl-recorder.js';
import type { PreparedRun } from './prepare.js';
import { SignalGuard } from './signals.js';
import type { StopSignal } from './signals.js';

/**
 * The consumers of a run, in order: what is printed (progress bar, plain lines, the JSON line or nothing), then
 * the files (`--events`), the dashboard server (`--dashboard`).
 */
export function consumersFor(prepared: PreparedRun): RunConsumer[] {
  const { request } = prepared;
  const consumers: RunConsumer[] = [];
  if (request.json) {
    consumers.push({ attach: () => undefined, finish: ({ summary }) => out(JSON.stringify(summary)) });
  } else if (!request.quiet) {
    consumers.push(stdoutIsTerminal() ? terminalProgress(prepared) : plainProgress(prepared));
  }
  if (request.events) consumers.push(jsonlRecorder(request.events));
  if (request.checkpoint)
    consumers.push(
      checkpointWriter(request.checkpoint, prepared.runOptions ?? {}, prepared.meta, prepared.runCwd),
    );
  if (request.dashboard !== undefined)
    consumers.push(dashboardServer(prepared, request.dashboard, request.dashboardWait));
  return consumers;
}

/**
 * Runs the training once for every consumer: one shared run (the trainer's run controller), the collector
 * subscribed first, then each consumer. A stop signal (Ctrl-C, SIGTERM), watched by `signals` from before the
 * consumers open their files, asks the run to stop after the current batch (the end event still carries the
 * model, so it can be saved); a second one gives up at once (see {@link SignalGuard}). Without `signals`, a guard
 * is made for the run and released when it ends.
 *
 * @example
 * ```ts
 * import { plainProgress } from '../render/progress-plain.js';
 *
 * const { run, interrupted } = await executeRun(prepared, [plainProgress(prepared)]);
 * ```
 */
export async function executeRun(
  prepared: PreparedRun,
  consumers: readonly RunConsumer[],
  signals?: SignalGuard,
): Promise<{ run: RunCollector; interrupted: boolean; signal: StopSignal | null }> {
  const guard = signals ?? new SignalGuard(consumers);
  try {
    const controller = createRun(
      prepared.model,
      prepared.outOfCore?.train ?? prepared.train,
      prepared.options,
    );
    for (const consumer of consumers) await consumer.bind?.(controller);
    const collector = new RunCollector();
    const done = new Promise<void>((resolve, reject) => {
      controller.events$.subscribe({
        next: (event) => collector.observe(event),
        error: reject,
        complete: resolve,
      });
    });
    for (const consumer of consumers) consumer.attach(controller.events$);
    guard.onStop(() => controller.stop());
    try {
      await done;
    } catch (error) {
      consumers.forEach((consumer) => consumer.abort?.());
      throw error;
    }
    return { run: collector, interrupted: guard.interrupted, signal: guard.signal };
  } finally {
    if (!signals) guard.release();
  }
}
