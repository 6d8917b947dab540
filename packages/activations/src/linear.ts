import type { TypedArray } from '@deltaflow/tensor';
import type { ElementwiseActivationSpec } from './activation.js';
import { withKernels } from './elementwise.js';

/** The identity: O = x, dO/dx = 1 (a regression output). */
export const linearSpec: ElementwiseActivationSpec = {
  name: 'linear',
  f: (x) => x,
  df: () => 1,
};

/** Copies (converting float32 and float64 as needed); nothing to do when `out` already is `x`. */
function copy(from: TypedArray, to: TypedArray): void {
  if (from !== to) to.set(from);
}

/** linear: forward copies x, backward copies dE/dO. */
export const linear = withKernels(linearSpec, {
  forward: copy,
  backward: (_x, _y, dy, dx) => copy(dy, dx),
});
