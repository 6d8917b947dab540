import type { EndReason, Metrics } from '@deltaflow/trainer';
import type { RunCollector } from './collector.js';
import type { TestResult } from './test-set.js';

/**
 * The result of `deltaflow train`, exactly the JSON line printed with `--json` (docs/guides/cli.md): final
 * training and validation loss, metrics, epochs run, why the run ended, milliseconds spent in the training loop
 * (not loading), throughput, where the model was saved (or null) and, with `--test-split`, the final model's
 * loss and metrics on the test rows.
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
  /** With `--test-split`: the final model on the held-out test rows. */
  test?: TestResult;
  /** With `--metrics confusion`: the last epoch's training confusion matrix, `[i][j]` true class i predicted as j. */
  confusion?: number[][];
  /** With `--metrics confusion` and `--validation-split`: the last epoch's validation confusion matrix. */
  valConfusion?: number[][];
}

/**
 * Builds the summary from what a run emitted; with `confusion` (`--metrics confusion`), the last epoch's
 * confusion matrices too.
 *
 * @example
 * ```ts
 * const summary = summarize(collector, 'xor.json');
 * console.log(JSON.stringify(summary));
 * ```
 */
export function summarize(
  run: RunCollector,
  saved: string | null,
  test?: TestResult,
  confusion = false,
): TrainSummary {
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
    ...(test ? { test } : {}),
    ...(confusion && last?.confusion ? { confusion: last.confusion } : {}),
    ...(confusion && last?.valConfusion ? { valConfusion: last.valConfusion } : {}),
  };
}
