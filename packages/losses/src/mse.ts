import type { Tensor } from '@deltaflow/tensor';
import { batchSize } from './batch.js';
import type { Loss } from './loss.js';

/**
 * The seed's error, half the sum of squares: per sample E = 1/2 sum_k (O_k - t_k)^2, averaged over the batch.
 * Its gradient is dE/dO_k = (O_k - t_k) / B, which with a sigmoid output gives the seed's
 * delta_k = (O_k - t_k) O_k (1 - O_k).
 *
 * Compared with PyTorch: `MSELoss(reduction='sum')(O, t) / (2 * B)` (PyTorch's default `'mean'` also divides by K
 * and has no 1/2).
 *
 * @example
 * ```ts
 * const O = Tensor.fromNested([[0.75136507, 0.772928465]], 'float64');
 * const t = Tensor.fromNested([[0.01, 0.99]], 'float64');
 * mse().forward(O, t); // the worked example of BACKPROP.md → 0.298371109
 * ```
 * @returns the `'mse'` loss (no config)
 * @category Losses
 */
export function mse(): Loss {
  return Object.freeze({
    name: 'mse',
    config: Object.freeze({}),
    forward(output: Tensor, target: Tensor): number {
      const B = batchSize('mse', output, target);
      const O = output.data;
      const t = target.data;
      let sum = 0;
      for (let i = 0; i < O.length; i++) {
        const d = O[i]! - t[i]!;
        sum += d * d;
      }
      return (0.5 * sum) / B;
    },
    backward(output: Tensor, target: Tensor, grad: Tensor): void {
      const B = batchSize('mse', output, target, grad);
      const O = output.data;
      const t = target.data;
      const g = grad.data;
      const scale = 1 / B;
      for (let i = 0; i < O.length; i++) g[i] = (O[i]! - t[i]!) * scale;
    },
  });
}
