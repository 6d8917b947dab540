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
  /** What each chart last drew: epoch count and x range end (-1: not yet in this run), and in which round. */
  private lossCount = -1;
  private metricCount = -1;
  private lossEnd = -1;
  private metricEnd = -1;
  private lossRound = -1;
  private metricRound = -1;

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

  /**
   * Redraws a chart when a run started, epochs arrived or the charts' epoch range moved, over the store's
   * {@link DashboardStore.chartRange}; `true` while the other one is left to draw in this round.
   */
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
    const range = store.chartRange;
    const end = range[1];
    const round = store.chartRound;
    // Each chart draws once per round of the render loop, when its epochs or its range changed.
    const lossStale = this.lossRound !== round && (this.lossCount !== count || this.lossEnd !== end);
    const metricStale = this.metricRound !== round && (this.metricCount !== count || this.metricEnd !== end);
    if (lossStale) {
      this.lossCount = count;
      this.lossEnd = end;
      this.lossRound = round;
      const [x, loss, valLoss] = store.curves.data();
      this.loss.setData([x, loss!, valLoss!], range);
      return metricStale;
    }
    if (metricStale) {
      this.metricCount = count;
      this.metricEnd = end;
      this.metricRound = round;
      const [x, , , metric, valMetric] = store.curves.data();
      this.metric.setData([x, metric!, valMetric!], range);
    }
    return false;
  }

  /** Follows the window's size. */
  resize(): void {
    this.loss.resize();
    this.metric.resize();
  }
}
