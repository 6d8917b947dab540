import { SingleBar } from 'cli-progress';
import type { GenericFormatter } from 'cli-progress';
import type { EpochEvent, TrainingEvent } from '@deltaflow/trainer';
import { out } from '../output.js';
import { PAUSED_NOTE, watchPauses } from './pauses.js';
import type { RunConsumer } from '../train/consumer.js';
import type { PreparedRun } from '../train/prepare.js';
import { colorsFor } from './colors.js';
import { describeRun } from './describe.js';
import { liveLine } from './live-line.js';
import type { LiveState } from './live-line.js';
import { renderSummary } from './summary.js';
import { terminalColumns } from './width.js';

/** The live line's numbers of an epoch event (or of none yet). */
export function liveState(
  event: EpochEvent | null,
  epochs: number,
  task: string,
  etaSeconds?: number,
  note?: string,
): LiveState {
  const metricName = task === 'classification' ? 'acc' : 'mse';
  const key = metricName === 'acc' ? 'accuracy' : 'mse';
  const valKey = metricName === 'acc' ? 'valAccuracy' : 'valMse';
  return {
    epoch: event?.epoch ?? 0,
    epochs,
    metricName,
    ...(event ? { loss: event.loss, samplesPerSecond: event.samplesPerSecond } : {}),
    ...(event?.valLoss !== undefined ? { valLoss: event.valLoss } : {}),
    ...(event?.metrics[key] !== undefined ? { metric: event.metrics[key] } : {}),
    ...(event?.metrics[valKey] !== undefined ? { valMetric: event.metrics[valKey] } : {}),
    ...(etaSeconds !== undefined ? { etaSeconds } : {}),
    ...(note !== undefined ? { note } : {}),
  };
}

/**
 * The live view for a terminal: a progress line (cli-progress) redrawn in place with epoch, bar, loss,
 * validation loss, accuracy (or mse) with its validation value, samples per second and ETA, laid out for the
 * terminal's width at every redraw ({@link liveLine}), with `paused from the page` in place of the ETA while a
 * dashboard page holds the run; at the end the loss chart (asciichart) and the summary
 * tables (cli-table3), fitted to the width too.
 *
 * @example
 * ```ts
 * consumers.push(terminalProgress(prepared));
 * ```
 */
export function terminalProgress(prepared: PreparedRun): RunConsumer {
  let bar: SingleBar | null = null;
  let task = 'classification';
  let epochs = 0;
  let last: EpochEvent | null = null;
  const stop = (): void => {
    bar?.stop();
    bar = null;
  };
  // One column is left free: writing the last column of a line makes some terminals wrap.
  // A dashboard page may pause the run: the line says so instead of showing an ETA that only climbs.
  let note: string | undefined;
  const format: GenericFormatter = (_options, params) =>
    liveLine(liveState(last, epochs, task, params.eta, note), terminalColumns() - 1);
  const onEvent = (event: TrainingEvent): void => {
    if (event.type === 'start') {
      out(describeRun(prepared, terminalColumns() - 1));
      epochs = event.config.epochs;
      task = event.config.task;
      bar = new SingleBar({
        format,
        stream: process.stdout,
        hideCursor: true,
        fps: 12,
        etaBuffer: 100,
        clearOnComplete: false,
        stopOnComplete: false,
      });
      bar.start(epochs, 0);
    } else if (event.type === 'epoch') {
      last = event;
      bar?.update(event.epoch);
    } else if (event.type === 'end') {
      stop();
    }
  };
  return {
    bind(run) {
      if (prepared.request.dashboard !== undefined) {
        watchPauses(run, (paused) => {
          note = paused ? PAUSED_NOTE : undefined;
          bar?.update(last?.epoch ?? 0);
        });
      }
      return Promise.resolve();
    },
    attach(events$) {
      events$.subscribe({ next: onEvent, error: stop });
    },
    finish(outcome) {
      stop();
      const columns = terminalColumns() - 1;
      out(
        renderSummary(outcome, { chart: true, width: columns, colors: colorsFor(process.stdout) }).trimEnd(),
      );
    },
    abort: stop,
  };
}
