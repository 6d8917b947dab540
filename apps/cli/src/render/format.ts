import type { Metrics } from '@deltaflow/trainer';

/**
 * A loss or small quantity with 6 significant digits (exponent form below 1e-4 and from 1e6).
 *
 * @example
 * ```ts
 * formatNumber(0.0012345678); // → '0.00123457'
 * ```
 */
export function formatNumber(value: number | null | undefined, digits = 6): string {
  if (value === null || value === undefined) return '-';
  if (!Number.isFinite(value)) return String(value);
  const size = Math.abs(value);
  if (value !== 0 && (size < 1e-4 || size >= 1e6)) return value.toExponential(digits - 1);
  return String(Number(value.toPrecision(digits)));
}

/**
 * A model output: 9 significant digits, enough to compare with hand-worked examples.
 *
 * @example
 * ```ts
 * formatOutput(0.7513650695523157); // → '0.75136507'
 * ```
 */
export function formatOutput(value: number): string {
  return String(Number(value.toPrecision(9)));
}

/**
 * The label of a metric key: the trainer's `val` prefix written out (`valAccuracy` → `validation accuracy`, or
 * `val accuracy` when `short`), other keys as they are (`accuracy`, `mse`, `mae`).
 *
 * @example
 * ```ts
 * metricLabel('valAccuracy'); // → 'validation accuracy'
 * ```
 */
export function metricLabel(key: string, short = false): string {
  const match = /^val([A-Z].*)$/.exec(key);
  if (!match) return key;
  const rest = match[1]!;
  const name = /^[A-Z0-9]+$/.test(rest) ? rest : rest[0]!.toLowerCase() + rest.slice(1);
  return `${short ? 'val' : 'validation'} ${name}`;
}

/**
 * Metrics as `label value` pairs, accuracy as a percentage, validation metrics labelled in words
 * ({@link metricLabel}).
 *
 * @example
 * ```ts
 * formatMetrics({ accuracy: 0.75, valAccuracy: 0.5 }); // → [['accuracy', '75%'], ['validation accuracy', '50%']]
 * ```
 */
export function formatMetrics(metrics: Metrics, short = false): [string, string][] {
  return Object.entries(metrics).map(([name, value]) => [
    metricLabel(name, short),
    /accuracy/i.test(name) ? `${Number((value * 100).toFixed(2))}%` : formatNumber(value),
  ]);
}

/**
 * Milliseconds as a short duration.
 *
 * @example
 * ```ts
 * formatDuration(1534); // → '1.53 s'
 * ```
 */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms - minutes * 60_000) / 1000)} s`;
}

/**
 * A rate with thousands grouped.
 *
 * @example
 * ```ts
 * formatRate(123456.7); // → '123,457'
 * ```
 */
export function formatRate(perSecond: number): string {
  return Math.round(perSecond).toLocaleString('en-US');
}

/**
 * A count with its noun, plural when needed.
 *
 * @example
 * ```ts
 * plural(1, 'epoch'); // → '1 epoch'
 * ```
 */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
