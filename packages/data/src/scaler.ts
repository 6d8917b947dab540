import { DeltaflowError, Tensor, allocate, expectShape } from '@deltaflow/tensor';
import type { Rank } from '@deltaflow/tensor';
import type { Dataset } from './dataset.js';

/**
 * The scalings: `'standard'` (zero mean, unit variance) or `'min-max'` (onto [0, 1]).
 *
 * @example
 * ```ts
 * const kinds: ScalerKind[] = ['standard', 'min-max'];
 * ```
 * @category Scaling
 */
export type ScalerKind = 'standard' | 'min-max';

/**
 * A fitted scaler as plain data, to store in a model file's `meta`. Each feature j is mapped to
 * `(x - offset[j]) / scale[j]`: for `'standard'` the offset is the mean and the scale the standard deviation,
 * for `'min-max'` the minimum and the range (max - min). A constant feature gets scale 1.
 *
 * @example
 * ```ts
 * const json: ScalerJSON = { kind: 'standard', offset: [5.84, 3.06], scale: [0.83, 0.43] };
 * ```
 * @category Scaling
 */
export interface ScalerJSON {
  /** `'standard'` or `'min-max'`: how the statistics were computed. */
  kind: ScalerKind;
  /** Per column, what is subtracted first (the mean, or the minimum). */
  offset: number[];
  /** Per column, what the difference is divided by (the standard deviation, or max - min). */
  scale: number[];
}

/**
 * Scales features column by column with statistics fitted once, on the training part only, then applied
 * unchanged to validation data and to every later prediction (store {@link Scaler.toJSON} with the model).
 * Statistics are computed in float64; the standard deviation is the population one (divides by N), as
 * scikit-learn's `StandardScaler`.
 *
 * @example
 * ```ts
 * const { train, validation } = splitDataset(iris(), { validation: 0.2, seed: 1 });
 * const scaler = Scaler.fit('standard', train.inputs);
 * scaler.transform(train.inputs, train.inputs);           // in place
 * const val = scaler.transform(validation.inputs);          // into a new tensor
 * const again = Scaler.fromJSON(JSON.parse(JSON.stringify(scaler)));
 * ```
 * @category Scaling
 */
export class Scaler {
  private constructor(
    /** Which scaling this is. */
    readonly kind: ScalerKind,
    private readonly offset: Float64Array,
    private readonly scale: Float64Array,
  ) {}

  /** Number of features this scaler was fitted on. */
  get features(): number {
    return this.offset.length;
  }

