import type { EpochEvent } from '@deltaflow/trainer';

/** A number column: a Float64Array in the worker's messages, a plain array (null for NaN) in JSON. */
export type Column = Float64Array | readonly (number | null)[];

/**
 * Consecutive epoch events stored column by column: one column per field and per metric, a missing value (a
 * run without validation data has no `valLoss`) as NaN or null. Lossless: {@link unpackEpochs} gives the events
 * back. Thousands of epochs a second cross from the worker (transferred, not copied) or over the WebSocket
 * (JSON number arrays) for a fraction of the cost of as many objects, so no epoch event is ever dropped to keep
 * the page responsive.
 * @category Streams
 */
export interface EpochColumns {
  type: 'epochs';
  epoch: Column;
  loss: Column;
  valLoss: Column;
  elapsedMs: Column;
  samplesPerSecond: Column;
  lr: Column;
  /** One column per metric name (accuracy, valAccuracy, mse, ...). */
  metrics: Record<string, Column>;
  /** Runs with an L1/L2 penalty: E's data part of each epoch (left out for runs without a penalty). */
  dataLoss?: Column;
  /** Runs with an L1/L2 penalty: E's penalty part of each epoch. */
  penalty?: Column;
  /**
   * Runs that ask for the confusion matrix (`metrics: ['confusion']`): each epoch's training matrix; left out
   * when no epoch has one.
   */
  confusion?: MatrixColumn;
  /** As `confusion`, the validation matrices (`valConfusion`). */
  valConfusion?: MatrixColumn;
}

/**
 * One k x k matrix per epoch, flat in one column (row-major, epoch after epoch; NaN or null for an epoch without
 * one): like the other columns it crosses from the worker as one transferred buffer, however many epochs.
 * @category Streams
 */
export interface MatrixColumn {
  /** k, the matrix's rows and columns (the classes). */
  size: number;
  /** n k^2 values. */
  values: Column;
}

/** The matrices of `events` in a column, or undefined when none has one. */
function matrices(
  events: readonly EpochEvent[],
  key: 'confusion' | 'valConfusion',
): MatrixColumn | undefined {
  const first = events.find((e) => e[key] !== undefined)?.[key];
  if (!first) return undefined;
  const size = first.length;
  const cells = size * size;
  const values = new Float64Array(events.length * cells).fill(NaN);
  for (let i = 0; i < events.length; i++) {
    const matrix = events[i]![key];
    if (!matrix || matrix.length !== size) continue;
    for (let r = 0; r < size; r++)
      for (let c = 0; c < size; c++) values[i * cells + r * size + c] = matrix[r]![c]!;
  }
  return { size, values };
}

/**
 * Matrix `i` of a {@link MatrixColumn}, as `[row][column]`, or undefined when the epoch has none.
 *
 * @example
 * ```ts
 * matrixAt({ size: 2, values: [1, 0, 0, 1, 2, 1, 0, 3] }, 1); // → [[2, 1], [0, 3]]
 * ```
 * @category Streams
 */
export function matrixAt(column: MatrixColumn | undefined, i: number): number[][] | undefined {
  if (!column) return undefined;
  const { size, values } = column;
  const start = i * size * size;
  if (valueAt(values, start) === undefined) return undefined;
  return Array.from({ length: size }, (_, r) =>
    Array.from({ length: size }, (_, c) => valueAt(values, start + r * size + c) ?? 0),
  );
}

const FIELDS = ['epoch', 'loss', 'valLoss', 'elapsedMs', 'samplesPerSecond', 'lr'] as const;

/**
 * Packs epoch events into columns (Float64Array; NaN where a value is missing).
 *
 * @example
 * ```ts
 * const packed = packEpochs(epochEvents); // columns, which postMessage copies fast
 * ```
 * @category Streams
 */
export function packEpochs(events: readonly EpochEvent[]): EpochColumns {
  const n = events.length;
  const column = (read: (e: EpochEvent) => number | undefined): Float64Array => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = read(events[i]!) ?? NaN;
    return out;
  };
  const names = new Set<string>();
  for (const e of events) for (const key of Object.keys(e.metrics)) names.add(key);
  const metrics: Record<string, Float64Array> = {};
  for (const name of names) metrics[name] = column((e) => e.metrics[name]);
  const [epoch, loss, valLoss, elapsedMs, samplesPerSecond, lr] = FIELDS.map((f) => column((e) => e[f]));
  const penalized = events.some((e) => e.penalty !== undefined);
  const confusion = matrices(events, 'confusion');
  const valConfusion = matrices(events, 'valConfusion');
  return {
    type: 'epochs',
    epoch: epoch!,
    loss: loss!,
    valLoss: valLoss!,
    elapsedMs: elapsedMs!,
    samplesPerSecond: samplesPerSecond!,
    lr: lr!,
    metrics,
    ...(penalized ? { dataLoss: column((e) => e.dataLoss), penalty: column((e) => e.penalty) } : {}),
    ...(confusion ? { confusion } : {}),
    ...(valConfusion ? { valConfusion } : {}),
  };
}

