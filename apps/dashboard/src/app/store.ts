import type {
  BatchEvent,
  EndEvent,
  EpochEvent,
  ForwardEvent,
  RunState,
  StartEvent,
  TrainingEvent,
} from '@deltaflow/trainer';
import { Subject } from 'rxjs';
import { epochAt, epochCount, packEpochs, valueAt } from '../shared/epoch-columns.js';
import type { EpochColumns } from '../shared/epoch-columns.js';
import type { FeedMessage, GridSnapshot, LayerWeights, PointsMessage } from '../shared/feed.js';
import { DecimatedSeries } from './series.js';

/**
 * Everything the dashboard shows, folded from feed messages: cheap to update for every event (every epoch
 * event is counted and offered to the curves), while drawing happens at most once per animation frame from
 * {@link DashboardStore.changed$}. Version counters let each view skip work when its part did not change.
 * @category Dashboard
 */
export class DashboardStore {
  /** Emits after every applied message; views render from it on animation frames. */
  readonly changed$ = new Subject<void>();
  start: StartEvent | null = null;
  epoch = 0;
  last: EpochEvent | null = null;
  lastBatch: BatchEvent | null = null;
  /** The newest forward event passed on (thinned): with L1/L2 penalties, E's data loss and penalty parts. */
  lastForward: ForwardEvent | null = null;
  /**
   * The newest epoch's confusion matrices (`[i][j]`: true class i predicted as j), when the run's epoch events
   * carry them (`metrics: ['confusion']`); null before one came.
   */
  confusion: { epoch: number; train: number[][]; test: number[][] | null } | null = null;
  /** Bumped when {@link DashboardStore.confusion} changes. */
  confusionVersion = 0;
  end: EndEvent | null = null;
  state: RunState = 'idle';
  /** Bumped when a new run starts (charts rebuild their series). */
  runVersion = 0;
  /** x = epoch; loss, validation loss, metric, validation metric. */
  readonly curves = new DecimatedSeries(4);
  /** 'accuracy' for classification, 'mae' for regression. */
  metric: 'accuracy' | 'mae' = 'accuracy';
  /** x = epoch; mean |delta| of each layer, then the gradient norm of each layer. */
  gradients = new DecimatedSeries(0);
  weights: LayerWeights[] | null = null;
  grid: GridSnapshot | null = null;
  /** Why the newest snapshot has no grid though its inputs are 2-D (see `SnapshotMessage.problem`), or null. */
  gridProblem: string | null = null;
  snapshotVersion = 0;
  points: PointsMessage | null = null;
  pointsVersion = 0;
  status = '';
  /** Sentences shown for the page's life, before the status (plugins that could not be installed), each once. */
  notices: string[] = [];
  error: string | null = null;
  /** Counts the render loop's rounds of chart drawing (see {@link DashboardStore.beginChartRound}). */
  chartRound = 0;
  /** The last epoch every chart shows in this round: the x-axes of all charts end here. */
  chartEpoch = 0;
  private readonly row: (number | null)[] = [null, null, null, null];

  /**
   * Starts a round of chart drawing: from now until every chart has drawn, they all show epochs 0 to the epoch
   * reached now ({@link DashboardStore.chartRange}), whatever arrives meanwhile.
   */
  beginChartRound(): void {
    this.chartRound++;
    this.chartEpoch = this.epoch;
  }

  /** The epoch range every chart's x-axis shows in this round: `[0, chartEpoch]` (at least `[0, 1]`). */
  get chartRange(): readonly [number, number] {
    return [0, Math.max(1, this.chartEpoch)];
  }

  /** Folds one message in and signals a change. */
  apply(message: FeedMessage): void {
    switch (message.type) {
      case 'events':
        for (const event of message.events) this.event(event);
        break;
      case 'epochs':
        this.epochs(message);
        break;
      case 'state':
        this.state = message.state;
        break;
      case 'points':
        this.points = message;
        this.pointsVersion++;
        break;
      case 'snapshot':
        this.weights = message.layers;
        this.grid = message.grid;
        this.gridProblem = message.problem ?? null;
        this.snapshotVersion++;
        break;
      case 'status':
        this.status = message.text;
        break;
      case 'notice':
        if (!this.notices.includes(message.text)) this.notices = [...this.notices, message.text];
        break;
      case 'error':
        this.error = message.message;
        break;
    }
    this.changed$.next();
  }

  private event(event: TrainingEvent): void {
    switch (event.type) {
      case 'start':
        this.begin(event);
        break;
      case 'batch':
        this.lastBatch = event;
        break;
      case 'forward':
        this.lastForward = event;
        break;
      case 'backward':
        this.gradients.push(event.epoch, [
          ...event.layers.map((l) => l.meanAbsDelta),
          ...event.layers.map((l) => l.gradNorm),
        ]);
        break;
      case 'epoch':
        this.epochs(packEpochs([event]));
        break;
      case 'end':
        this.end = event;
        this.epoch = event.epochs;
        this.state = 'ended';
        break;
      default:
        break;
    }
  }

  /** Counts every epoch and offers it to the curves; keeps the last one whole for the summary. */
  private epochs(columns: EpochColumns): void {
    const n = epochCount(columns);
    if (n === 0) return;
    const m = this.metric;
    const metric = columns.metrics[m];
    const valMetric = columns.metrics[`val${m[0]!.toUpperCase()}${m.slice(1)}`];
    const row = this.row;
    const curves = this.curves;
    for (let i = 0; i < n; i++) {
      // Most rows of a big batch would only be counted: skip building them (the last one is always offered).
      if (i < n - 1 && !curves.keepsNext) {
        curves.skip();
        continue;
      }
      row[0] = valueAt(columns.loss, i) ?? null;
      row[1] = valueAt(columns.valLoss, i) ?? null;
      row[2] = valueAt(metric, i) ?? null;
      row[3] = valueAt(valMetric, i) ?? null;
      curves.push(valueAt(columns.epoch, i)!, row);
    }
    this.last = epochAt(columns, n - 1);
    this.epoch = this.last.epoch;
    const train = this.last.confusion;
    if (train) {
      this.confusion = { epoch: this.last.epoch, train, test: this.last.valConfusion ?? null };
      this.confusionVersion++;
    }
  }

  private begin(event: StartEvent): void {
    this.start = event;
    this.epoch = 0;
    this.last = null;
    this.lastBatch = null;
    this.lastForward = null;
    this.confusion = null;
    this.confusionVersion++;
    this.end = null;
    this.error = null;
    this.metric = event.config.task === 'regression' ? 'mae' : 'accuracy';
    this.curves.clear();
    this.gradients = new DecimatedSeries(2 * event.model.layers.length);
    this.weights = null;
    this.grid = null;
    this.gridProblem = null;
    this.snapshotVersion++;
    if (event.model.inputs !== 2) {
      this.points = null;
      this.pointsVersion++;
    }
    this.runVersion++;
  }
}
