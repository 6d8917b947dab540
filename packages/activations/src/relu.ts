import type { TypedArray } from '@deltaflow/tensor';
import type { ElementwiseActivationSpec } from './activation.js';
import { withKernels } from './elementwise.js';

/** O = max(0, x), dO/dx = 1 for x > 0 and 0 otherwise (0 at x = 0, as in PyTorch). NaN stays NaN. */
export const reluSpec: ElementwiseActivationSpec = {
  name: 'relu',
  f: (x) => Math.max(x, 0),
  df: (x) => (x > 0 ? 1 : 0),
  kinks: [0],
};

function reluForward(x: TypedArray, out: TypedArray): void {
  for (let i = 0; i < x.length; i++) out[i] = Math.max(x[i]!, 0);
}

function reluBackward(x: TypedArray, _y: TypedArray, dy: TypedArray, dx: TypedArray): void {
  for (let i = 0; i < x.length; i++) dx[i] = x[i]! > 0 ? dy[i]! : 0;
}

/** relu, with tight loops over the typed arrays. */
export const relu = withKernels(reluSpec, { forward: reluForward, backward: reluBackward });
