import { Tensor, allocate } from '@deltaflow/tensor';
import { checkDType } from './dataset.js';
import type { Dataset, DatasetOptions } from './dataset.js';
import { IRIS_ROWS } from './iris-data.js';

const CLASS_NAMES = ['setosa', 'versicolor', 'virginica'];

/**
 * Fisher's iris flowers (1936): 150 samples, 4 features in cm (sepal length, sepal width, petal length, petal
 * width), 3 classes of 50 (setosa, versicolor, virginica) as one-hot targets, in the published order (sorted by
 * class, so split it with shuffling). The numbers are bundled with the package; only `dtype` is used.
 *
 * @example
 * ```ts
 * const ds = iris();
 * ds.inputs.shape;  // → [150, 4]
 * ds.targets.get(0, 0); // the first flower is a setosa → 1
 * ```
 * @param options - `dtype` (default float32)
 * @category Datasets
 */
export function iris(options: Pick<DatasetOptions, 'dtype'> = {}): Dataset {
  const dtype = checkDType(options.dtype ?? 'float32', 'iris');
  const n = IRIS_ROWS.length;
  const inputs = allocate(dtype, n * 4);
  const targets = allocate(dtype, n * 3);
  IRIS_ROWS.forEach((row, i) => {
    for (let j = 0; j < 4; j++) inputs[i * 4 + j] = row[j];
    targets[i * 3 + row[4]] = 1;
  });
  return {
    name: 'iris',
    task: 'classification',
    inputs: new Tensor<2>(inputs, [n, 4]),
    targets: new Tensor<2>(targets, [n, 3]),
    featureNames: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'],
    targetNames: [...CLASS_NAMES],
    classNames: [...CLASS_NAMES],
  };
}
