import type { EndReason, Metrics } from '@deltaflow/trainer';
import type { RunCollector } from './collector.js';

/**
 * The result of `deltaflow train`, exactly the JSON line printed with `--json` (docs/guides/cli.md): final
 * training and validation loss, metrics, epochs run, why the run ended, milliseconds spent in the training loop
 * (not loading), throughput, and where the model was saved (or null).
 */
export interface TrainSummary {
  loss: number | null;
  valLoss: number | null;
  metrics: Metrics;
  epochs: number;
  reason: EndReason;
  trainingMs: number;
  samplesPerSecond: number;
  saved: string | null;
}

/**
 * Builds the summary from what a run emitted.
 *
 * @example
 * ```ts
 * const summary = summarize(collector, 'xor.json');
 * console.log(JSON.stringify(summary));
 * ```
 */
export function summarize(run: RunCollector, saved: string | null): TrainSummary {
  const last = run.lastEpoch;
  return {
    loss: last ? last.loss : null,
    valLoss: last?.valLoss ?? null,
    metrics: last ? last.metrics : {},
    epochs: run.end?.epochs ?? last?.epoch ?? 0,
    reason: run.end?.reason ?? 'stopped',
    trainingMs: last ? Math.round(last.elapsedMs * 1000) / 1000 : 0,
    samplesPerSecond: last ? Math.round(last.samplesPerSecond) : 0,
    saved,
  };
}
