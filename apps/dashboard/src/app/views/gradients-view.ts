import type { DashboardStore } from '../store.js';
import { LineChart } from './line-chart.js';

/**
 * Gradient flow over time, from the backward events: mean |delta_j| and the gradient norm of every layer, on
 * log scales, so vanishing gradients (the lower layers of a deep sigmoid net falling decades below the top)
 * show at a glance. Draws one of its two charts per call (returning `true` while the other is left; see `View`), so a frame never redraws both.
 * @category Views
 */
export class GradientsView {
  private readonly delta: LineChart;
  private readonly norm: LineChart;
  private runVersion = -1;
  /** What each chart last drew: backward-event count and x range end (-1: not yet in this run), and in which round. */
  private deltaCount = -1;
  private normCount = -1;
  private deltaEnd = -1;
  private normEnd = -1;
  private deltaRound = -1;
  private normRound = -1;

  constructor(deltaHost: HTMLElement, normHost: HTMLElement) {
    this.delta = new LineChart(deltaHost, 'mean |delta|', [], true);
    this.norm = new LineChart(normHost, 'grad norm', [], true);
  }

  /**
   * Redraws a chart when a run started, backward events arrived or the charts' epoch range moved, over the
   * store's `chartRange` (the same as the loss chart's); `true` while the other one is left to draw in this round.
   */
  render(store: DashboardStore): boolean {
    const layers = store.start?.model.layers.length ?? 0;
    if (store.runVersion !== this.runVersion) {
      this.runVersion = store.runVersion;
      this.deltaCount = this.normCount = -1;
      const lines = Array.from({ length: layers }, (_, i) => ({
        label: i === layers - 1 ? 'output' : `layer ${i + 1}`,
      }));
      this.delta.setLines(lines);
      this.norm.setLines(lines);
    }
    const count = store.gradients.count;
    const range = store.chartRange;
    const end = range[1];
    const round = store.chartRound;
    // Each chart draws once per round of the render loop, when its events or its range changed.
    const deltaStale = this.deltaRound !== round && (this.deltaCount !== count || this.deltaEnd !== end);
    const normStale = this.normRound !== round && (this.normCount !== count || this.normEnd !== end);
    if (deltaStale) {
      this.deltaCount = count;
      this.deltaEnd = end;
      this.deltaRound = round;
      const [x, ...columns] = store.gradients.data();
      this.delta.setData([x, ...columns.slice(0, layers)], range);
      return normStale;
    }
    if (normStale) {
      this.normCount = count;
      this.normEnd = end;
      this.normRound = round;
      const [x, ...columns] = store.gradients.data();
      this.norm.setData([x, ...columns.slice(layers)], range);
    }
    return false;
  }

  /** Follows the window's size. */
  resize(): void {
    this.delta.resize();
    this.norm.resize();
  }
}
