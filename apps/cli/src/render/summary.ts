import asciichart from 'asciichart';
import type { RunOutcome } from '../train/consumer.js';
import { formatDuration, formatMetrics, formatNumber, formatRate } from './format.js';
import { table } from './table.js';

/** At most `width` points of `values`, evenly spaced, first and last kept. */
export function downsample(values: readonly number[], width: number): number[] {
  if (values.length <= width) return [...values];
  return Array.from(
    { length: width },
    (_, i) => values[Math.round((i * (values.length - 1)) / (width - 1))]!,
  );
}

/**
 * The loss curve as an ASCII chart (training loss, and validation loss when there is some), or '' with fewer
 * than two epochs.
 *
 * @example
 * ```ts
 * console.log(lossChart([0.3, 0.2, 0.1], [], 60));
 * ```
 */
export function lossChart(
  losses: readonly number[],
  valLosses: readonly number[],
  width: number,
  colors = false,
): string {
  const finite = losses.filter(Number.isFinite);
  if (finite.length < 2) return '';
  const series = [downsample(finite, width)];
  if (valLosses.length === losses.length) series.push(downsample(valLosses, width));
  const all = series.flat();
  const log = Math.min(...all) > 0 && Math.max(...all) / Math.min(...all) > 100;
  const chart = asciichart.plot(log ? series.map((s) => s.map(Math.log10)) : series, {
    height: 8,
    format: (x: number) => formatNumber(log ? 10 ** x : x, 3).padStart(10),
    ...(colors ? { colors: [asciichart.blue, asciichart.yellow] } : {}),
  });
  const names =
    series.length > 1
      ? `training loss${colors ? ' (blue)' : ''} and validation loss${colors ? ' (yellow)' : ''}`
      : 'training loss';
  return `${names} per epoch${log ? ' (log scale)' : ''}, epochs 1 to ${losses.length}:\n${chart}`;
}

/** The results table: why the run ended, final loss and metrics, time, throughput, saved file. */
export function resultTable(outcome: RunOutcome): string {
  const { summary } = outcome;
  const rows: string[][] = [
    [
      'result',
      summary.reason +
        (outcome.interrupted ? (outcome.signal === 'SIGTERM' ? ' (SIGTERM)' : ' (Ctrl-C)') : ''),
    ],
    ['epochs', String(summary.epochs)],
    ['loss', formatNumber(summary.loss)],
    ...(summary.valLoss !== null ? [['validation loss', formatNumber(summary.valLoss)]] : []),
    ...formatMetrics(summary.metrics),
    ['training time', formatDuration(summary.trainingMs)],
    ['samples/s', formatRate(summary.samplesPerSecond)],
    ['saved', summary.saved ?? '-'],
  ];
  return table(['', 'final'], rows, ['left', 'right']);
}

/** Per layer, from the last backward event: gradient norm, |delta| statistics and how much the weights moved. */
export function layerTable(outcome: RunOutcome): string {
  const stats = outcome.run.lastBackward?.layers ?? [];
  const layers = outcome.prepared.model.summary().layers;
  const rows = layers.map((layer, i) => {
    const s = stats.find((entry) => entry.layer === i);
    return [
      String(i),
      `${layer.inputs} -> ${layer.units}`,
      layer.activation,
      formatNumber(s?.gradNorm, 4),
      formatNumber(s?.meanAbsDelta, 4),
      formatNumber(s?.maxAbsDelta, 4),
      formatNumber(s?.weightNorm, 4),
      formatNumber(s?.updateRatio, 4),
    ];
  });
  return table(
    [
      'layer',
      'shape',
      'activation',
      'grad norm',
      'mean |delta|',
      'max |delta|',
      'weight norm',
      'update ratio',
    ],
    rows,
    ['right', 'left', 'left', 'right', 'right', 'right', 'right', 'right'],
  );
}

/**
 * Everything printed after a run: the chart (terminals only), the results and the per-layer table.
 *
 * @example
 * ```ts
 * process.stdout.write(renderSummary(outcome, { chart: true, width: 60 }));
 * ```
 */
export function renderSummary(
  outcome: RunOutcome,
  options: { chart: boolean; width: number; colors?: boolean },
): string {
  const parts: string[] = [];
  if (options.chart) {
    const chart = lossChart(outcome.run.losses, outcome.run.valLosses, options.width, options.colors);
    if (chart) parts.push(chart);
  }
  parts.push(resultTable(outcome), `gradients of the last epoch's last batch:\n${layerTable(outcome)}`);
  return `${parts.join('\n')}\n`;
}
