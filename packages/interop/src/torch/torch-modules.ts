import type { ActivationConfig } from '@deltaflow/activations';
import { DeltaflowError } from '@deltaflow/core';

/** A float as Python source: always with a decimal point or an exponent, the shortest round-trip digits. */
export function pyFloat(x: number): string {
  if (!Number.isFinite(x)) {
    throw new DeltaflowError(
      'E_MODEL',
      `The number ${x} cannot be written into model.py; give finite activation parameters.`,
    );
  }
  const text = String(x);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

/** A Python string literal (JSON's escapes are valid Python). */
export const pyString = (s: string): string => JSON.stringify(s);

/**
 * The torch module of a built-in activation, as Python source (`torch.nn` imported as `nn`). Every built-in has
 * one with PyTorch's formula and parameters; a plugin activation has none and is refused, naming it.
 */
export function torchActivation(name: string, config: ActivationConfig, layer: number): string {
  const n = (key: string): number => config[key] as number;
  switch (name) {
    case 'sigmoid':
      return 'nn.Sigmoid()';
    case 'tanh':
      return 'nn.Tanh()';
    case 'relu':
      return 'nn.ReLU()';
    case 'leaky-relu':
      return `nn.LeakyReLU(negative_slope=${pyFloat(n('negativeSlope'))})`;
    case 'elu':
      return `nn.ELU(alpha=${pyFloat(n('alpha'))})`;
    case 'softplus':
      return `nn.Softplus(beta=${pyFloat(n('beta'))}, threshold=${pyFloat(n('threshold'))})`;
    case 'gelu':
      return `nn.GELU(approximate=${pyString(String(config['approximate']))})`;
    case 'swish':
      return 'nn.SiLU()';
    case 'softmax':
      return 'nn.Softmax(dim=-1)';
    case 'linear':
      return 'nn.Identity()';
    default:
      throw new DeltaflowError(
        'E_DEFINITION',
        `The activation '${name}' of layer ${layer} comes from a plugin and has no PyTorch module, so it cannot be exported to PyTorch; use a built-in activation, or export with --format js or onnx.`,
      );
  }
}
