import { Tensor } from '@deltaflow/tensor';
import { checkDType } from './dataset.js';
import type { Dataset, DatasetOptions } from './dataset.js';

/**
 * The four points of exclusive or, the lecture notes' problem: inputs (0,0), (0,1), (1,0), (1,1) and targets 0, 1, 1, 0
 * in one column, in that order. Only `dtype` is used; the points are fixed.
 *
 * @example
 * ```ts
 * const ds = xor();
 * ds.inputs.toNested();  // → [[0, 0], [0, 1], [1, 0], [1, 1]]
 * ds.targets.toNested(); // → [[0], [1], [1], [0]]
 * ```
 * @param options - `dtype` (default float32)
 * @category Datasets
 */
export function xor(options: Pick<DatasetOptions, 'dtype'> = {}): Dataset {
  const dtype = checkDType(options.dtype ?? 'float32', 'xor');
  return {
    name: 'xor',
    task: 'classification',
    inputs: Tensor.fromNested(
      [
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
      ],
      dtype,
    ),
    targets: Tensor.fromNested([[0], [1], [1], [0]], dtype),
    featureNames: ['x1', 'x2'],
    targetNames: ['xor'],
    classNames: ['0', '1'],
  };
}
