import type { EpochEvent, TrainingEvent } from '@deltaflow/trainer';
import { out } from '../output.js';
import { watchPauses } from './pauses.js';
import type { RunConsumer } from '../train/consumer.js';
import type { PreparedRun } from '../train/prepare.js';
import { describeRun } from './describe.js';
import { formatMetrics, formatNumber, formatRate } from './format.js';
import { renderSummary } from './summary.js';

/** One progress line: epoch, loss, validation loss, the metrics (validation ones as `val accuracy`), speed. */
export function epochLine(event: EpochEvent, epochs: number): string {
  const width = String(epochs).length;
  const parts = [
    `epoch ${String(event.epoch).padStart(width)}/${epochs}`,
    `loss ${formatNumber(event.loss)}`,
  ];
  if (event.valLoss !== undefined) parts.push(`val loss ${formatNumber(event.valLoss)}`);
  for (const [name, value] of formatMetrics(event.metrics, true)) parts.push(`${name} ${value}`);
  parts.push(`${formatRate(event.samplesPerSecond)} samples/s`);
  return parts.join('  ');
}

/**
 * The output for files, pipes and CI logs: a line at the first epoch, then every `every` epochs (default: ten
 * lines per run) and at the last epoch, then the summary tables. Nothing is redrawn. A line says when a dashboard
 * page paused or resumed the run.
 *
 * @example
 * ```ts
 * consumers.push(plainProgress(prepared));
 * ```
 */
export function plainProgress(prepared: PreparedRun, every?: number): RunConsumer {
  let epochs = 0;
  let step = 1;
  let last: EpochEvent | null = null;
  let printed = 0;
  const onEvent = (event: TrainingEvent): void => {
    if (event.type === 'start') {
      out(describeRun(prepared));
      epochs = event.config.epochs;
      step = every ?? Math.max(1, Math.ceil(epochs / 10));
    } else if (event.type === 'epoch') {
      last = event;
      if (event.epoch === 1 || event.epoch % step === 0 || event.epoch === epochs) {
        out(epochLine(event, epochs));
        printed = event.epoch;
      }
    } else if (event.type === 'end' && last && printed !== last.epoch) {
      out(epochLine(last, epochs));
    }
  };
  return {
    bind(run) {
      if (prepared.request.dashboard !== undefined) {
        watchPauses(run, (paused) =>
          out(`${paused ? 'paused' : 'resumed'} from the page at epoch ${last?.epoch ?? 0}`),
        );
      }
      return Promise.resolve();
    },
    attach(events$) {
      events$.subscribe({ next: onEvent, error: () => undefined });
    },
    finish(outcome) {
      out(renderSummary(outcome, { chart: false, width: Number.POSITIVE_INFINITY }).trimEnd());
    },
  };
}
