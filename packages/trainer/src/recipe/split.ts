import { splitDataset } from '@deltaflow/data';
import type { Dataset } from '@deltaflow/data';
import { DeltaflowError } from '@deltaflow/tensor';
import type { TrainingData } from '../options.js';

const names = (n: number, prefix: string): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

/** Gives plain training data the names a Dataset carries, so {@link splitDataset} takes it. */
function asDataset(data: TrainingData | Dataset): Dataset {
  if ('featureNames' in data) return data;
  return {
    name: 'data',
    task: data.task ?? 'classification',
    inputs: data.inputs,
    targets: data.targets,
    featureNames: names(data.inputs.cols, 'x'),
    targetNames: names(data.targets.cols, 't'),
  };
}

/**
 * Holds out the validation part of a run: the one split of deltaflow, used by {@link prepareRun} and by
 * `train()`'s `validationSplit`. A seeded shuffle of the rows (or, with `shuffle: false`, the last rows), then
 * `round(N * fraction)` rows for validation.
 *
 * @example
 * ```ts
 * const { train, validation } = holdOut(iris(), 0.2, 42);
 * validation.inputs.rows; // 30
 * ```
 * @param data - the rows to split (a Dataset, or inputs and targets)
 * @param fraction - the option `validationSplit`, in (0, 1)
 * @param seed - seed of the shuffle
 * @param shuffle - shuffle before splitting; default true
 * @param option - the option named in messages; default `'validationSplit'` (the recipe's test rows: `'testSplit'`)
 * @throws DeltaflowError `E_OPTION` when the fraction is outside (0, 1) or holds out no row
 * @category Recipe
 */
export function holdOut(
  data: TrainingData | Dataset,
  fraction: number,
  seed: number,
  shuffle = true,
  option = 'validationSplit',
): { train: Dataset; validation: Dataset } {
  if (!(fraction > 0 && fraction < 1)) {
    throw new DeltaflowError('E_OPTION', `\`${option}\` must be between 0 and 1, got ${fraction}.`);
  }
  const ds = asDataset(data);
  const parts = splitDataset(ds, { validation: fraction, seed, shuffle });
  if (parts.validation.inputs.rows === 0) {
    throw new DeltaflowError(
      'E_OPTION',
      `\`${option}\` ${fraction} holds out no rows of the ${ds.inputs.rows} in ${ds.name}; use a larger fraction.`,
    );
  }
  return parts;
}
