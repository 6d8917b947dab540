import type { DashboardStore } from '../store.js';
import { LineChart } from './line-chart.js';

/**
 * Gradient flow over time, from the backward events: mean |delta_j| and the gradient norm of every layer, on
 * log scales, so vanishing gradients (the lower layers of a deep sigmoid net falling decades below the top)
 * show at a glance.
 * @category Views
 */
export class GradientsView {
  private readonly delta: LineChart;
  private readonly norm: LineChart;
  private runVersion = -1;
  private count = -1;

  constructor(deltaHost: HTMLElement, normHost: HTMLElement) {
    this.delta = new LineChart(deltaHost, 'mean |delta|');
    this.norm = new LineChart(normHost, 'grad norm');
    this.delta.setLog(true);
    this.norm.setLog(true);
  }

  /** Redraws when a run started or backward events arrived. */
  render(store: DashboardStore): void {
    const layers = store.start?.model.layers.length ?? 0;
    if (store.runVersion !== this.runVersion) {
      this.runVersion = store.runVersion;
      this.count = -1;
      const lines = Array.from({ length: layers }, (_, i) => ({
        label: i === layers - 1 ? 'output' : `layer ${i + 1}`,
      }));
      this.delta.setLines(lines);
      this.norm.setLines(lines);
    }
    if (store.gradients.count === this.count) return;
    this.count = store.gradients.count;
    const [x, ...columns] = store.gradients.data();
    this.delta.setData([x, ...columns.slice(0, layers)]);
    this.norm.setData([x, ...columns.slice(layers)]);
  }

  /** Follows the window's size. */
  resize(): void {
    this.delta.resize();
    this.norm.resize();
  }
}