/** Value `i` of a column, or undefined when missing (NaN or null). @category Streams */
export function valueAt(column: Column | undefined, i: number): number | undefined {
  const v = column?.[i];
  return v === null || v === undefined || Number.isNaN(v) ? undefined : v;
}

/** Number of epochs in `columns`. @category Streams */
export function epochCount(columns: EpochColumns): number {
  return columns.epoch.length;
}

/**
 * The epoch event at row `i`, exactly as it was packed.
 * @category Streams
 */
export function epochAt(columns: EpochColumns, i: number): EpochEvent {
  const metrics: Record<string, number> = {};
  for (const [name, column] of Object.entries(columns.metrics)) {
    const v = valueAt(column, i);
    if (v !== undefined) metrics[name] = v;
  }
  const valLoss = valueAt(columns.valLoss, i);
  const dataLoss = valueAt(columns.dataLoss, i);
  const penalty = valueAt(columns.penalty, i);
  const confusion = matrixAt(columns.confusion, i);
  const valConfusion = matrixAt(columns.valConfusion, i);
  return {
    type: 'epoch',
    epoch: valueAt(columns.epoch, i)!,
    loss: valueAt(columns.loss, i) ?? NaN,
    ...(valLoss !== undefined ? { valLoss } : {}),
    metrics,
    ...(dataLoss !== undefined ? { dataLoss } : {}),
    ...(penalty !== undefined ? { penalty } : {}),
    ...(confusion ? { confusion } : {}),
    ...(valConfusion ? { valConfusion } : {}),
    elapsedMs: valueAt(columns.elapsedMs, i)!,
    samplesPerSecond: valueAt(columns.samplesPerSecond, i)!,
    lr: valueAt(columns.lr, i)!,
  };
}

/**
 * Every epoch event of `columns`, in order.
 *
 * @example
 * ```ts
 * unpackEpochs(packEpochs(epochEvents)); // deep-equals epochEvents
 * ```
 * @category Streams
 */
export function unpackEpochs(columns: EpochColumns): EpochEvent[] {
  return Array.from({ length: epochCount(columns) }, (_, i) => epochAt(columns, i));
}

/** Columns as plain arrays, ready for JSON (NaN becomes null). @category Streams */
export function columnsToJSON(columns: EpochColumns): EpochColumns {
  const plain = (c: Column): (number | null)[] =>
    Array.from(c, (v) => (v === null || Number.isNaN(v) ? null : v));
  const metrics: Record<string, (number | null)[]> = {};
  for (const [name, column] of Object.entries(columns.metrics)) metrics[name] = plain(column);
  return {
    type: 'epochs',
    epoch: plain(columns.epoch),
    loss: plain(columns.loss),
    valLoss: plain(columns.valLoss),
    elapsedMs: plain(columns.elapsedMs),
    samplesPerSecond: plain(columns.samplesPerSecond),
    lr: plain(columns.lr),
    metrics,
    ...(columns.dataLoss ? { dataLoss: plain(columns.dataLoss) } : {}),
    ...(columns.penalty ? { penalty: plain(columns.penalty) } : {}),
    ...(columns.confusion
      ? { confusion: { ...columns.confusion, values: plain(columns.confusion.values) } }
      : {}),
    ...(columns.valConfusion
      ? { valConfusion: { ...columns.valConfusion, values: plain(columns.valConfusion.values) } }
      : {}),
  };
}

/** The buffers of `columns`, to transfer them to another thread. @category Streams */
export function columnBuffers(columns: EpochColumns): ArrayBuffer[] {
  const all = [
    columns.epoch,
    columns.loss,
    columns.valLoss,
    columns.elapsedMs,
    columns.samplesPerSecond,
    columns.lr,
    ...Object.values(columns.metrics),
    ...(columns.dataLoss ? [columns.dataLoss] : []),
    ...(columns.penalty ? [columns.penalty] : []),
    ...(columns.confusion ? [columns.confusion.values] : []),
    ...(columns.valConfusion ? [columns.valConfusion.values] : []),
  ];
  return all.filter((c): c is Float64Array => c instanceof Float64Array).map((c) => c.buffer as ArrayBuffer);
}
