import type { TypedArray } from '@deltaflow/tensor';
import type { ElementwiseActivationSpec } from './activation.js';
import { withKernels } from './elementwise.js';

/** O = tanh(x), dO/dx = 1 - O^2. */
export const tanhSpec: ElementwiseActivationSpec = {
  name: 'tanh',
  f: Math.tanh,
  df: (_x, y) => 1 - y * y,
};

function tanhForward(x: TypedArray, out: TypedArray): void {
  for (let i = 0; i < x.length; i++) out[i] = Math.tanh(x[i]!);
}

function tanhBackward(_x: TypedArray, y: TypedArray, dy: TypedArray, dx: TypedArray): void {
  for (let i = 0; i < y.length; i++) {
    const o = y[i]!;
    dx[i] = (1 - o * o) * dy[i]!;
  }
}

/** tanh, with tight loops over the typed arrays. */
export const tanh = withKernels(tanhSpec, { forward: tanhForward, backward: tanhBackward });
