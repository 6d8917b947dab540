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
  /** Backward-event counts each chart last drew (-1: not yet in this run). */
  private deltaCount = -1;
  private normCount = -1;
  private deltaDrewLast = false;

  constructor(deltaHost: HTMLElement, normHost: HTMLElement) {
    this.delta = new LineChart(deltaHost, 'mean |delta|', [], true);
    this.norm = new LineChart(normHost, 'grad norm', [], true);
  }

  /** Redraws a chart when a run started or backward events arrived; `true` while the other one is left to draw. */
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
    const deltaStale = this.deltaCount !== count;
    const normStale = this.normCount !== count;
    // Of two stale charts, the one that waited longer goes first, so neither starves while events stream in.
    if (deltaStale && (!normStale || !this.deltaDrewLast)) {
      this.deltaCount = count;
      this.deltaDrewLast = true;
      const [x, ...columns] = store.gradients.data();
      this.delta.setData([x, ...columns.slice(0, layers)]);
    } else if (normStale) {
      this.normCount = count;
      this.deltaDrewLast = false;
      const [x, ...columns] = store.gradients.data();
      this.norm.setData([x, ...columns.slice(layers)]);
    }
    return this.deltaCount !== count || this.normCount !== count;
  }

  /** Follows the window's size. */
  resize(): void {
    this.delta.resize();
    this.norm.resize();
  }
}
