import type { ElementwiseActivationSpec } from '@deltaflow/activations';

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
export const softsign: ElementwiseActivationSpec = {
  name: 'softsign',
  f: (x) => x / (1 + Math.abs(x)),
  df: (x) => 1 / (1 + Math.abs(x)) ** 2,
};
