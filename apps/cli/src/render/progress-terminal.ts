import { Presets, SingleBar } from 'cli-progress';
import type { EpochEvent, StartEvent, TrainingEvent } from '@deltaflow/trainer';
import { out } from '../output.js';
import type { RunConsumer } from '../train/consumer.js';
import type { PreparedRun } from '../train/prepare.js';
import { describeRun } from './describe.js';
import { formatMetrics, formatNumber, formatRate } from './format.js';
import { renderSummary } from './summary.js';

function payload(event: EpochEvent | null, task: string): Record<string, string> {
  const metric = event ? formatMetrics(event.metrics).find(([name]) => !name.startsWith('val')) : undefined;
  const none = task === 'classification' ? 'acc -' : 'mse -';
  return {
    loss: formatNumber(event?.loss, 5),
    val: formatNumber(event?.valLoss, 5),
    metric: metric ? `${metric[0] === 'accuracy' ? 'acc' : metric[0]} ${metric[1]}` : none,
    speed: event ? formatRate(event.samplesPerSecond) : '-',
  };
}

function format(start: StartEvent): string {
  const val = start.config.validationSamples > 0 ? ' | val {val}' : '';
  return `epoch {value}/{total} {bar} {percentage}% | loss {loss}${val} | {metric} | {speed} samples/s | ETA {eta_formatted}`;
}

/**
 * The live view for a terminal: a progress bar (cli-progress) redrawn in place with epoch, loss, validation
 * loss, accuracy (or mse), samples per second and ETA; at the end the loss chart (asciichart) and the summary
 * tables (cli-table3).
 *
 * @example
 * ```ts
 * consumers.push(terminalProgress(prepared));
 * ```
 */
export function terminalProgress(prepared: PreparedRun): RunConsumer {
  let bar: SingleBar | null = null;
  let task = 'classification';
  const stop = (): void => {
    bar?.stop();
    bar = null;
  };
  const onEvent = (event: TrainingEvent): void => {
    if (event.type === 'start') {
      out(describeRun(prepared));
      bar = new SingleBar(
        {
          format: format(event),
          stream: process.stdout,
          hideCursor: true,
          fps: 12,
          etaBuffer: 100,
          barsize: 20,
          clearOnComplete: false,
          stopOnComplete: false,
        },
        Presets.shades_classic,
      );
      task = event.config.task;
      bar.start(event.config.epochs, 0, payload(null, task));
    } else if (event.type === 'epoch') {
      bar?.update(event.epoch, payload(event, task));
    } else if (event.type === 'end') {
      stop();
    }
  };
  return {
    attach(events$) {
      events$.subscribe({ next: onEvent, error: stop });
    },
    finish(outcome) {
      stop();
      const width = Math.max(20, Math.min(80, (process.stdout.columns || 80) - 14));
      out(renderSummary(outcome, { chart: true, width, colors: true }).trimEnd());
    },
    abort: stop,
  };
}
