import { DeltaflowError, Tensor, allocate } from '@deltaflow/tensor';
import type { Dataset } from './dataset.js';

/**
 * The largest label, and the most distinct labels, a numeric target column may hold for
 * {@link integerClassLabels} to read it as class labels (digits 0-9 have 10, wine 0-2; an age or a price runs
 * higher).
 *
 * @example
 * ```ts
 * MAX_INFERRED_CLASSES; // → 20
 * ```
 * @category Dataset
 */
export const MAX_INFERRED_CLASSES = 20;

/**
 * The class labels a numeric target column most likely holds, or `undefined` when it looks like real values.
 * The rule, shared by the run recipe, the CLI and the dashboard: the dataset has one target column, not already
 * classes (`classNames`), whose values are all integers from 0 to {@link MAX_INFERRED_CLASSES}, with more than 2
 * distinct values and at least twice as many rows as values (so each label is seen twice on average). Two
 * values (0/1) already make a binary classification set.
 *
 * @example
 * ```ts
 * const wine = parseCsv('alcohol,class\n14.2,0\n13.2,1\n12.4,2\n13.1,0\n12.9,1\n12.2,2\n');
 * integerClassLabels(wine); // → [0, 1, 2]
 * ```
 * @param ds - the dataset whose targets are looked at
 * @returns the distinct labels in increasing order, or undefined
 * @category Dataset
 */
export function integerClassLabels(ds: Dataset): number[] | undefined {
  if (ds.classNames !== undefined || ds.targets.cols !== 1) return undefined;
  const seen = new Set<number>();
  for (const v of ds.targets.data) {
    if (!Number.isInteger(v) || v < 0 || v > MAX_INFERRED_CLASSES) return undefined;
    seen.add(v);
  }
  const enough = seen.size > 2 && seen.size <= MAX_INFERRED_CLASSES && ds.targets.rows >= 2 * seen.size;
  return enough ? [...seen].sort((a, b) => a - b) : undefined;
}

/**
 * The dataset with its single numeric target column turned into one-hot class columns, one per distinct value
 * in increasing order (`classNames` `'0'`, `'1'`, ...): the targets a softmax output and cross-entropy
 * (-sum_k t_k log O_k) need. A set that already has one-hot classes is returned as it is.
 *
 * @example
 * ```ts
 * const ds = oneHotTargets(parseCsv('x,digit\n0.5,7\n0.1,3\n'));
 * ds.targets.shape; // → [2, 2]
 * ds.classNames;    // → ['3', '7']
 * ```
 * @param ds - a dataset with one numeric target column
 * @returns a classification dataset with one-hot targets
 * @throws DeltaflowError `E_SHAPE` when the dataset has more than one target column
 * @category Dataset
 */
export function oneHotTargets(ds: Dataset): Dataset {
  if (ds.classNames !== undefined && ds.targets.cols > 1) return ds;
  if (ds.targets.cols !== 1) {
    throw new DeltaflowError(
      'E_SHAPE',
      `${ds.name}: class labels need a single target column, but it has ${ds.targets.cols} (${ds.targetNames.join(', ')}); choose the label column alone as target.`,
    );
  }
  const values = [...new Set(ds.targets.data)].sort((a, b) => a - b);
  const column = new Map(values.map((v, k) => [v, k]));
  const rows = ds.targets.rows;
  const k = values.length;
  const oneHot = allocate(ds.targets.dtype, rows * k);
  for (let i = 0; i < rows; i++) oneHot[i * k + column.get(ds.targets.data[i]!)!] = 1;
  const names = values.map((v) => String(v));
  return {
    ...ds,
    task: 'classification',
    targets: new Tensor<2>(oneHot, [rows, k]),
    targetNames: [...names],
    classNames: names,
  };
}
