import uPlot from 'uplot';
import type { SeriesData } from '../series.js';
import { PALETTE } from './colors.js';

/** One line of a {@link LineChart}. */
export interface LineSpec {
  label: string;
  dash?: number[];
}

const HEIGHT = 170;

/** Tick labels that stay short on a log scale: 0.5, 0.01, 1e-4, 2e+5. */
const tick = (v: number | null): string =>
  v === null
    ? ''
    : v === 0 || (Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5)
      ? String(Number(v.toPrecision(3)))
      : v.toExponential(0);

/**
 * A small uPlot line chart over epochs, in a host element: lines are set with {@link LineChart.setLines}
 * (which rebuilds the plot), data with {@link LineChart.setData} (cheap, once per animation frame at most).
 * On a log scale, values that are not positive are left out instead of breaking the axis.
 * @category Views
 */
export class LineChart {
  private plot: uPlot | null = null;
  private lines: LineSpec[] = [];
  private log = false;
  private lastData: SeriesData = [[]];

  constructor(
    private readonly host: HTMLElement,
    private readonly yLabel: string,
  ) {}

  /** Replaces the lines (and the plot). */
  setLines(lines: LineSpec[]): void {
    this.lines = lines;
    this.rebuild();
  }

  /** Switches between a linear and a log10 y-axis. */
  setLog(log: boolean): void {
    if (log === this.log) return;
    this.log = log;
    this.rebuild();
  }

  /** Draws `data` (x, then one column per line). */
  setData(data: SeriesData): void {
    this.lastData = data;
    const [x, ...ys] = data;
    this.host.dataset.points = String(x.length);
    this.host.dataset.firstEpoch = String(x[0] ?? '');
    const shown = this.log ? ys.map((y) => y.map((v) => (v !== null && v > 0 ? v : null))) : ys;
    this.plot?.setData([x, ...shown] as uPlot.AlignedData);
  }

  /** Follows the host's width. */
  resize(): void {
    this.plot?.setSize({ width: this.width(), height: HEIGHT });
  }

  private width(): number {
    return Math.max(200, this.host.clientWidth);
  }

  private rebuild(): void {
    this.plot?.destroy();
    const options: uPlot.Options = {
      width: this.width(),
      height: HEIGHT,
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false }, y: { distr: this.log ? 3 : 1 } },
      axes: [
        { label: 'epoch', size: 36 },
        { label: this.yLabel, size: 56, values: (_u, splits) => splits.map(tick) },
      ],
      series: [
        { label: 'epoch' },
        ...this.lines.map((line, i) => ({
          label: line.label,
          stroke: PALETTE[i % PALETTE.length],
          width: 1.5,
          ...(line.dash ? { dash: line.dash } : {}),
          spanGaps: true,
        })),
      ],
    };
    const empty = [[], ...this.lines.map(() => [])] as uPlot.AlignedData;
    this.plot = new uPlot(options, empty, this.host);
    if (this.lastData[0].length > 0 && this.lastData.length === this.lines.length + 1)
      this.setData(this.lastData);
  }
}
