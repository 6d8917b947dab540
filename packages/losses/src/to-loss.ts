import { DeltaflowError } from '@deltaflow/tensor';
import type { Loss, LossSpec } from './loss.js';
import { perSample } from './per-sample.js';

/**
 * Either plugin form as a batch {@link Loss}: a full `Loss` (with `forward` and `backward`) is returned as it
 * is, a per-sample spec (`f`, `df`) goes through {@link perSample}.
 *
 * @example
 * ```ts
 * const loss = toLoss(logCosh);
 * loss.forward(output, target);
 * ```
 * @throws DeltaflowError `E_DEFINITION` when `spec` has neither `forward`/`backward` nor `f`/`df` functions
 * @category Loss
 */
export function toLoss(spec: LossSpec): Loss {
  if ('forward' in spec && typeof spec.forward === 'function' && typeof spec.backward === 'function')
    return spec;
  if ('f' in spec && typeof spec.f === 'function' && typeof spec.df === 'function') return perSample(spec);
  const name = (spec as { name?: unknown }).name;
  throw new DeltaflowError(
    'E_DEFINITION',
    `The loss ${JSON.stringify(name)} has neither f and df (per sample) nor forward and backward (batch); give one pair.`,
  );
}
