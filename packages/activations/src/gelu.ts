import type { Activation } from './activation.js';
import { checkConfig } from './config.js';
import { elementwise } from './elementwise.js';
import { erfc } from './erf.js';
import type { ActivationFactory } from './registry.js';

/** Parameters of gelu; PyTorch's `approximate`: `'none'` (exact, with erf) or `'tanh'`. */
export type GeluConfig = { readonly approximate: 'none' | 'tanh' };

const SQRT1_2 = Math.SQRT1_2;
/** 1 / sqrt(2 pi), the height of the standard normal density at 0. */
const INV_SQRT_2PI = 0.3989422804014327;
/** sqrt(2 / pi), the scale inside the tanh approximation. */
const SQRT_2_OVER_PI = 0.7978845608028654;
const KAPPA = 0.044715;

/**
 * Exact GELU: O = x Phi(x) with Phi(x) = erfc(-x / sqrt 2) / 2 (the same as (1 + erf(x / sqrt 2)) / 2, without
 * its cancellation for negative x); dO/dx = Phi(x) + x phi(x), phi(x) = e^(-x^2 / 2) / sqrt(2 pi).
 */
function exact(config: GeluConfig): Activation {
  return elementwise({
    name: 'gelu',
    config,
    f: (x) => 0.5 * x * erfc(-x * SQRT1_2),
    df: (x) => 0.5 * erfc(-x * SQRT1_2) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x),
  });
}

/**
 * The tanh approximation: O = x (1 + tanh u) / 2 with u = sqrt(2 / pi) (x + 0.044715 x^3);
 * dO/dx = (1 + tanh u) / 2 + x (1 - tanh^2 u) / 2 * sqrt(2 / pi) (1 + 3 * 0.044715 x^2).
 */
function tanhApproximation(config: GeluConfig): Activation {
  return elementwise({
    name: 'gelu',
    config,
    f: (x) => 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + KAPPA * x * x * x))),
    df: (x) => {
      const t = Math.tanh(SQRT_2_OVER_PI * (x + KAPPA * x * x * x));
      return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * KAPPA * x * x);
    },
  });
}

/** GELU, exact by default (PyTorch's `approximate='none'`), or `{ approximate: 'tanh' }`. */
export const gelu: ActivationFactory<GeluConfig> = {
  name: 'gelu',
  defaults: { approximate: 'none' },
  create: (config) => {
    const approximate: string = config.approximate;
    checkConfig(
      approximate === 'none' || approximate === 'tanh',
      'gelu',
      `approximate must be 'none' or 'tanh', got '${approximate}'.`,
    );
    return approximate === 'tanh' ? tanhApproximation(config) : exact(config);
  },
};
