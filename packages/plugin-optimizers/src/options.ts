import { DeltaflowError } from '@deltaflow/core';
import type { FloatArray as TypedArray, FloatType as DType } from '@deltaflow/core';

// Helpers shared by the three rules (internal: not exported from the package).

/** A zeroed state buffer of `size` numbers in the parameter's dtype. */
export function zeros(size: number, dtype: DType): TypedArray {
  return dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
}

/** Refuses `value` unless `min <= value < below`, naming the rule and the option (code `E_CONFIG`). */
export function checkRange(rule: string, key: string, value: number, min: number, below = Infinity): void {
  if (!(value >= min && value < below)) {
    const range = below === Infinity ? `>= ${min}` : `in [${min}, ${below})`;
    throw new DeltaflowError(
      'E_CONFIG',
      `The optimizer '${rule}': invalid ${key} = ${value}; it must be ${range}.`,
    );
  }
}

/** The options every rule here shares: betas in [0, 1), weightDecay >= 0, and eps >= 0 where there is one. */
export function checkCommon(
  rule: string,
  options: { beta1: number; beta2: number; weightDecay: number; eps?: number },
): void {
  checkRange(rule, 'beta1', options.beta1, 0, 1);
  checkRange(rule, 'beta2', options.beta2, 0, 1);
  checkRange(rule, 'weightDecay', options.weightDecay, 0);
  if (options.eps !== undefined) checkRange(rule, 'eps', options.eps, 0);
}
