import uPlot from 'uplot';
import type { SeriesData } from '../series.js';
import { watchSize } from './canvas-size.js';
import { PALETTE } from './colors.js';

/** One line of a {@link LineChart}. */
export interface LineSpec {
  label: string;
  dash?: number[];
}

const HEIGHT = 170;

/** Steps between the epoch axis's ticks: whole epochs only (1, 2, 5, 10, 20, 50, ...). */
const EPOCH_STEPS = Array.from({ length: 30 }, (_, i) => [1, 2, 5][i % 3]! * 10 ** Math.floor(i / 3));

/** Tick labels that stay short on a log scale: 0.5, 0.01, 1e-4, 2e+5. */
const tick = (v: number | null): string =>
  v === null
    ? ''
    : v === 0 || (Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5)
      ? String(Number(v.toPrecision(3)))
      : v.toExponential(0);

/** `y` with every value that is not positive as a gap (`y` itself when all are positive, the usual case). */
function positive(y: (number | null)[]): (number | null)[] {
  for (let i = 0; i < y.length; i++) {
    const v = y[i] ?? null;
    if (v !== null && !(v > 0)) return y.map((w) => (w !== null && w > 0 ? w : null));
  }
  return y;
}

const sameLines = (a: readonly LineSpec[], b: readonly LineSpec[]): boolean =>
  a.length === b.length &&
  a.every((line, i) => line.label === b[i]!.label && String(line.dash) === String(b[i]!.dash));

const seriesOf = (line: LineSpec, i: number): uPlot.Series => ({
  label: line.label,
  stroke: PALETTE[i % PALETTE.length],
  width: 1.5,
  ...(line.dash ? { dash: line.dash } : {}),
  spanGaps: true,
});

/** Whether a chart of this page has drawn its warm-up curve (see {@link LineChart}). */
let warmedUp = false;

/**
 * A small uPlot line chart over epochs, in a host element: lines are set with {@link LineChart.setLines}, data
 * with {@link LineChart.setData} (cheap, once per animation frame at most). On a log scale, values that are not
 * positive are left out instead of breaking the axis.
 *
 * Built for a page that redraws it many times a second without stalling: the plot is built once, when the chart
 * is made (the page is loading, nothing runs yet), and keeps its canvas for good: new lines are swapped in
 * place, and only a switch between linear and log rebuilds it. It draws at once (uPlot's batch mode), not in a
 * microtask, so its cost stays inside the caller's turn. Its width is measured when built and again only on
 * {@link LineChart.resize} (which a ResizeObserver on the host calls), so drawing never forces a layout. And the page's first chart draws a throwaway
 * curve when built: uPlot's first draws with data run its code cold, at ten times the cost of later ones, and
 * would otherwise fall on the first frames of the first run.
 * @category Views
 */
export class LineChart {
  private plot!: uPlot;
  private lines: LineSpec[];
  private log: boolean;
  private lastData: SeriesData = [[]];
  private width: number | null = null;
  private points = '';
  private firstEpoch = '';
  private xRange: readonly [number, number] | null = null;
  private xShown = '';

  /**
   * @param lines - the lines to start with (more can come with {@link LineChart.setLines})
   * @param log - whether the y-axis starts as log10
   */
  constructor(
    private readonly host: HTMLElement,
    private readonly yLabel: string,
    lines: LineSpec[] = [],
    log = false,
  ) {
    this.lines = lines;
    this.log = log;
    this.rebuild();
    watchSize(host, () => this.resize());
  }

  /** Replaces the lines (in place, when they differ) and forgets the data. */
  setLines(lines: LineSpec[]): void {
    this.lastData = [[]];
    if (sameLines(lines, this.lines)) return;
    this.lines = lines;
    const plot = this.plot;
    plot.batch(() => {
      for (let i = plot.series.length - 1; i > 0; i--) plot.delSeries(i);
      lines.forEach((line, i) => plot.addSeries(seriesOf(line, i)));
      plot.setData(this.empty());
    });
  }

