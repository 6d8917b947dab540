import type { ElementwiseActivationEntry } from '@deltaflow/core';

/**
 * Softsign: O = x / (1 + |x|), a tanh-like curve whose tails approach ±1 polynomially; PyTorch's `F.softsign`.
 *
 * Its derivative: f'(x) = 1 / (1 + |x|)^2.
 *
 * @example
 * ```ts
 * import { softsign } from '@deltaflow/plugin-activations';
 * softsign.f(3);       // → 0.75
 * softsign.df(3, 0.75); // → 0.0625
 * ```
 * @category Activations
 */
export const softsign: ElementwiseActivationEntry = {
  name: 'softsign',
  f: (x) => x / (1 + Math.abs(x)),
  df: (x) => 1 / (1 + Math.abs(x)) ** 2,
  // f' is continuous at 0, f'' is not (-2 on the right, +2 on the left).
  kinks: [0],
  // ONNX export: x / (1 + |x|)
  onnx: (b, x) => b.op('Div', [x, b.op('Add', [b.op('Abs', [x]), b.constant(1)])]),
};
