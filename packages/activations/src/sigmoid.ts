import type { TypedArray } from '@deltaflow/tensor';
import type { ElementwiseActivationSpec } from './activation.js';
import { withKernels } from './elementwise.js';

/**
 * The logistic function 1 / (1 + e^-x), computed without overflow: for x < 0 as e^x / (1 + e^x), so e^-x is
 * never taken of a large positive number.
 */
export function logistic(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** The lecture notes' transfer function: O = 1 / (1 + e^-x), dO/dx = O (1 - O). */
export const sigmoidSpec: ElementwiseActivationSpec = {
  name: 'sigmoid',
  f: logistic,
  df: (_x, y) => y * (1 - y),
};

function sigmoidForward(x: TypedArray, out: TypedArray): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v >= 0) {
      out[i] = 1 / (1 + Math.exp(-v));
    } else {
      const e = Math.exp(v);
      out[i] = e / (1 + e);
    }
  }
}

/** delta_j = O_j (1 - O_j) * dE/dO_j, the lecture notes' hidden-node rule. */
function sigmoidBackward(_x: TypedArray, y: TypedArray, dy: TypedArray, dx: TypedArray): void {
  for (let i = 0; i < y.length; i++) {
    const o = y[i]!;
    dx[i] = o * (1 - o) * dy[i]!;
  }
}

/** sigmoid, with its forward and backward as tight loops over the typed arrays. */
export const sigmoid = withKernels(sigmoidSpec, { forward: sigmoidForward, backward: sigmoidBackward });
