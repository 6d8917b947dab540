import { DeltaflowError, Random } from '@deltaflow/tensor';
import { selectRows } from './dataset.js';
import type { Dataset } from './dataset.js';
import { DEFAULT_SEED } from './synthetic.js';

/**
 * A seeded random permutation of 0..n-1 (Fisher-Yates with xoshiro128**): the same seed gives the same order.
 *
 * @example
 * ```ts
 * permutation(5, 42); // e.g. Int32Array [3, 0, 4, 1, 2], the same on every run
 * ```
 * @param n - how many indices
 * @param seed - a seed, or a `Random` of `@deltaflow/tensor` to draw from (it advances); default 42
 * @category Shuffling
 */
export function permutation(n: number, seed: number | Random = DEFAULT_SEED): Int32Array {
  if (!Number.isInteger(n) || n < 0) {
    throw new DeltaflowError('E_OPTION', `permutation: n must be a non-negative integer, but it is ${n}.`);
  }
  const rng = typeof seed === 'number' ? new Random(seed) : seed;
  return rng.shuffle(Int32Array.from({ length: n }, (_, i) => i));
}

/**
 * A copy of `ds` with its rows in a seeded random order (inputs and targets stay paired).
 *
 * @example
 * ```ts
 * const mixed = shuffleDataset(iris(), 7);
 * ```
 * @param ds - the dataset
 * @param seed - a seed, or a `Random` of `@deltaflow/tensor` to draw from; default 42
 * @category Shuffling
 */
export function shuffleDataset(ds: Dataset, seed: number | Random = DEFAULT_SEED): Dataset {
  return selectRows(ds, permutation(ds.inputs.rows, seed));
}
