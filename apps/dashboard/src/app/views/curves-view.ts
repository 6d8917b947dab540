import type { DashboardStore } from '../store.js';
import { LineChart } from './line-chart.js';
import type { LineSpec } from './line-chart.js';

const lossLines = (): LineSpec[] => [{ label: 'loss' }, { label: 'test loss', dash: [6, 3] }];
const metricLines = (m: string): LineSpec[] => [{ label: m }, { label: `test ${m}`, dash: [6, 3] }];

/**
 * The loss and validation-loss curves (linear or log, toggled by a checkbox) and the accuracy (or, for
 * regression, the mean absolute error) on the training and test data, per epoch. Draws one of its two charts
 * per call (returning `true` while the other is left; see `View`), so a frame never redraws both.
 * @category Views
 */
export class CurvesView {
  private readonly loss: LineChart;
  private readonly metric: LineChart;
  private runVersion = -1;
  /** Epoch counts each chart last drew (-1: not yet in this run). */
  private lossCount = -1;
  private metricCount = -1;
  private lossDrewLast = false;

  constructor(
    lossHost: HTMLElement,
    metricHost: HTMLElement,
    logToggle: HTMLInputElement,
    private readonly metricTitle: HTMLElement,
  ) {
    this.loss = new LineChart(lossHost, 'loss', lossLines(), logToggle.checked);
    this.metric = new LineChart(metricHost, 'metric', metricLines('accuracy'));
    logToggle.addEventListener('change', () => this.loss.setLog(logToggle.checked));
  }

  /** Redraws a chart when a run started or epochs arrived; `true` while the other one is left to draw. */
  render(store: DashboardStore): boolean {
    if (store.runVersion !== this.runVersion) {
      this.runVersion = store.runVersion;
      this.lossCount = this.metricCount = -1;
      const m = store.metric;
      this.metricTitle.textContent = m === 'accuracy' ? 'Accuracy' : 'Mean absolute error';
      this.loss.setLines(lossLines());
      this.metric.setLines(metricLines(m));
    }
    const count = store.curves.count;
    const lossStale = this.lossCount !== count;
    const metricStale = this.metricCount !== count;
    // Of two stale charts, the one that waited longer goes first, so neither starves while epochs stream in.
    if (lossStale && (!metricStale || !this.lossDrewLast)) {
      this.lossCount = count;
      this.lossDrewLast = true;
      const [x, loss, valLoss] = store.curves.data();
      this.loss.setData([x, loss!, valLoss!]);
    } else if (metricStale) {
      this.metricCount = count;
      this.lossDrewLast = false;
      const [x, , , metric, valMetric] = store.curves.data();
      this.metric.setData([x, metric!, valMetric!]);
    }
    return this.lossCount !== count || this.metricCount !== count;
  }

  /** Follows the window's size. */
  resize(): void {
    this.loss.resize();
    this.metric.resize();
  }
}
