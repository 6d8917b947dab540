import { DeltaflowError, Tensor, allocate, expectShape } from '@deltaflow/tensor';
import type { DType, Tensor2D } from '@deltaflow/tensor';

/**
 * What a dataset's targets mean: class labels (0/1 or one-hot) or real numbers.
 *
 * @example
 * ```ts
 * const task: Task = ds.classNames ? 'classification' : 'regression';
 * ```
 * @category Dataset
 */
export type Task = 'classification' | 'regression';

/**
 * A table of samples: one row of `inputs` and one row of `targets` per sample, with names for every column.
 *
 * Classification targets are either one column of 0/1 (binary sets such as xor, circle, spiral and gauss;
 * `classNames[0]` names the 0s, `classNames[1]` the 1s) or one-hot columns (multi-class sets such as iris and
 * mnist; `classNames[k]` names column k). Regression targets are real numbers and have no `classNames`.
 *
 * @example
 * ```ts
 * const ds = iris();
 * ds.inputs.shape;   // → [150, 4]
 * ds.targets.shape;  // → [150, 3]
 * ds.classNames;     // → ['setosa', 'versicolor', 'virginica']
 * ```
 * @category Dataset
 */
export interface Dataset {
  /** A short name such as `'iris'` or the CSV file's base name. */
  readonly name: string;
  /** Whether the targets are class labels or real numbers. */
  readonly task: Task;
  /** `[N, F]`: one row per sample, one column per feature (a matrix: `inputs.shape[1]` is F). */
  readonly inputs: Tensor2D;
  /** `[N, K]`: one row per sample, one column per target (one-hot columns for multi-class sets). */
  readonly targets: Tensor2D;
  /** The F feature names, in column order. */
  readonly featureNames: string[];
  /** The K target column names, in column order. */
  readonly targetNames: string[];
  /** For classification: the class names, so predictions can be printed as labels. */
  readonly classNames?: string[];
}

/**
 * Options of the built-in datasets and of {@link loadDataset}. Each set uses the options that make sense for it
 * and ignores the others (xor and iris have fixed points; mnist has fixed points and no noise).
 *
 * @example
 * ```ts
 * const options: DatasetOptions = { points: 300, noise: 0.1, seed: 7, dtype: 'float64' };
 * ```
 * @category Dataset
 */
export interface DatasetOptions {
  /** Number of samples of a generated set (circle, spiral, gauss, plane); default 500, as the playground. */
  points?: number;
  /** Noise of a generated set, on the playground's scale (its slider runs from 0 to 0.5); default 0. */
  noise?: number;
  /** Seed of the generator (xoshiro128**); default 42. The same seed gives the same data, bit for bit. */
  seed?: number;
  /** Element type of `inputs` and `targets`; default `'float32'`. */
  dtype?: DType;
}

/** Rejects a dtype other than float32/float64 with `E_OPTION`. */
export function checkDType(dtype: unknown, where: string): DType {
  if (dtype === 'float32' || dtype === 'float64') return dtype;
  throw new DeltaflowError(
    'E_OPTION',
    `${where}: dtype ${JSON.stringify(dtype)} is not supported; use 'float32' or 'float64'.`,
  );
}

/**
 * Checks that a dataset's parts agree: rank-2 inputs and targets with the same number of rows, and as many
 * names as columns. Returns the dataset, so it can wrap a literal.
 *
 * @example
 * ```ts
 * const ds = checkDataset({ name: 'and', task: 'classification', inputs, targets,
 *   featureNames: ['a', 'b'], targetNames: ['and'], classNames: ['0', '1'] });
 * ```
 * @throws DeltaflowError `E_SHAPE` naming the part that does not fit
 * @category Dataset
 */
export function checkDataset(ds: Dataset): Dataset {
  const n = ds.inputs.rows;
  expectShape(ds.inputs, [n, ds.featureNames.length], `Dataset '${ds.name}' inputs`);
  expectShape(ds.targets, [n, ds.targetNames.length], `Dataset '${ds.name}' targets`);
  return ds;
}

/**
 * A new dataset made of the rows `indices` of `ds`, in that order (rows are copied; the names are shared).
 *
 * @example
 * ```ts
 * const firstTen = selectRows(ds, Int32Array.from({ length: 10 }, (_, i) => i));
 * ```
 * @param ds - the dataset to copy rows from
 * @param indices - row numbers in [0, N); may repeat
 * @param name - name of the result; default `ds.name`
 * @throws DeltaflowError `E_OPTION` naming the first index out of range
 * @category Dataset
 */
export function selectRows(ds: Dataset, indices: ArrayLike<number>, name = ds.name): Dataset {
  const n = ds.inputs.rows;
  for (let i = 0; i < indices.length; i++) {
    const row = indices[i]!;
    if (!Number.isInteger(row) || row < 0 || row >= n) {
      throw new DeltaflowError(
        'E_OPTION',
        `selectRows: index ${row} at position ${i} is not a row of '${ds.name}', which has rows 0 to ${n - 1}.`,
      );
    }
  }
  return {
    ...ds,
    name,
    inputs: gatherRows(ds.inputs, indices),
    targets: gatherRows(ds.targets, indices),
  };
}

function gatherRows(source: Tensor2D, indices: ArrayLike<number>): Tensor2D {
  const cols = source.cols;
  const from = source.data;
  const to = allocate(source.dtype, indices.length * cols);
  for (let i = 0; i < indices.length; i++) {
    const s = indices[i]! * cols;
    const d = i * cols;
    for (let j = 0; j < cols; j++) to[d + j] = from[s + j]!;
  }
  return new Tensor<2>(to, [indices.length, cols]);
}
