import type { DashboardStore } from '../store.js';

const ROWS = [
  'state',
  'loss',
  'loss parts',
  'test loss',
  'metric',
  'last batch',
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

/** Readable names of the built-in optimizers and losses; others (plugins) show their registry name. */
const OPTIMIZER_NAMES: Readonly<Record<string, string>> = {
  sgd: 'SGD',
  adam: 'Adam',
  adamw: 'AdamW',
  rmsprop: 'RMSprop',
  adagrad: 'Adagrad',
};
const LOSS_NAMES: Readonly<Record<string, string>> = {
  mse: 'mean squared error',
  mae: 'mean absolute error',
  huber: 'Huber loss',
  'cross-entropy': 'cross-entropy',
  'binary-cross-entropy': 'binary cross-entropy',
};
/** Optimizer options worth a word when set (not zero, not false); the others are the optimizer's internals. */
const OPTION_NAMES: Readonly<Record<string, string>> = {
  momentum: 'momentum',
  weightDecay: 'weight decay',
  nesterov: 'Nesterov',
};

/**
 * The penalty added to E, in words: "; L2 0.03" (per-layer rates as a list), or nothing without one.
 *
 * @example
 * ```ts
 * describePenalty({ l2: 0.03 }); // → '; L2 penalty 0.03'
 * ```
 * @category Views
 */
export function describePenalty(config: { l1?: number | number[]; l2?: number | number[] }): string {
  const parts = (['l1', 'l2'] as const)
    .filter((key) => config[key] !== undefined)
    .map((key) => `${key.toUpperCase()} penalty ${String(config[key])}`);
  return parts.map((part) => `; ${part}`).join('');
}

/** An epoch number as people write it: 180,654. */
const count = (n: number): string => n.toLocaleString('en');

/**
 * The optimizer in words, with the learning rate eta in use: "SGD, learning rate 0.03", plus momentum, weight
 * decay and Nesterov when set (the optimizer's other options are its internals).
 *
 * @example
 * ```ts
 * describeOptimizer('sgd', { lr: 0.03, momentum: 0.9, dampening: 0 }, 0.03); // → 'SGD, learning rate 0.03, momentum 0.9'
 * ```
 * @param lr - the learning rate in use (the last epoch's, so the text follows a change)
 * @category Views
 */
export function describeOptimizer(
  name: string,
  options: Record<string, number | boolean>,
  lr: number,
): string {
  const extras = Object.entries(OPTION_NAMES)
    .filter(([key]) => options[key] !== undefined && options[key] !== 0 && options[key] !== false)
    .map(([key, words]) => (options[key] === true ? words : `${words} ${String(options[key])}`));
  return [`${OPTIMIZER_NAMES[name] ?? name}, learning rate ${lr}`, ...extras].join(', ');
}

/**
 * The run summary: the epoch counter, where the run is, the latest loss and metrics, speed, and the
 * configuration from the start event. The epoch counter (`#epoch`) and the loss (`data-value` of `#loss-value`, full
 * precision) are what the browser tests read.
 * @category Views
 */
export class SummaryView {
  private readonly cells = new Map<Row, HTMLElement>();
  private partsTerm: HTMLElement | null = null;
  /** What the notice shows now, a line per sentence (rewritten only when it changes). */
  private noticeText = '';

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
      if (row === 'loss parts') {
        value.id = 'loss-parts';
        // shown only for runs with an L1/L2 penalty
        term.hidden = true;
        value.hidden = true;
        this.partsTerm = term;
      }
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
    this.writeNotice([...store.notices, store.error ?? store.status].filter((t) => t !== ''));
    this.notice.classList.toggle('error', store.error !== null);
    set('state', store.state);
    set('loss', fmt(last?.loss, 6));
    const loss = this.cells.get('loss')!;
    const value = last ? String(last.loss) : '';
    if (loss.dataset.value !== value) loss.dataset.value = value;
    this.lossParts(store);
    set('test loss', fmt(last?.valLoss, 6));
    const m = store.metric;
    const val = `val${m[0]!.toUpperCase()}${m.slice(1)}`;
    const metric = (v: number | undefined): string =>
      v === undefined ? '–' : m === 'accuracy' ? `${(100 * v).toFixed(1)}%` : fmt(v);
    set(
      'metric',
      last
        ? `${m} ${metric(last.metrics[m])}${last.metrics[val] === undefined ? '' : ` · test ${metric(last.metrics[val])}`}`
        : '–',
    );
    const batch = store.lastBatch;
    set('last batch', batch ? `epoch ${count(batch.epoch)} · loss ${fmt(batch.loss, 6)}` : '–');
    set('samples/s', last ? Math.round(last.samplesPerSecond).toLocaleString('en') : '–');
    set('elapsed', last ? `${(last.elapsedMs / 1000).toFixed(1)} s` : '–');
    const lr = last ? last.lr : start ? Number(start.config.optimizerOptions.lr) : NaN;
    set('learning rate', Number.isFinite(lr) ? String(lr) : '–');
    if (start) {
      const { model, config } = start;
      set(
        'model',
        `${model.inputs} → ${model.layers.map((l) => `${l.units} ${l.activation}${l.dropout ? ` (dropout ${l.dropout})` : ''}`).join(' → ')} (${model.parameters} parameters)`,
      );
      // The rate in use (the last epoch's), so the row follows a change of the learning rate.
      const optimizer = describeOptimizer(config.optimizer, config.optimizerOptions, lr);
      set(
        'training',
        `${optimizer}; ${LOSS_NAMES[config.loss] ?? config.loss}${describePenalty(config)}; batches of ${count(config.batchSize)}; seed ${config.seed}`,
      );
      set(
        'data',
        `${count(config.samples)} training, ${count(config.validationSamples)} test samples (${config.task})`,
      );
    }
    set(
      'end',
      store.end
        ? `${store.end.reason} after ${store.end.epochs} epochs${store.end.hint ? `: ${store.end.hint}` : ''}`
        : '–',
    );
  }

  /**
   * With an L1/L2 penalty, E's two parts of the newest epoch (else of the newest forward event): the data loss
   * (the loss function's mean) and the penalty (`data-data-loss` and `data-penalty` hold them at full
   * precision); hidden for a run without a penalty.
   */
  /** The notices (plugins that could not be installed), then the error or the status: a line each. */
  private writeNotice(lines: readonly string[]): void {
    const text = lines.join('\n');
    if (text === this.noticeText) return;
    this.noticeText = text;
    this.notice.replaceChildren(
      ...lines.map((line) => {
        const span = document.createElement('span');
        span.className = 'notice-line';
        span.textContent = line;
        return span;
      }),
    );
  }

  private lossParts(store: DashboardStore): void {
    const cell = this.cells.get('loss parts')!;
    const last = store.last;
    const source = last?.penalty !== undefined ? last : store.lastForward;
    const on = source?.penalty !== undefined && source.dataLoss !== undefined;
    if (cell.hidden === on) {
      cell.hidden = !on;
      this.partsTerm!.hidden = !on;
    }
    if (!on) return;
    write(cell, `data ${fmt(source.dataLoss, 6)} + penalty ${fmt(source.penalty, 6)}`);
    if (cell.dataset.dataLoss !== String(source.dataLoss)) cell.dataset.dataLoss = String(source.dataLoss);
    if (cell.dataset.penalty !== String(source.penalty)) cell.dataset.penalty = String(source.penalty);
    if (cell.dataset.epoch !== String(source.epoch)) cell.dataset.epoch = String(source.epoch);
  }
}
