import asciichart from 'asciichart';
import { createColors } from 'picocolors';
import type { RunOutcome } from '../train/consumer.js';
import { outcomeColor } from './colors.js';
import type { Colors } from './colors.js';
import { formatDuration, formatMetrics, formatNumber, formatRate } from './format.js';
import { fitTable, table } from './table.js';
import { middleEllipsis, wrapParts } from './width.js';

const PLAIN = createColors(false);

/** At most `width` points of `values`, evenly spaced, first and last kept. */
export function downsample(values: readonly number[], width: number): number[] {
  if (values.length <= width) return [...values];
  return Array.from(
    { length: width },
    (_, i) => values[Math.round((i * (values.length - 1)) / (width - 1))]!,
  );
}

/** Columns the chart's axis takes left of the curve: a label of 10 characters, a space and the axis. */
const CHART_AXIS = 12;

/**
 * The loss curve as an ASCII chart (training loss, and validation loss when there is some), or '' with fewer
 * than two epochs. `width` is the number of points (columns) of the curve; `epochs` the number of epochs the
 * losses stand for (more than their count when they were thinned).
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
  epochs = losses.length,
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
  const title = `${names} per epoch${log ? ' (log scale)' : ''}, epochs 1 to ${epochs}:`;
  return `${wrapParts(title.split(' '), width + CHART_AXIS)}\n${chart}`;
}

/**
 * Whether a dashboard page stopped the run: in the CLI a run ends `stopped` only by a signal (Ctrl-C, SIGTERM)
 * or by the Stop button of a `--dashboard` page.
 *
 * @example
 * ```ts
 * stoppedFromPage(outcome); // true after the page's Stop button
 * ```
 */
export function stoppedFromPage(outcome: Pick<RunOutcome, 'prepared' | 'summary' | 'interrupted'>): boolean {
  return (
    !outcome.interrupted &&
    outcome.summary.reason === 'stopped' &&
    outcome.prepared.request.dashboard !== undefined
  );
}

/**
 * The results table: why the run ended (coloured by outcome), final loss and metrics, time, throughput, saved
 * file (its path shortened in the middle when the table would not fit in `width` columns).
 */
export function resultTable(
  outcome: RunOutcome,
  width = Number.POSITIVE_INFINITY,
  colors: Colors = PLAIN,
): string {
  const { summary } = outcome;
  const rows: string[][] = [
    [
      'result',
      summary.reason +
        (outcome.interrupted
          ? outcome.signal === 'SIGTERM'
            ? ' (SIGTERM)'
            : ' (Ctrl-C)'
          : stoppedFromPage(outcome)
            ? ' from the page'
            : ''),
    ],
    ['epochs', String(summary.epochs)],
    ['loss', formatNumber(summary.loss)],
    ...(summary.valLoss !== null ? [['validation loss', formatNumber(summary.valLoss)]] : []),
    ...formatMetrics(summary.metrics),
    ...(summary.test
      ? [
          ['test loss', formatNumber(summary.test.loss)],
          ...formatMetrics(summary.test.metrics).map(([name, value]) => [`test ${name}`, value]),
        ]
      : []),
    ['training time', formatDuration(summary.trainingMs)],
    ['samples/s', formatRate(summary.samplesPerSecond)],
    ['saved', summary.saved ?? '-'],
  ];
  // A two-column table takes 7 columns of borders and padding besides its cells.
  const labels = Math.max(...rows.map((row) => row[0]!.length));
  const room = Math.max(8, width - 7 - labels);
  for (const row of rows) row[1] = middleEllipsis(row[1]!, room);
  const paint = outcomeColor(summary.reason, colors);
  rows[0]![1] = paint(rows[0]![1]!);
  return table(['', 'final'], rows, ['left', 'right']);
}

interface LayerColumn {
  head: string;
  short: string;
  align: 'left' | 'right';
  cell: (i: number, digits: number) => string;
  /** Dropped (in this order) when the table is too wide; 0 never. */
  drop: number;
}

