import { DeltaflowError } from '@deltaflow/tensor';
import { circle } from './circle.js';
import type { Dataset, DatasetOptions } from './dataset.js';
import { gauss } from './gauss.js';
import { iris } from './iris.js';
import { loadMnist } from './mnist.js';
import { plane } from './plane.js';
import { spiral } from './spiral.js';
import { xor } from './xor.js';

/**
 * The names of the built-in datasets, for editors to complete.
 *
 * @example
 * ```ts
 * const name: DatasetName = 'spiral';
 * ```
 * @category Datasets
 */
export type DatasetName = 'xor' | 'circle' | 'spiral' | 'gauss' | 'plane' | 'iris' | 'mnist';

/**
 * Every built-in dataset name, in the order help texts list them.
 *
 * @example
 * ```ts
 * datasetNames.includes('iris'); // → true
 * ```
 * @category Datasets
 */
export const datasetNames: readonly DatasetName[] = [
  'xor',
  'circle',
  'spiral',
  'gauss',
  'plane',
  'iris',
  'mnist',
];

const SMALL: Record<Exclude<DatasetName, 'mnist'>, (options: DatasetOptions) => Dataset> = {
  xor,
  circle,
  spiral,
  gauss,
  plane,
  iris,
};

/**
 * Builds a small built-in dataset by name, synchronously (every set except mnist, which is loaded with
 * {@link loadDataset} or {@link loadMnist}). Browser-safe: what a dashboard's dataset picker calls.
 *
 * @example
 * ```ts
 * const ds = createDataset('spiral', { points: 300, noise: 0.1, seed: 7 });
 * ```
 * @param name - `'xor'`, `'circle'`, `'spiral'`, `'gauss'`, `'plane'` or `'iris'`
 * @param options - points, noise, seed, dtype (see {@link DatasetOptions})
 * @throws DeltaflowError `E_UNKNOWN` naming the known sets; `E_OPTION` for a bad option
 * @category Datasets
 */
export function createDataset(name: string, options: DatasetOptions = {}): Dataset {
  if (Object.hasOwn(SMALL, name)) return SMALL[name as keyof typeof SMALL](options);
  if (name === 'mnist') {
    throw new DeltaflowError(
      'E_UNKNOWN',
      `createDataset cannot build 'mnist' synchronously; use await loadDataset('mnist') or await loadMnist() instead.`,
    );
  }
  throw unknown(name);
}

/**
 * Loads a built-in dataset by name: the CLI's `--data xor|circle|spiral|gauss|plane|iris|mnist`.
 * Only `'mnist'` actually waits (it imports the `mnist` package on first use); the others are generated at once.
 *
 * @example
 * ```ts
 * const ds = await loadDataset('circle', { points: 500, noise: 0.1, seed: 42, dtype: 'float64' });
 * const digits = await loadDataset('mnist');
 * ```
 * @param name - one of {@link datasetNames}
 * @param options - points, noise, seed, dtype (see {@link DatasetOptions})
 * @throws DeltaflowError `E_UNKNOWN` naming the known sets; `E_OPTION` for a bad option
 * @category Datasets
 */
export async function loadDataset(name: string, options: DatasetOptions = {}): Promise<Dataset> {
  if (name === 'mnist') return loadMnist(options);
  if (Object.hasOwn(SMALL, name)) return SMALL[name as keyof typeof SMALL](options);
  throw unknown(name);
}

function unknown(name: string): DeltaflowError {
  return new DeltaflowError(
    'E_UNKNOWN',
    `Unknown dataset '${name}'; the built-in datasets are ${datasetNames.join(', ')}.`,
  );
}
