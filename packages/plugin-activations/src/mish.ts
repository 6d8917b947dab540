import type { ElementwiseActivationEntry } from '@deltaflow/core';

/** softplus(x) = ln(1 + e^x), computed as max(x, 0) + ln(1 + e^-|x|) so e^x never overflows. */
function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/** sigmoid(x) = 1 / (1 + e^-x), never taking e^ of a large positive number. */
function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * Mish (Misra, 2019): O = x tanh(softplus(x)), with softplus(x) = ln(1 + e^x); PyTorch's `F.mish`.
 *
 * Its derivative, which `backward` multiplies dE/dO by to get delta:
 * f'(x) = tanh(sp) + x (1 - tanh^2(sp)) sigmoid(x), where sp = softplus(x), because d sp/dx = sigmoid(x).
 *
 * @example
 * ```ts
 * import { mish } from '@deltaflow/plugin-activations';
 * mish.f(1);        // → 0.8650983882673103
 * mish.df(1, 0.87); // → 1.0490362200997922
 * ```
 * @category Activations
 */
export const mish: ElementwiseActivationEntry = {
  name: 'mish',
  f: (x) => x * Math.tanh(softplus(x)),
  df: (x) => {
    const t = Math.tanh(softplus(x));
    return t + x * (1 - t * t) * sigmoid(x);
  },
  // ONNX export: x tanh(softplus(x)), softplus(x) = max(x, 0) + log(1 + e^-|x|) as above
  onnx: (b, x) => {
    const tail = b.op('Log', [b.op('Add', [b.op('Exp', [b.op('Neg', [b.op('Abs', [x])])]), b.constant(1)])]);
    return b.op('Mul', [x, b.op('Tanh', [b.op('Add', [b.op('Relu', [x]), tail])])]);
  },
};
