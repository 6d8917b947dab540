import type { ActivationFactory } from './registry.js';
import { elementwise } from './elementwise.js';

/** Parameters of leaky-relu; PyTorch's `negative_slope`. */
export type LeakyReluConfig = { readonly negativeSlope: number };

/**
 * O = x for x > 0, else negativeSlope * x; dO/dx = 1 for x > 0, else negativeSlope (as in PyTorch, the
 * slope is used at x = 0). Default negativeSlope 0.01, PyTorch's.
 */
export const leakyRelu: ActivationFactory<LeakyReluConfig> = {
  name: 'leaky-relu',
  defaults: { negativeSlope: 0.01 },
  create: (config) => {
    const a = config.negativeSlope;
    return elementwise({
      name: 'leaky-relu',
      config,
      f: (x) => (x > 0 ? x : a * x),
      df: (x) => (x > 0 ? 1 : a),
      kinks: [0],
    });
  },
};