  /** Switches between a linear and a log10 y-axis (rebuilds the plot). */
  setLog(log: boolean): void {
    if (log === this.log) return;
    this.log = log;
    this.rebuild();
  }

  /**
   * Draws `data` (x, then one column per line), over the x range `xRange` when given (points outside it are
   * cut off), else over the data's own; charts given the same range show the same epochs.
   */
  setData(data: SeriesData, xRange?: readonly [number, number]): void {
    this.lastData = data;
    this.xRange = xRange ?? null;
    if (data.length !== this.lines.length + 1) return;
    this.mark(data[0]);
    const shown = this.shown(data);
    this.plot.batch(() => this.plot.setData(shown));
  }

  /** Follows the host's width (called by itself whenever the host's size changes). */
  resize(): void {
    this.width = null;
    this.plot.setSize({ width: this.measure(), height: HEIGHT });
  }

  private measure(): number {
    return (this.width ??= Math.max(200, this.host.clientWidth));
  }

  /** `data` as uPlot draws it: on a log scale, values that are not positive become gaps. */
  private shown(data: SeriesData): uPlot.AlignedData {
    const [x, ...ys] = data;
    return [x, ...(this.log ? ys.map(positive) : ys)] as uPlot.AlignedData;
  }

  private empty(): uPlot.AlignedData {
    return [[], ...this.lines.map(() => [])] as uPlot.AlignedData;
  }

  /** Writes what the tests read (`data-points`, `data-first-epoch`, `data-x-min`, `data-x-max`), only when changed. */
  private mark(x: readonly number[]): void {
    const points = String(x.length);
    const first = String(x[0] ?? '');
    if (points !== this.points) this.host.dataset.points = this.points = points;
    if (first !== this.firstEpoch) this.host.dataset.firstEpoch = this.firstEpoch = first;
    const range = this.xRange ?? [x[0] ?? 0, x[x.length - 1] ?? 0];
    const shown = `${range[0]} ${range[1]}`;
    if (shown !== this.xShown) {
      this.xShown = shown;
      this.host.dataset.xMin = String(range[0]);
      this.host.dataset.xMax = String(range[1]);
    }
  }

  /** Replaces the plot with one of the current lines and scale, showing the last data. */
  private rebuild(): void {
    this.plot?.destroy();
    const options: uPlot.Options = {
      width: this.measure(),
      height: HEIGHT,
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: {
          time: false,
          range: (_u, min, max) => (this.xRange ? [this.xRange[0], this.xRange[1]] : [min, max]),
        },
        y: { distr: this.log ? 3 : 1 },
      },
      axes: [
        { label: 'epoch', size: 36, incrs: EPOCH_STEPS },
        { label: this.yLabel, size: 56, values: (_u, splits) => splits.map(tick) },
      ],
      series: [{ label: 'epoch' }, ...this.lines.map(seriesOf)],
    };
    const ready = this.lastData.length === this.lines.length + 1;
    const data = ready ? this.shown(this.lastData) : this.empty();
    // Built in batch mode: the first draw happens here, with the data, not in a microtask.
    this.plot = new uPlot(options, data, (plot, init) => {
      this.host.append(plot.root);
      plot.batch(() => init());
    });
    if (!warmedUp) {
      warmedUp = true;
      this.warmUp(data);
    }
  }

  /** Draws a throwaway 1000-point curve twice, then `data` again (all in this task: nothing of it shows). */
  private warmUp(data: uPlot.AlignedData): void {
    const x = Array.from({ length: 1000 }, (_, i) => i + 1);
    const y = x.map((i) => 1 / Math.sqrt(i));
    const curve = [x, ...this.lines.map(() => y)] as uPlot.AlignedData;
    for (let i = 0; i < 2; i++) this.plot.batch(() => this.plot.setData(curve));
    this.plot.batch(() => this.plot.setData(data));
  }
}
