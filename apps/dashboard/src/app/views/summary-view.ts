import type { DashboardStore } from '../store.js';

const ROWS = [
  'state',
  'loss',
  'test loss',
  'metric',
  'batch',
  'samples/s',
  'elapsed',
  'learning rate',
  'model',
  'data',
  'training',
  'end',
] as const;
type Row = (typeof ROWS)[number];

/** Sets `element`'s text, unless it already reads `text`. */
function write(element: HTMLElement, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}

const fmt = (n: number | undefined | null, digits = 4): string =>
  n === undefined || n === null || !Number.isFinite(n)
    ? '–'
    : Math.abs(n) >= 1e4 || (n !== 0 && Math.abs(n) < 1e-3)
      ? n.toExponential(2)
      : n.toFixed(digits);

/**
 * The run summary: the epoch counter, where the run is, the latest loss and metrics, speed, and the
 * configuration from the start event. The epoch counter (`#epoch`) and the loss (`data-value` of `#loss-value`, full
 * precision) are what the browser tests read.
 * @category Views
 */
export class SummaryView {
  private readonly cells = new Map<Row, HTMLElement>();

  constructor(
    list: HTMLElement,
    private readonly epoch: HTMLElement,
    private readonly state: HTMLElement,
    private readonly notice: HTMLElement,
  ) {
    for (const row of ROWS) {
      const term = document.createElement('dt');
      term.textContent = row;
      const value = document.createElement('dd');
      if (row === 'loss') value.id = 'loss-value';
      list.append(term, value);
      this.cells.set(row, value);
    }
  }

  /**
   * Writes the current numbers: text only, and only what changed (writing even the same text again would
   * invalidate the layout).
   */
  render(store: DashboardStore): void {
    const set = (row: Row, text: string): void => write(this.cells.get(row)!, text);
    const last = store.last;
    const start = store.start;
    write(this.epoch, String(store.epoch));
    write(this.state, store.state);
    if (this.state.dataset.state !== store.state) this.state.dataset.state = store.state;
    write(this.notice, store.error ?? store.status);
    this.notice.classList.toggle('error', store.error !== null);
    set('state', store.state);
    set('loss', fmt(last?.loss, 6));
    const loss = this.cells.get('loss')!;
    const value = last ? String(last.loss) : '';
    if (loss.dataset.value !== value) loss.dataset.value = value;
    set('test loss', fmt(last?.valLoss, 6));
    const m = store.metric;
    const val = `val${m[0]!.toUpperCase()}${m.slice(1)}`;
    set('metric', last ? `${m} ${fmt(last.metrics[m])} / test ${fmt(last.metrics[val])}` : '–');
    const batch = store.lastBatch;
    set('batch', batch ? `epoch ${batch.epoch}, batch ${batch.batch}: ${fmt(batch.loss, 6)}` : '–');
    set('samples/s', last ? Math.round(last.samplesPerSecond).toLocaleString('en') : '–');
    set('elapsed', last ? `${(last.elapsedMs / 1000).toFixed(1)} s` : '–');
    set(
      'learning rate',
      last ? String(last.lr) : start ? String(start.config.optimizerOptions.lr ?? '–') : '–',
    );
    if (start) {
      const { model, config } = start;
      set(
        'model',
        `${model.inputs} → ${model.layers.map((l) => `${l.units} ${l.activation}`).join(' → ')} (${model.parameters} parameters)`,
      );
      set('data', `${config.samples} training, ${config.validationSamples} test samples (${config.task})`);
      // the rate in use, which the page (or a schedule) may have changed since the start
      const options = Object.entries({ ...config.optimizerOptions, ...(last ? { lr: last.lr } : {}) })
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      set(
        'training',
        `${config.loss}, ${config.optimizer} (${options}), batch ${config.batchSize}, seed ${config.seed}`,
      );
    }
    set(
      'end',
      store.end
        ? `${store.end.reason} after ${store.end.epochs} epochs${store.end.hint ? `: ${store.end.hint}` : ''}`
        : '–',
    );
  }
}
