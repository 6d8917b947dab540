import type { ElementwiseActivationEntry } from '@deltaflow/core';

/**
 * Hard sigmoid, PyTorch's `F.hardsigmoid`: a piecewise-linear sigmoid, cheap to compute.
 * O = 0 for x <= -3, 1 for x >= 3, and x / 6 + 1/2 in between.
 *
 * Its derivative: f'(x) = 1/6 for -3 < x < 3, else 0 (PyTorch's choice at the kinks).
 *
 * @example
 * ```ts
 * import { hardSigmoid } from '@deltaflow/plugin-activations';
 * hardSigmoid.f(1.5);        // → 0.75
 * hardSigmoid.df(1.5, 0.75); // 1/6 → 0.16666666666666666
 * ```
 * @category Activations
 */
export const hardSigmoid: ElementwiseActivationEntry = {
  name: 'hard-sigmoid',
  f: (x) => (x <= -3 ? 0 : x >= 3 ? 1 : x / 6 + 0.5),
  df: (x) => (x > -3 && x < 3 ? 1 / 6 : 0),
  kinks: [-3, 3],
  // ONNX export: min(max(x / 6 + 1/2, 0), 1)
  onnx: (b, x) =>
    b.op('Min', [
      b.op('Max', [b.op('Add', [b.op('Div', [x, b.constant(6)]), b.constant(0.5)]), b.constant(0)]),
      b.constant(1),
    ]),
};
