import { DeltaflowError } from '@deltaflow/tensor';
import { selectRows } from './dataset.js';
import type { Dataset } from './dataset.js';
import { permutation } from './shuffle.js';
import { DEFAULT_SEED } from './synthetic.js';

/**
 * Options of {@link splitDataset}.
 *
 * @example
 * ```ts
 * const options: SplitOptions = { validation: 0.25, seed: 7, shuffle: true };
 * ```
 * @category Shuffling
 */
export interface SplitOptions {
  /** Fraction of the rows kept for validation, in [0, 1); default 0.2. The count is rounded to the nearest row. */
  validation?: number;
  /** Seed of the shuffle; default 42. */
  seed?: number;
  /** Shuffle before splitting (default true); without it the last rows are the validation part, as in Keras. */
  shuffle?: boolean;
}

/**
 * Splits a dataset into a training and a validation part, by a seeded shuffle of the rows (or, with
 * `shuffle: false`, by taking the last rows for validation). Rows are copied; the same seed gives the same split.
 *
 * @example
 * ```ts
 * const { train, validation } = splitDataset(iris(), { validation: 0.2, seed: 42 });
 * train.inputs.rows;      // → 120
 * validation.inputs.rows; // → 30
 * ```
 * @returns `{ train, validation }`, named `<name>-train` and `<name>-validation`
 * @throws DeltaflowError `E_OPTION` when the fraction is outside [0, 1) or would leave no training rows
 * @category Shuffling
 */
export function splitDataset(
  ds: Dataset,
  options: SplitOptions = {},
): { train: Dataset; validation: Dataset } {
  const { validation = 0.2, seed = DEFAULT_SEED, shuffle = true } = options;
  const n = ds.inputs.rows;
  if (!(validation >= 0 && validation < 1)) {
    throw new DeltaflowError(
      'E_OPTION',
      `splitDataset: validation must be a fraction in [0, 1), such as 0.2, but it is ${validation}.`,
    );
  }
  const held = Math.round(n * validation);
  if (n - held < 1) {
    throw new DeltaflowError(
      'E_OPTION',
      `splitDataset: a validation fraction of ${validation} leaves no training rows out of ${n}; use a smaller fraction.`,
    );
  }
  const order = shuffle ? permutation(n, seed) : Int32Array.from({ length: n }, (_, i) => i);
  return {
    train: selectRows(ds, order.subarray(0, n - held), `${ds.name}-train`),
    validation: selectRows(ds, order.subarray(n - held), `${ds.name}-validation`),
  };
}
