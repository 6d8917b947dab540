import type { DashboardStore } from '../store.js';
import { LineChart } from './line-chart.js';

/**
 * The loss and validation-loss curves (linear or log, toggled by a checkbox) and the accuracy (or, for
 * regression, the mean absolute error) on the training and test data, per epoch.
 * @category Views
 */
export class CurvesView {
  private readonly loss: LineChart;
  private readonly metric: LineChart;
  private runVersion = -1;
  private count = -1;

  constructor(
    lossHost: HTMLElement,
    metricHost: HTMLElement,
    logToggle: HTMLInputElement,
    private readonly metricTitle: HTMLElement,
  ) {
    this.loss = new LineChart(lossHost, 'loss');
    this.metric = new LineChart(metricHost, 'metric');
    this.loss.setLog(logToggle.checked);
    logToggle.addEventListener('change', () => this.loss.setLog(logToggle.checked));
  }

  /** Redraws when a run started or epochs arrived. */
  render(store: DashboardStore): void {
    if (store.runVersion !== this.runVersion) {
      this.runVersion = store.runVersion;
      this.count = -1;
      const m = store.metric;
      this.metricTitle.textContent = m === 'accuracy' ? 'Accuracy' : 'Mean absolute error';
      this.loss.setLines([{ label: 'loss' }, { label: 'test loss', dash: [6, 3] }]);
      this.metric.setLines([{ label: m }, { label: `test ${m}`, dash: [6, 3] }]);
    }
    if (store.curves.count === this.count) return;
    this.count = store.curves.count;
    const [x, loss, valLoss, metric, valMetric] = store.curves.data();
    this.loss.setData([x, loss!, valLoss!]);
    this.metric.setData([x, metric!, valMetric!]);
  }

  /** Follows the window's size. */
  resize(): void {
    this.loss.resize();
    this.metric.resize();
  }
}
