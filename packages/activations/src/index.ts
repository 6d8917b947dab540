/**
 * Activation functions for deltaflow, each with its backward step: sigmoid (the lecture notes'), tanh, relu,
 * leaky-relu, elu, softplus, gelu, swish, softmax and linear, with PyTorch's default parameters, plus the
 * registry plugins add theirs to.
 *
 * @packageDocumentation
 */
import './register-builtins.js';

export type {
  Activation,
  ActivationConfig,
  ActivationSpec,
  ElementwiseActivationSpec,
} from './activation.js';
export { elementwise, toActivation } from './elementwise.js';
export { ERF_COEFFICIENTS, erf, erfc } from './erf.js';
export { activationToJSON, getActivation } from './get-activation.js';
export type { ActivationIdentifier, ActivationJSON } from './get-activation.js';
export { activations, registerActivation } from './registry.js';
export type {
  ActivationDefinition,
  ActivationFactory,
  BuiltinActivationName,
  RegisterActivationOptions,
} from './registry.js';
