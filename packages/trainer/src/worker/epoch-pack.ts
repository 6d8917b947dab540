// Runs of epoch events cross the thread as one Float64Array (transferred), not as thousands of cloned objects,
// and come back as events equal to those sent, field for field and in the same key order.
import type { EpochEvent } from '../events.js';

/** Consecutive epoch events of one shape, row by row. @internal */
export interface PackedEpochs {
  kind: 'epochs';
  /** Whether every event has `valLoss`. */
  valLoss: boolean;
  /** The metric names of every event, in their key order. */
  metrics: string[];
  /** Row-major: epoch, loss, [valLoss], elapsedMs, samplesPerSecond, lr, then the metrics. */
  rows: Float64Array;
}

/** A pack being filled (its numbers in a plain array until it is posted). @internal */
export interface OpenPack {
  kind: 'open-epochs';
  valLoss: boolean;
  metrics: string[];
  shape: string;
  values: number[];
  /** The first event, sent as it is when it stays alone (a pack of one row saves nothing). */
  first: EpochEvent;
  rows: number;
}

const PLAIN_KEYS = ['type', 'epoch', 'loss', 'metrics', 'elapsedMs', 'samplesPerSecond', 'lr'];
const WITH_VAL_KEYS = ['type', 'epoch', 'loss', 'valLoss', 'metrics', 'elapsedMs', 'samplesPerSecond', 'lr'];
const PLAIN = PLAIN_KEYS.join(',');
const WITH_VAL = WITH_VAL_KEYS.join(',');

/** Whether `event` has the pack's shape, checked without allocating (this runs every epoch). @internal */
export function fitsPack(pack: OpenPack, event: EpochEvent): boolean {
  const keys = pack.valLoss ? WITH_VAL_KEYS : PLAIN_KEYS;
  let i = 0;
  for (const key in event) if (keys[i++] !== key) return false;
  if (i !== keys.length) return false;
  const metrics = event.metrics;
  i = 0;
  for (const key in metrics) if (pack.metrics[i++] !== key || typeof metrics[key] !== 'number') return false;
  return i === pack.metrics.length;
}

/** The shape of an epoch event that packs (these keys, in this order, numbers only), or null. @internal */
export function packShape(event: EpochEvent): string | null {
  const keys = Object.keys(event).join(',');
  if (keys !== PLAIN && keys !== WITH_VAL) return null;
  for (const key in event.metrics) if (typeof event.metrics[key] !== 'number') return null;
  return `${keys}|${Object.keys(event.metrics).join(',')}`;
}

/** Starts a pack for events of `event`'s shape. @internal */
export function openPack(event: EpochEvent, shape: string): OpenPack {
  return {
    kind: 'open-epochs',
    valLoss: 'valLoss' in event,
    metrics: Object.keys(event.metrics),
    shape,
    values: [],
    first: event,
    rows: 0,
  };
}

/** Adds an event of the pack's shape. @internal */
export function addToPack(pack: OpenPack, event: EpochEvent): void {
  const v = pack.values;
  pack.rows++;
  v.push(event.epoch, event.loss);
  if (pack.valLoss) v.push(event.valLoss!);
  v.push(event.elapsedMs, event.samplesPerSecond, event.lr);
  for (const name of pack.metrics) v.push(event.metrics[name]!);
}

/** The pack as it is posted. @internal */
export function closePack(pack: OpenPack): PackedEpochs {
  return {
    kind: 'epochs',
    valLoss: pack.valLoss,
    metrics: pack.metrics,
    rows: Float64Array.from(pack.values),
  };
}

/** The events of a pack, in order, as they were sent. @internal */
export function unpackEpochs(pack: PackedEpochs, each: (event: EpochEvent) => void): void {
  const { rows, metrics, valLoss } = pack;
  const width = (valLoss ? 6 : 5) + metrics.length;
  for (let at = 0; at < rows.length; at += width) {
    let i = at;
    const epoch = rows[i++]!;
    const loss = rows[i++]!;
    const val = valLoss ? rows[i++]! : 0;
    const elapsedMs = rows[i++]!;
    const samplesPerSecond = rows[i++]!;
    const lr = rows[i++]!;
    const m: Record<string, number> = {};
    for (const name of metrics) m[name] = rows[i++]!;
    each(
      valLoss
        ? { type: 'epoch', epoch, loss, valLoss: val, metrics: m, elapsedMs, samplesPerSecond, lr }
        : { type: 'epoch', epoch, loss, metrics: m, elapsedMs, samplesPerSecond, lr },
    );
  }
}
