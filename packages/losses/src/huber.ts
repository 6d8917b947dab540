import { DeltaflowError } from '@deltaflow/tensor';
import type { Tensor } from '@deltaflow/tensor';
import { batchSize } from './batch.js';
import { resolveConfig } from './config.js';
import type { Loss } from './loss.js';

/**
 * The settings of {@link huber}.
 *
 * @example
 * ```ts
 * const config: HuberConfig = { delta: 2 };
 * huber(config).forward(output, target);
 * ```
 * @category Losses
 */
export type HuberConfig = {
  /** Where the loss turns from quadratic to linear; positive. PyTorch's default is 1. */
  readonly delta: number;
};

/**
 * The defaults of {@link huber}: `{ delta: 1 }`, as PyTorch's `HuberLoss`.
 *
 * @example
 * ```ts
 * huberDefaults.delta; // → 1
 * getLoss('huber').config; // → { delta: 1 }
 * ```
 * @category Losses
 */
export const huberDefaults: HuberConfig = Object.freeze({ delta: 1 });

/**
 * Huber loss, quadratic near the target and linear far from it. With d_k = O_k - t_k, per sample
 * E = sum_k h(d_k), where h(d) = 1/2 d^2 if |d| < delta, else delta (|d| - 1/2 delta); averaged over the batch.
 * Its gradient is dE/dO_k = d_k / B if |d_k| < delta, else delta sign(d_k) / B.
 *
 * Compared with PyTorch: `HuberLoss(reduction='sum', delta=delta)(O, t) / B`.
 *
 * @example
 * ```ts
 * const O = Tensor.fromNested([[0.5, 3]]);
 * const t = Tensor.fromNested([[0, 0]]);
 * huber().forward(O, t);             // 0.5 * 0.5^2 + 1 * (3 - 0.5) → 2.625
 * huber({ delta: 4 }).forward(O, t); // 0.5 * 0.5^2 + 0.5 * 3^2 → 4.625
 * ```
 * @param config - `delta`, merged over {@link huberDefaults}
 * @throws DeltaflowError `E_CONFIG` for an unknown key or a delta that is not a positive finite number
 * @category Losses
 */
export function huber(config?: Partial<HuberConfig>): Loss {
  const resolved = resolveConfig('huber', huberDefaults, config);
  const { delta } = resolved;
  if (!(delta > 0 && Number.isFinite(delta))) {
    throw new DeltaflowError(
      'E_CONFIG',
      `The loss 'huber': delta must be a positive finite number, not ${delta}.`,
    );
  }
  const half = 0.5 * delta;
  return Object.freeze({
    name: 'huber',
    config: resolved,
    forward(output: Tensor, target: Tensor): number {
      const B = batchSize('huber', output, target);
      const O = output.data;
      const t = target.data;
      let sum = 0;
      for (let i = 0; i < O.length; i++) {
        const d = O[i]! - t[i]!;
        const a = Math.abs(d);
        sum += a < delta ? 0.5 * d * d : delta * (a - half);
      }
      return sum / B;
    },
    backward(output: Tensor, target: Tensor, grad: Tensor): void {
      const B = batchSize('huber', output, target, grad);
      const O = output.data;
      const t = target.data;
      const g = grad.data;
      const scale = 1 / B;
      for (let i = 0; i < O.length; i++) {
        const d = O[i]! - t[i]!;
        g[i] = (Math.abs(d) < delta ? d : delta * Math.sign(d)) * scale;
      }
    },
  });
}
