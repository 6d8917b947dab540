import type { Tensor } from '@deltaflow/tensor';
import { batchSize } from './batch.js';
import type { FusedLoss, Loss } from './loss.js';

/** The floor for log O_k, as PyTorch's `BCELoss` uses, so an output of 0 gives a finite loss. */
const LOG_FLOOR = -100;
/** The floor for O_k in the gradient -t_k / O_k. */
const EPSILON = 1e-12;

const NAME = 'cross-entropy';

/**
 * The fused path with a softmax output, from the logits x of each sample: log O_k = x_k - lse(x) with
 * lse(x) = m + log sum_j e^(x_j - m), m = max_j x_j, so per sample E = sum_k t_k (lse(x) - x_k) never takes
 * log 0. dE/dx_k = (O_k sum_j t_j - t_k) / B, which is (O_k - t_k) / B when the targets sum to 1.
 */
const withSoftmax: FusedLoss = Object.freeze({
  activation: 'softmax',
  forward(x: Tensor, output: Tensor, target: Tensor): number {
    const B = batchSize(NAME, output, target, x, 'x');
    const K = output.cols;
    const xs = x.data;
    const t = target.data;
    let sum = 0;
    for (let b = 0; b < B; b++) {
      const row = b * K;
      let m = -Infinity;
      for (let k = 0; k < K; k++) m = Math.max(m, xs[row + k]!);
      let s = 0;
      for (let k = 0; k < K; k++) s += Math.exp(xs[row + k]! - m);
      const lse = m + Math.log(s);
      for (let k = 0; k < K; k++) {
        const tk = t[row + k]!;
        if (tk !== 0) sum += tk * (lse - xs[row + k]!);
      }
    }
    return sum / B;
  },
  backward(x: Tensor, output: Tensor, target: Tensor, gradX: Tensor): void {
    const B = batchSize(NAME, output, target, x, 'x');
    batchSize(NAME, output, target, gradX, 'gradX');
    const K = output.cols;
    const O = output.data;
    const t = target.data;
    const g = gradX.data;
    const scale = 1 / B;
    for (let b = 0; b < B; b++) {
      const row = b * K;
      let total = 0;
      for (let k = 0; k < K; k++) total += t[row + k]!;
      for (let k = 0; k < K; k++) g[row + k] = (O[row + k]! * total - t[row + k]!) * scale;
    }
  },
});

/**
 * Categorical cross-entropy, for outputs O_k that are probabilities (a softmax output) and targets t_k that are
 * one-hot or a distribution: per sample E = -sum_k t_k log O_k, averaged over the batch. log O_k is floored at
 * -100 (as PyTorch's `BCELoss` does), so an output of 0 gives a finite loss.
 *
 * Its gradient is dE/dO_k = -t_k / O_k / B (O_k floored at 1e-12). With a softmax output layer the network uses
 * {@link Loss.fused} instead: E from the logits x by log-sum-exp, and the combined gradient dE/dx = (O - t) / B.
 *
 * Compared with PyTorch: `CrossEntropyLoss(reduction='sum')(x, t) / B` for logits x (class-index or probability
 * targets), which is the fused path.
 *
 * @example
 * ```ts
 * const ce = crossEntropy();
 * ce.forward(Tensor.fromNested([[0.7, 0.2, 0.1]]), Tensor.fromNested([[1, 0, 0]])); // -log 0.7 = 0.3567
 * ```
 * @returns the `'cross-entropy'` loss (no config), fused with `'softmax'`
 * @category Losses
 */
export function crossEntropy(): Loss {
  return Object.freeze({
    name: NAME,
    config: Object.freeze({}),
    fused: withSoftmax,
    forward(output: Tensor, target: Tensor): number {
      const B = batchSize(NAME, output, target);
      const O = output.data;
      const t = target.data;
      let sum = 0;
      for (let i = 0; i < O.length; i++) sum -= t[i]! * Math.max(Math.log(O[i]!), LOG_FLOOR);
      return sum / B;
    },
    backward(output: Tensor, target: Tensor, grad: Tensor): void {
      const B = batchSize(NAME, output, target, grad);
      const O = output.data;
      const t = target.data;
      const g = grad.data;
      const scale = 1 / B;
      for (let i = 0; i < O.length; i++) g[i] = (-t[i]! / Math.max(O[i]!, EPSILON)) * scale;
    },
  });
}
