import { formatNumber } from './format.js';

/** What the live progress line shows: where the run is, its losses, its metric, its speed and its ETA. */
export interface LiveState {
  /** The epochs done. */
  epoch: number;
  /** The epochs of the run. */
  epochs: number;
  /** The training loss E of the last epoch, if one is done. */
  loss?: number;
  /** The validation loss of the last epoch, with validation data. */
  valLoss?: number;
  /** The metric shown: `acc` (accuracy, a fraction) for classification, `mse` for regression. */
  metricName: 'acc' | 'mse';
  /** The metric of the last epoch on the training data. */
  metric?: number;
  /** The metric on the validation data. */
  valMetric?: number;
  /** Training samples per second. */
  samplesPerSecond?: number;
  /** Seconds left (estimated), or NaN or Infinity when not yet known. */
  etaSeconds?: number;
  /** Shown instead of the ETA when set, e.g. `paused from the page` while a dashboard page holds the run. */
  note?: string;
}

/** How much of the line to show: each step of {@link STEPS} makes it shorter. */
interface Layout {
  percent: boolean;
  epochLabel: boolean;
  separator: string;
  valInParentheses: boolean;
  shortNumbers: boolean;
  speed: 'full' | 'grouped' | 'short';
  bar: boolean;
  valMetric: boolean;
  valLoss: boolean;
}

const FULL: Layout = {
  percent: true,
  epochLabel: true,
  separator: ' | ',
  valInParentheses: false,
  shortNumbers: false,
  speed: 'full',
  bar: true,
  valMetric: true,
  valLoss: true,
};

/**
 * The ways to shorten the line, least important first. Loss, the metric, samples/s and the ETA are never
 * dropped, only abbreviated.
 */
const STEPS: Partial<Layout>[] = [
  { percent: false },
  { speed: 'grouped' },
  { separator: '  ' },
  { valInParentheses: true },
  { epochLabel: false },
  { shortNumbers: true },
  { speed: 'short' },
  { bar: false },
  { valMetric: false },
  { valLoss: false },
  { separator: ' ' },
];

const BAR_MIN = 10;
const BAR_MAX = 30;

/**
 * Samples per second, short: `987`, `12.3k`, `123k`, `1.23M`.
 *
 * @example
 * ```ts
 * shortRate(12345); // → '12.3k'
 * ```
 */
export function shortRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return '-';
  if (perSecond < 1000) return String(Math.round(perSecond));
  if (perSecond < 1e6) return `${Number((perSecond / 1e3).toPrecision(3))}k`;
  return `${Number((perSecond / 1e6).toPrecision(3))}M`;
}

/**
 * An estimated time left: `45s`, `3m07s`, `2h05m`, or `-` while unknown.
 *
 * @example
 * ```ts
 * formatEta(187); // → '3m07s'
 * ```
 */
export function formatEta(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '-';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

function metricText(name: LiveState['metricName'], value: number | undefined, short: boolean): string {
  if (value === undefined) return '-';
  if (name === 'acc') return `${Number((value * 100).toFixed(short ? 1 : 2))}%`;
  return formatNumber(value, short ? 3 : 5);
}

function bar(fraction: number, size: number): string {
  const done = Math.round(Math.min(1, Math.max(0, fraction)) * size);
  return '\u2588'.repeat(done) + '\u2591'.repeat(size - done);
}

/** The line for one layout, with `{bar}` where the bar goes (or null when the layout drops it). */
function compose(state: LiveState, layout: Layout): string[] {
  const digits = layout.shortNumbers ? 3 : 5;
  const total = String(state.epochs);
  const count = `${String(state.epoch).padStart(total.length)}/${total}`;
  const parts: string[] = [layout.epochLabel ? `epoch ${count}` : count];
  if (layout.bar) parts.push('{bar}');
  if (layout.percent) parts.push(`${Math.floor((100 * state.epoch) / Math.max(1, state.epochs))}%`);
  const fields: string[] = [];
  const hasVal = state.valLoss !== undefined;
  const short = layout.shortNumbers;
  const loss = `loss ${state.loss === undefined ? '-' : formatNumber(state.loss, digits)}`;
  const valLoss = hasVal && layout.valLoss ? formatNumber(state.valLoss, digits) : null;
  const metric = `${state.metricName} ${metricText(state.metricName, state.metric, short)}`;
  const valMetric = hasVal && layout.valMetric ? metricText(state.metricName, state.valMetric, short) : null;
  if (layout.valInParentheses) {
    fields.push(valLoss === null ? loss : `${loss} (val ${valLoss})`);
    fields.push(valMetric === null ? metric : `${metric} (val ${valMetric})`);
  } else {
    fields.push(loss);
    if (valLoss !== null) fields.push(`val loss ${valLoss}`);
    fields.push(metric);
    if (valMetric !== null) fields.push(`val ${state.metricName} ${valMetric}`);
  }
  const rate = state.samplesPerSecond;
  fields.push(
    rate === undefined
      ? '- samples/s'
      : layout.speed === 'full'
        ? `${Math.round(rate).toLocaleString('en-US')} samples/s`
        : layout.speed === 'grouped'
          ? `${shortRate(rate)} samples/s`
          : `${shortRate(rate)}/s`,
  );
  fields.push(state.note ?? `ETA ${formatEta(state.etaSeconds)}`);
  return [parts.join(' '), ...fields];
}

/**
 * The live progress line, laid out to fit in `width` columns: the full line on a wide terminal, then, as the
 * terminal narrows, without the percentage, with shorter numbers, labels and separators, without the bar,
 * without the validation metric and at last without the validation loss. Loss, the metric (accuracy or mse),
 * samples/s and the ETA (or the note that replaces it, such as `paused from the page`) always stay.
 *
 * @example
 * ```ts
 * const state: LiveState = { epoch: 12, epochs: 2000, loss: 0.0049671, metricName: 'acc', metric: 1, samplesPerSecond: 12345, etaSeconds: 63 };
 * liveLine(state, 59); // → '  12/2000  loss 0.00497  acc 100%  12.3k/s  ETA 1m03s'
 * ```
 */
export function liveLine(state: LiveState, width: number): string {
  let layout = FULL;
  let line = '';
  for (let step = 0; step <= STEPS.length; step += 1) {
    if (step > 0) layout = { ...layout, ...STEPS[step - 1] };
    const parts = compose(state, layout);
    line = parts.join(layout.separator);
    if (!layout.bar) {
      if (line.length <= width) return line;
      continue;
    }
    const room = width - (line.length - '{bar}'.length);
    if (room >= BAR_MIN) {
      return line.replace('{bar}', bar(state.epoch / Math.max(1, state.epochs), Math.min(BAR_MAX, room)));
    }
  }
  return line.slice(0, Math.max(0, width));
}