/** The statistics of a layer that the table shows. */
type StatKey = 'gradNorm' | 'meanAbsDelta' | 'maxAbsDelta' | 'weightNorm' | 'updateRatio';

/**
 * Per layer, from the last backward event with finite statistics: gradient norm, |delta| statistics and how much the weights moved,
 * laid out to fit in `width` columns: two-line headings, then fewer digits, then without the least telling
 * columns (update ratio, weight norm, max |delta|, activation), with a note naming the ones left out.
 */
export function layerTable(outcome: RunOutcome, width = Number.POSITIVE_INFINITY): string {
  const stats = outcome.run.lastFiniteBackward?.layers ?? [];
  const layers = outcome.prepared.model.summary().layers;
  const stat = (i: number) => stats.find((entry) => entry.layer === i);
  /** A right-aligned column of one statistic, its two-word heading folded onto two lines when short. */
  const statColumn = (head: string, key: StatKey, drop: number): LayerColumn => ({
    head,
    short: head.replace(' ', '\n'),
    align: 'right',
    cell: (i, digits) => formatNumber(stat(i)?.[key], digits),
    drop,
  });
  const columns: LayerColumn[] = [
    { head: 'layer', short: 'layer', align: 'right', cell: (i) => String(i), drop: 0 },
    {
      head: 'shape',
      short: 'shape',
      align: 'left',
      cell: (i) => `${layers[i]!.inputs} -> ${layers[i]!.units}`,
      drop: 0,
    },
    { head: 'activation', short: 'activation', align: 'left', cell: (i) => layers[i]!.activation, drop: 4 },
    statColumn('grad norm', 'gradNorm', 0),
    statColumn('mean |delta|', 'meanAbsDelta', 0),
    statColumn('max |delta|', 'maxAbsDelta', 3),
    statColumn('weight norm', 'weightNorm', 2),
    statColumn('update ratio', 'updateRatio', 1),
  ];
  return fitTable(columns, layers.length, width, {
    digits: [4, 3],
    leftOut: (gone) => {
      const them = gone.length === 1 ? 'it' : 'them';
      return `(${gone.join(', ')} left out to fit the terminal; widen it to see ${them}, or record ${them} with --events)`;
    },
  });
}

/**
 * Everything printed after a run: the chart (terminals only), the results and the per-layer table, each fitted
 * to `width` columns. A diverged run shows its last finite gradient statistics, or says there are none, rather
 * than a table of dashes.
 *
 * @example
 * ```ts
 * process.stdout.write(renderSummary(outcome, { chart: true, width: 80 }));
 * ```
 */
export function renderSummary(
  outcome: RunOutcome,
  options: { chart: boolean; width: number; colors?: Colors },
): string {
  const colors = options.colors ?? PLAIN;
  const parts: string[] = [];
  if (options.chart) {
    const points = Math.max(10, Math.min(80, options.width - CHART_AXIS - 1));
    const { losses, valLosses, epochs } = outcome.run;
    const chart = lossChart(losses, valLosses, points, colors.isColorSupported, epochs);
    if (chart) parts.push(chart);
  }
  parts.push(resultTable(outcome, options.width, colors));
  const { lastBackward, lastFiniteBackward } = outcome.run;
  if (lastFiniteBackward) {
    const which =
      lastFiniteBackward === lastBackward
        ? "gradients of the last epoch's last batch:"
        : `gradients of epoch ${lastFiniteBackward.epoch}'s last batch (the last finite ones):`;
    parts.push(`${wrapParts(which.split(' '), options.width)}\n${layerTable(outcome, options.width)}`);
  } else {
    const why =
      outcome.summary.reason === 'diverged'
        ? 'the run diverged before any batch had finite gradients'
        : 'no batch was trained';
    const sentence = `gradients: nothing to show (${why}).`;
    parts.push(wrapParts(sentence.split(' '), options.width));
  }
  return `${parts.join('\n')}\n`;
}
