/**
 * Loss functions E(O, t) over batches with their gradients dE/dO: the lecture notes' mse (1/2 sum_k (O_k - t_k)^2), mae,
 * huber, binary-cross-entropy and cross-entropy (with fused sigmoid and softmax paths), each summed over one
 * sample's outputs and averaged over the batch; the adapter for per-sample plugin losses; and the loss registry.
 *
 * @packageDocumentation
 */
import './register-builtins.js';

export type { FusedLoss, Loss, LossConfig, LossSpec, PerSampleLossSpec } from './loss.js';
export { perSample } from './per-sample.js';
export { toLoss } from './to-loss.js';
export { mse } from './mse.js';
export { mae } from './mae.js';
export { huber, huberDefaults } from './huber.js';
export type { HuberConfig } from './huber.js';
export { binaryCrossEntropy } from './binary-cross-entropy.js';
export { crossEntropy } from './cross-entropy.js';
export { getLoss, lossToJSON } from './get-loss.js';
export type { LossIdentifier, LossJSON } from './get-loss.js';
export { losses, registerLoss } from './registry.js';
export type {
  BuiltinLossName,
  LossDefinition,
  LossFactory,
  LossName,
  RegisterLossOptions,
} from './registry.js';
