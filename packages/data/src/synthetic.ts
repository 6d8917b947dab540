// Shared plumbing of the generated 2-D sets (circle, spiral, gauss, plane): option checks and the final
// seeded shuffle into a Dataset. Internal: not exported from the package.
import { DeltaflowError, Random, Tensor, allocate } from '@deltaflow/tensor';
import type { DType } from '@deltaflow/tensor';
import { checkDType } from './dataset.js';
import type { Dataset, DatasetOptions, Task } from './dataset.js';

/** Default number of points of a generated set, as in the playground. */
export const DEFAULT_POINTS = 500;
/** Default seed of every seeded function of this package. */
export const DEFAULT_SEED = 42;

/** Options with their defaults filled in and checked. */
export interface SyntheticSettings {
  points: number;
  noise: number;
  rng: Random;
  dtype: DType;
}

/** Fills in defaults and refuses bad values with `E_OPTION`, naming the set and the option. */
export function settings(name: string, options: DatasetOptions, minPoints: number): SyntheticSettings {
  const { points = DEFAULT_POINTS, noise = 0, seed = DEFAULT_SEED, dtype = 'float32' } = options;
  if (!Number.isInteger(points) || points < minPoints) {
    throw new DeltaflowError(
      'E_OPTION',
      `${name}: points must be an integer of at least ${minPoints}, but it is ${points}.`,
    );
  }
  if (!Number.isFinite(noise) || noise < 0) {
    throw new DeltaflowError(
      'E_OPTION',
      `${name}: noise must be a finite number >= 0 (the playground uses 0 to 0.5), but it is ${noise}.`,
    );
  }
  if (!Number.isFinite(seed)) {
    throw new DeltaflowError('E_OPTION', `${name}: seed must be a finite number, but it is ${seed}.`);
  }
  return { points, noise, rng: new Random(seed), dtype: checkDType(dtype, name) };
}

/**
 * Turns generated points (x1, x2 pairs in `xy`, one target each in `t`) into a dataset whose rows are shuffled
 * by `rng`, so that the classes are interleaved as in the playground.
 */
export function pointsDataset(
  name: string,
  task: Task,
  xy: Float64Array,
  t: Float64Array,
  s: SyntheticSettings,
  names: { targetNames: string[]; classNames?: string[] },
): Dataset {
  const n = t.length;
  const order = s.rng.shuffle(Int32Array.from({ length: n }, (_, i) => i));
  const inputs = allocate(s.dtype, 2 * n);
  const targets = allocate(s.dtype, n);
  for (let i = 0; i < n; i++) {
    const k = order[i]!;
    inputs[2 * i] = xy[2 * k]!;
    inputs[2 * i + 1] = xy[2 * k + 1]!;
    targets[i] = t[k]!;
  }
  return {
    name,
    task,
    inputs: new Tensor<2>(inputs, [n, 2]),
    targets: new Tensor<2>(targets, [n, 1]),
    featureNames: ['x1', 'x2'],
    ...names,
  };
}
