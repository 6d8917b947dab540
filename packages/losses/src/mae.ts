import type { Tensor } from '@deltaflow/tensor';
import { batchSize } from './batch.js';
import type { Loss } from './loss.js';

/**
 * Mean absolute error: per sample E = sum_k |O_k - t_k|, averaged over the batch. Its gradient is
 * dE/dO_k = sign(O_k - t_k) / B, taken as 0 where O_k = t_k (as PyTorch does).
 *
 * Compared with PyTorch: `L1Loss(reduction='sum')(O, t) / B`.
 *
 * @example
 * ```ts
 * mae().forward(Tensor.fromNested([[1, 2]]), Tensor.fromNested([[0, 4]])); // |1 - 0| + |2 - 4| = 3
 * ```
 * @returns the `'mae'` loss (no config)
 * @category Losses
 */
export function mae(): Loss {
  return Object.freeze({
    name: 'mae',
    config: Object.freeze({}),
    forward(output: Tensor, target: Tensor): number {
      const B = batchSize('mae', output, target);
      const O = output.data;
      const t = target.data;
      let sum = 0;
      for (let i = 0; i < O.length; i++) sum += Math.abs(O[i]! - t[i]!);
      return sum / B;
    },
    backward(output: Tensor, target: Tensor, grad: Tensor): void {
      const B = batchSize('mae', output, target, grad);
      const O = output.data;
      const t = target.data;
      const g = grad.data;
      const scale = 1 / B;
      for (let i = 0; i < O.length; i++) g[i] = Math.sign(O[i]! - t[i]!) * scale;
    },
  });
}
