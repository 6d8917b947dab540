import { DeltaflowError } from '@deltaflow/core';

/** The `metadata_props` keys deltaflow writes and reads. */
export const META = {
  /** JSON array of the class names, output j's name at index j. */
  classNames: 'deltaflow.classNames',
  /** JSON `{ kind, offset, scale }`: the input scaler the graph's first nodes apply. */
  scaler: 'deltaflow.scaler',
  /** JSON array, per dense layer, of its activation `name` or `{ name, config }`. */
  activations: 'deltaflow.activations',
  /** JSON array, per dense layer, of its dropout rate in training (0: none). */
  dropout: 'deltaflow.dropout',
  /** JSON object: the rest of the model file's meta (loss, epochs, ...). */
  meta: 'deltaflow.meta',
} as const;

/** A stored input scaler: each input i becomes (x_i - offset_i) / scale_i. */
export interface StoredScaler {
  kind: string;
  offset: number[];
  scale: number[];
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * The model meta's `scaler`, checked against the model's `inputs`, or undefined when there is none.
 *
 * @throws DeltaflowError `E_MODEL` when it is there but unusable
 */
export function storedScaler(raw: unknown, inputs: number, where: string): StoredScaler | undefined {
  if (raw === undefined) return undefined;
  const s = raw as Partial<StoredScaler> | null;
  const ok =
    typeof s === 'object' &&
    s !== null &&
    typeof s.kind === 'string' &&
    Array.isArray(s.offset) &&
    Array.isArray(s.scale) &&
    s.offset.length === inputs &&
    s.scale.length === inputs &&
    s.offset.every(finite) &&
    s.scale.every((v) => finite(v) && v > 0);
  if (!ok) {
    throw new DeltaflowError(
      'E_MODEL',
      `${where}: meta.scaler must be { kind, offset, scale } with ${inputs} finite numbers each (scale positive), one per input; fix or remove it.`,
    );
  }
  return { kind: s.kind!, offset: [...s.offset!], scale: [...s.scale!] };
}

/** The model meta's `classNames` when it is an array of strings. */
export function storedClassNames(raw: unknown): string[] | undefined {
  return Array.isArray(raw) && raw.every((v) => typeof v === 'string') ? [...(raw as string[])] : undefined;
}