  /**
   * Fits a scaler on `inputs` `[N, F]` (N >= 1): the training part only, never the validation part.
   *
   * @throws DeltaflowError `E_SHAPE` when `inputs` has no rows, `E_OPTION` for an unknown kind
   */
  static fit(kind: ScalerKind, inputs: Tensor): Scaler {
    const n = inputs.rows;
    const f = inputs.cols;
    if (inputs.rank !== 2 || n === 0) {
      throw new DeltaflowError('E_SHAPE', `Scaler.fit: needs a [N, F] tensor with N >= 1, got ${inputs}.`);
    }
    const x = inputs.data;
    const offset = new Float64Array(f);
    const scale = new Float64Array(f);
    if (kind === 'standard') {
      for (let i = 0; i < n; i++) for (let j = 0; j < f; j++) offset[j] += x[i * f + j]!;
      for (let j = 0; j < f; j++) offset[j] /= n;
      for (let i = 0; i < n; i++) for (let j = 0; j < f; j++) scale[j] += (x[i * f + j]! - offset[j]!) ** 2;
      for (let j = 0; j < f; j++) scale[j] = Math.sqrt(scale[j]! / n) || 1;
    } else if (kind === 'min-max') {
      const max = new Float64Array(f).fill(-Infinity);
      offset.fill(Infinity);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < f; j++) {
          const v = x[i * f + j]!;
          if (v < offset[j]!) offset[j] = v;
          if (v > max[j]!) max[j] = v;
        }
      }
      for (let j = 0; j < f; j++) scale[j] = max[j]! - offset[j]! || 1;
    } else {
      throw unknownKind(kind);
    }
    return new Scaler(kind, offset, scale);
  }

  /**
   * Rebuilds a scaler from {@link Scaler.toJSON}'s data (for example a model file's meta), checking every field.
   *
   * @throws DeltaflowError `E_SCALER` naming the field that is wrong
   */
  static fromJSON(json: unknown): Scaler {
    const bad = (field: string, expected: string): DeltaflowError =>
      new DeltaflowError('E_SCALER', `Scaler.fromJSON: ${field} should be ${expected}.`);
    if (typeof json !== 'object' || json === null)
      throw bad('the scaler', 'an object { kind, offset, scale }');
    const { kind, offset, scale } = json as Partial<Record<keyof ScalerJSON, unknown>>;
    if (kind !== 'standard' && kind !== 'min-max') throw bad('kind', `'standard' or 'min-max'`);
    const numbers = (value: unknown, field: string, positive: boolean): Float64Array => {
      const ok =
        Array.isArray(value) &&
        value.every((v) => typeof v === 'number' && Number.isFinite(v) && (!positive || v > 0));
      if (!ok) throw bad(field, `an array of finite${positive ? ' positive' : ''} numbers`);
      return Float64Array.from(value as number[]);
    };
    const o = numbers(offset, 'offset', false);
    const s = numbers(scale, 'scale', true);
    if (o.length !== s.length) throw bad('scale', `as long as offset (${o.length} numbers), not ${s.length}`);
    return new Scaler(kind, o, s);
  }

  /**
   * Writes the scaled `inputs` `[N, F]` into `out` (same shape; may be `inputs` itself for in-place scaling),
   * allocating nothing; without `out`, returns a new tensor of the same dtype.
   *
   * @throws DeltaflowError `E_SHAPE` when the column count differs from the fitted one or `out` does not match
   */
  transform<R extends Rank>(inputs: Tensor<R>, out?: Tensor<R>): Tensor<R> {
    const y = this.output(inputs, out, 'transform');
    const x = inputs.data;
    const data = y.data;
    const { offset, scale } = this;
    const cols = offset.length;
    for (let i = 0; i < x.length; i += cols) {
      for (let j = 0; j < cols; j++) data[i + j] = (x[i + j]! - offset[j]!) / scale[j]!;
    }
    return y;
  }

  /** Undoes {@link Scaler.transform}: `out = x * scale + offset`, with the same rules. */
  inverseTransform<R extends Rank>(inputs: Tensor<R>, out?: Tensor<R>): Tensor<R> {
    const y = this.output(inputs, out, 'inverseTransform');
    const x = inputs.data;
    const data = y.data;
    const { offset, scale } = this;
    const cols = offset.length;
    for (let i = 0; i < x.length; i += cols) {
      for (let j = 0; j < cols; j++) data[i + j] = x[i + j]! * scale[j]! + offset[j]!;
    }
    return y;
  }

  /** A copy of `ds` with scaled inputs (targets and names shared). */
  transformDataset(ds: Dataset): Dataset {
    return { ...ds, inputs: this.transform(ds.inputs) };
  }

  /** The scaler as plain data; `JSON.stringify(scaler)` uses it. */
  toJSON(): ScalerJSON {
    return { kind: this.kind, offset: Array.from(this.offset), scale: Array.from(this.scale) };
  }

  private output<R extends Rank>(inputs: Tensor<R>, out: Tensor<R> | undefined, where: string): Tensor<R> {
    if (inputs.cols !== this.offset.length) {
      throw new DeltaflowError(
        'E_SHAPE',
        `Scaler.${where}: the scaler was fitted on ${this.offset.length} features but the inputs ${inputs} have ${inputs.cols}.`,
      );
    }
    if (!out) return new Tensor<Rank>(allocate(inputs.dtype, inputs.size), inputs.shape) as Tensor<R>;
    expectShape(out, inputs.shape, `Scaler.${where} out`);
    return out;
  }
}

function unknownKind(kind: string): DeltaflowError {
  return new DeltaflowError('E_OPTION', `Scaler.fit: unknown kind '${kind}'; use 'standard' or 'min-max'.`);
}
