import { DeltaflowError } from '@deltaflow/core';
import type { Random } from './random.js';
import type { TypedArray } from './tensor.js';

/**
 * Fills the weights of a layer with `fanIn` inputs and `fanOut` units. Written into `out` (length
 * `fanIn * fanOut` for weights, `fanOut` for biases), drawing from `rng`.
 *
 * @example
 * ```ts
 * // W_ij = 0.1 for every weight
 * const constant: Initializer = (out) => void out.fill(0.1);
 * ```
 * @category Initializers
 */
export type Initializer = (out: TypedArray, fanIn: number, fanOut: number, rng: Random) => void;

/**
 * The built-in initializer names.
 *
 * @example
 * ```ts
 * const name: InitializerName = 'he-normal';
 * const weights = Tensor.zeros([784, 128]);
 * getInitializer(name)(weights.data, 784, 128, new Random(1));
 * ```
 * @category Initializers
 */
export type InitializerName =
  | 'zeros'
  | 'uniform'
  | 'normal'
  | 'glorot-uniform'
  | 'glorot-normal'
  | 'he-uniform'
  | 'he-normal'
  | 'lecun-normal';

function fillUniform(out: TypedArray, rng: Random, bound: number): void {
  for (let i = 0; i < out.length; i++) out[i] = rng.range(-bound, bound);
}

function fillNormal(out: TypedArray, rng: Random, std: number): void {
  for (let i = 0; i < out.length; i++) out[i] = rng.normal(0, std);
}

/**
 * The built-in initializers, following PyTorch's `torch.nn.init` (gain 1; he uses gain sqrt(2)):
 * - `zeros`: 0
 * - `uniform`: U(-0.05, 0.05); `normal`: N(0, 0.05^2)
 * - `glorot-uniform`: U(-a, a), a = sqrt(6 / (fanIn + fanOut)); `glorot-normal`: std = sqrt(2 / (fanIn + fanOut))
 * - `he-uniform`: a = sqrt(6 / fanIn); `he-normal`: std = sqrt(2 / fanIn)
 * - `lecun-normal`: std = sqrt(1 / fanIn)
 *
 * @example
 * ```ts
 * const w = new Float64Array(2 * 4);
 * initializers['glorot-uniform'](w, 2, 4, new Random(1));
 * ```
 * @category Initializers
 */
export const initializers: Readonly<Record<InitializerName, Initializer>> = Object.freeze({
  zeros: (out) => void out.fill(0),
  uniform: (out, _fanIn, _fanOut, rng) => fillUniform(out, rng, 0.05),
  normal: (out, _fanIn, _fanOut, rng) => fillNormal(out, rng, 0.05),
  'glorot-uniform': (out, fanIn, fanOut, rng) => fillUniform(out, rng, Math.sqrt(6 / (fanIn + fanOut))),
  'glorot-normal': (out, fanIn, fanOut, rng) => fillNormal(out, rng, Math.sqrt(2 / (fanIn + fanOut))),
  'he-uniform': (out, fanIn, _fanOut, rng) => fillUniform(out, rng, Math.sqrt(6 / fanIn)),
  'he-normal': (out, fanIn, _fanOut, rng) => fillNormal(out, rng, Math.sqrt(2 / fanIn)),
  'lecun-normal': (out, fanIn, _fanOut, rng) => fillNormal(out, rng, Math.sqrt(1 / fanIn)),
});

/**
 * Looks up a built-in initializer by name, or passes a function through.
 *
 * @example
 * ```ts
 * const weights = new Float32Array(784 * 128);
 * getInitializer('he-normal')(weights, 784, 128, new Random(1));
 * ```
 * @throws DeltaflowError `E_UNKNOWN` naming the known initializers
 * @category Initializers
 */
export function getInitializer(id: InitializerName | Initializer | string): Initializer {
  if (typeof id === 'function') return id;
  const found = (initializers as Record<string, Initializer>)[id];
  if (!found) {
    throw new DeltaflowError(
      'E_UNKNOWN',
      `Unknown initializer '${id}'; known: ${Object.keys(initializers).join(', ')}.`,
    );
  }
  return found;
}
