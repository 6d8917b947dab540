import { checkConfig } from './config.js';
import { elementwise } from './elementwise.js';
import type { ActivationFactory } from './registry.js';
import { logistic } from './sigmoid.js';

/** Parameters of softplus; PyTorch's `beta` and `threshold`. */
export type SoftplusConfig = { readonly beta: number; readonly threshold: number };

/**
 * O = log(1 + e^(beta x)) / beta, dO/dx = sigmoid(beta x); as in PyTorch, where beta x > threshold it is the
 * identity (O = x, dO/dx = 1), so e^(beta x) never overflows. log1p keeps O exact for very negative x.
 * Defaults beta 1, threshold 20, PyTorch's.
 */
export const softplus: ActivationFactory<SoftplusConfig> = {
  name: 'softplus',
  defaults: { beta: 1, threshold: 20 },
  create: (config) => {
    const { beta, threshold } = config;
    checkConfig(beta > 0, 'softplus', `beta must be positive, got ${beta}.`);
    return elementwise({
      name: 'softplus',
      config,
      f: (x) => (beta * x > threshold ? x : Math.log1p(Math.exp(beta * x)) / beta),
      df: (x) => (beta * x > threshold ? 1 : logistic(beta * x)),
    });
  },
};
