import type { Tensor } from '@deltaflow/tensor';
import { batchSize } from './batch.js';
import type { FusedLoss, Loss } from './loss.js';

/** PyTorch's floor for log O and log(1 - O) in `BCELoss`, so O = 0 or 1 gives a finite loss. */
const LOG_FLOOR = -100;
/** PyTorch's floor for O (1 - O) in the gradient of `BCELoss`: 1e-12 rounded to float32, as PyTorch has it. */
const EPSILON = Math.fround(1e-12);

const NAME = 'binary-cross-entropy';

/**
 * The fused path with a sigmoid output, from the logits x (O = 1 / (1 + e^-x)): per element
 * E = max(x, 0) - x t + log(1 + e^-|x|), which is -[t log O + (1 - t) log(1 - O)] without computing O, and
 * dE/dx = (O - t) / B.
 */
const withSigmoid: FusedLoss = Object.freeze({
  activation: 'sigmoid',
  forward(x: Tensor, output: Tensor, target: Tensor): number {
    const B = batchSize(NAME, output, target, x, 'x');
    const xs = x.data;
    const t = target.data;
    let sum = 0;
    for (let i = 0; i < xs.length; i++) {
      const xi = xs[i]!;
      sum += Math.max(xi, 0) - xi * t[i]! + Math.log1p(Math.exp(-Math.abs(xi)));
    }
    return sum / B;
  },
  backward(x: Tensor, output: Tensor, target: Tensor, gradX: Tensor): void {
    const B = batchSize(NAME, output, target, x, 'x');
    batchSize(NAME, output, target, gradX, 'gradX');
    const O = output.data;
    const t = target.data;
    const g = gradX.data;
    const scale = 1 / B;
    for (let i = 0; i < O.length; i++) g[i] = (O[i]! - t[i]!) * scale;
  },
});

/**
 * Binary cross-entropy, for outputs O_k in [0, 1] (a sigmoid output) and targets t_k in [0, 1]: per sample
 * E = -sum_k [t_k log O_k + (1 - t_k) log(1 - O_k)], averaged over the batch. As in PyTorch's `BCELoss`, each
 * log is floored at -100, so O = 0 or 1 gives a finite loss.
 *
 * Its gradient is dE/dO_k = (O_k - t_k) / (O_k (1 - O_k)) / B, with O_k (1 - O_k) floored at 1e-12 as PyTorch
 * does. With a sigmoid output layer the network uses {@link Loss.fused} instead: E from the logits x, and
 * dE/dx = (O - t) / B, since the sigmoid's O (1 - O) cancels.
 *
 * Compared with PyTorch: `BCELoss(reduction='sum')(O, t) / B`, and fused `BCEWithLogitsLoss(reduction='sum')(x, t) / B`.
 *
 * @example
 * ```ts
 * const bce = binaryCrossEntropy();
 * bce.forward(Tensor.fromNested([[0.8]]), Tensor.fromNested([[1]])); // -log 0.8 = 0.2231
 * ```
 * @returns the `'binary-cross-entropy'` loss (no config), fused with `'sigmoid'`
 * @category Losses
 */
export function binaryCrossEntropy(): Loss {
  return Object.freeze({
    name: NAME,
    config: Object.freeze({}),
    fused: withSigmoid,
    forward(output: Tensor, target: Tensor): number {
      const B = batchSize(NAME, output, target);
      const O = output.data;
      const t = target.data;
      let sum = 0;
      for (let i = 0; i < O.length; i++) {
        const o = O[i]!;
        const ti = t[i]!;
        sum -= ti * Math.max(Math.log(o), LOG_FLOOR) + (1 - ti) * Math.max(Math.log1p(-o), LOG_FLOOR);
      }
      return sum / B;
    },
    backward(output: Tensor, target: Tensor, grad: Tensor): void {
      const B = batchSize(NAME, output, target, grad);
      const O = output.data;
      const t = target.data;
      const g = grad.data;
      const scale = 1 / B;
      for (let i = 0; i < O.length; i++) {
        const o = O[i]!;
        g[i] = ((o - t[i]!) / Math.max(o * (1 - o), EPSILON)) * scale;
      }
    },
  });
}
