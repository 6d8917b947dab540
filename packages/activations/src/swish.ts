import type { ElementwiseActivationSpec } from './activation.js';
import { elementwise } from './elementwise.js';
import { logistic } from './sigmoid.js';

/**
 * swish with beta 1, PyTorch's SiLU: O = x sigmoid(x), dO/dx = sigmoid(x) (1 + x (1 - sigmoid(x))). The
 * sigmoid is the overflow-free one, so O is 0 (not NaN) at x = -1000.
 */
export const swishSpec: ElementwiseActivationSpec = {
  name: 'swish',
  f: (x) => x * logistic(x),
  df: (x) => {
    const s = logistic(x);
    return s * (1 + x * (1 - s));
  },
};

/** swish (SiLU). */
export const swish = elementwise(swishSpec);
