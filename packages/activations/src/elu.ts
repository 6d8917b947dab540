import type { ActivationFactory } from './registry.js';
import { elementwise } from './elementwise.js';

/** Parameters of elu; PyTorch's `alpha`. */
export type EluConfig = { readonly alpha: number };

/**
 * O = x for x > 0, else alpha (e^x - 1) (with expm1, exact near 0); dO/dx = 1 for x > 0, else alpha e^x.
 * Default alpha 1, PyTorch's.
 */
export const elu: ActivationFactory<EluConfig> = {
  name: 'elu',
  defaults: { alpha: 1 },
  create: (config) => {
    const alpha = config.alpha;
    return elementwise({
      name: 'elu',
      config,
      f: (x) => (x > 0 ? x : alpha * Math.expm1(x)),
      df: (x) => (x > 0 ? 1 : alpha * Math.exp(x)),
      // f' jumps at 0 unless alpha = 1, and even then f'' does (0 on the right, 1 on the left).
      kinks: [0],
    });
  },
};
