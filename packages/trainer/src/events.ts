import type { ResumeState } from './resume-state.js';
import type { ModelJSON, ModelSummary } from '@deltaflow/network';

/**
 * Quality measures of an epoch: `accuracy` for classification, `mse` and `mae` for regression, and the same
 * with a `val` prefix on the validation data (`valAccuracy`, ...).
 *
 * @example
 * ```ts
 * train(model, iris(), { epochs: 50, validationSplit: 0.2 }).subscribe((event) => {
 *   if (event.type === 'epoch') console.log(event.metrics.accuracy, event.metrics.valAccuracy);
 * });
 * ```
 * @category Events
 */
export type Metrics = Record<string, number>;

/**
 * What the network's backward pass looked like in one layer during an epoch, enough to see vanishing
 * gradients in a deep sigmoid net. delta values are per sample, as in the lecture notes (`docs/guides/the-math.md`).
 *
 * @example
 * ```ts
 * train(model, data).subscribe((event) => {
 *   if (event.type === 'backward') for (const l of event.layers) console.log(l.layer, l.meanAbsDelta, l.gradNorm);
 * });
 * ```
 * @category Events
 */
export interface LayerGradientStats {
  /** Layer index, input side first. */
  layer: number;
  /** Mean of |delta_j| over the epoch's last batch. */
  meanAbsDelta: number;
  /** Largest |delta_j| in the epoch's last batch. */
  maxAbsDelta: number;
  /** L2 norm of dE/dW and dE/dtheta of the epoch's last batch. */
  gradNorm: number;
  /** L2 norm of W and theta at the end of the epoch. */
  weightNorm: number;
  /** ||W_end - W_start|| / ||W_start||: how much the epoch moved the weights, relative to their size. */
  updateRatio: number;
}

/**
 * The first rows of the outputs O_k and targets t_k of the epoch's last batch, when `outputSample` is set.
 *
 * @example
 * ```ts
 * train(model, xor(), { outputSample: 4 }).subscribe((event) => {
 *   if (event.type === 'forward') console.log(event.outputs?.outputs, event.outputs?.targets);
 * });
 * ```
 * @category Events
 */
export interface OutputSample {
  /** Rows of O_k, the network's outputs. */
  outputs: number[][];
  /** The same rows of t_k, the targets. */
  targets: number[][];
}

/**
 * The resolved settings of a run, as plain data (carried by the start event).
 *
 * @example
 * ```ts
 * train(model, xor(), { epochs: 10 }).subscribe((event) => {
 *   if (event.type === 'start') console.log(event.config.optimizer, event.config.optimizerOptions.lr);
 * });
 * ```
 * @category Events
 */
export interface TrainingConfig {
  /** Passes over the training data. */
  epochs: number;
  /** Samples per gradient step. */
  batchSize: number;
  /** Whether the samples are reshuffled (seeded) every epoch. */
  shuffle: boolean;
  /** The seed of shuffling and splitting. */
  seed: number;
  /** The loss's registry name, e.g. `'mse'`. */
  loss: string;
  /** The optimizer's registry name, e.g. `'sgd'`. */
  optimizer: string;
  /** Every option of the optimizer in force, defaults included (lr, momentum, ...). */
  optimizerOptions: Record<string, number | boolean>;
  /** Training samples (after a validation split). */
  samples: number;
  /** Validation samples; 0 without validation. */
  validationSamples: number;
  /** Which metrics are computed: accuracy, or mse/mae. */
  task: 'classification' | 'regression';
  /**
   * Classification data with named classes: the name of each class, in the order of the outputs (and of the
   * rows and columns of the epoch events' `confusion`).
   */
  classNames?: string[];
  /** The L1 penalty rate(s) lambda_1 on the weights, when there is one: one number, or one per layer. */
  l1?: number | number[];
  /** The L2 penalty rate(s) lambda_2 on the weights, when there is one: one number, or one per layer. */
  l2?: number | number[];
}

/**
 * The run is starting.
 *
 * @example
 * ```ts
 * train(model, xor()).subscribe((event) => {
 *   if (event.type === 'start') console.log(event.model.parameters, event.config.epochs);
 * });
 * ```
 * @category Events
 */
export interface StartEvent {
  /** `'start'`. */
  type: 'start';
  /** The resolved settings of the run. */
  config: TrainingConfig;
  /** The model's size and layers. */
  model: ModelSummary;
}

/**
 * The forward half of an epoch: the training loss E and metrics.
 *
 * @example
 * ```ts
 * train(model, xor()).subscribe((event) => {
 *   if (event.type === 'forward') console.log(event.epoch, event.loss);
 * });
 * ```
 * @category Events
 */
export interface ForwardEvent {
  /** `'forward'`. */
  type: 'forward';
  /** The epoch, counted from 1. */
  epoch: number;
  /** E, the mean loss over the epoch's training samples (with L1/L2 penalties: dataLoss + penalty). */
  loss: number;
  /** With L1/L2 penalties (`l1`, `l2`): the data part of E, the loss function's mean over the samples. */
  dataLoss?: number;
  /**
   * With L1/L2 penalties: the penalty part of E, lambda_1 sum |W| + lambda_2 / 2 sum W^2, as added to each
   * batch's E, averaged over the epoch's samples.
   */
  penalty?: number;
  /** Accuracy (classification) or mse and mae (regression) of the epoch's training pass. */
  metrics: Metrics;
  /** The first rows of the last batch's outputs and targets, when `outputSample` is set. */
  outputs?: OutputSample;
}

/**
 * The backward half of an epoch: gradient statistics per layer.
 *
 * @example
 * ```ts
 * train(model, xor()).subscribe((event) => {
 *   if (event.type === 'backward') console.log(event.epoch, event.layers.map((l) => l.meanAbsDelta));
 * });
 * ```
 * @category Events
 */
export interface BackwardEvent {
  /** `'backward'`. */
  type: 'backward';
  /** The epoch, counted from 1. */
  epoch: number;
  /** Per layer, input side first. */
  layers: LayerGradientStats[];
}

/**
 * One batch done (only with `batchEvents: true`).
 *
 * @example
 * ```ts
 * train(model, data, { batchEvents: true }).subscribe((event) => {
 *   if (event.type === 'batch') console.log(event.epoch, event.batch, event.loss);
 * });
 * ```
 * @category Events
 */
export interface BatchEvent {
  /** `'batch'`. */
  type: 'batch';
  /** The epoch, counted from 1. */
  epoch: number;
  /** The batch within the epoch, counted from 1. */
  batch: number;
  /** The batch's mean loss, before its update. */
  loss: number;
}

/**
 * An epoch done: training and validation loss, metrics, timing.
 *
 * @example
 * ```ts
 * train(model, xor()).subscribe((event) => {
 *   if (event.type === 'epoch') console.log(event.epoch, event.loss, event.valLoss, event.samplesPerSecond);
 * });
 * ```
 * @category Events
 */
export interface EpochEvent {
  /** `'epoch'`. */
  type: 'epoch';
  /** The epoch, counted from 1. */
  epoch: number;
  /** E, the mean training loss of the epoch. */
  loss: number;
  /** With L1/L2 penalties (`l1`, `l2`): the data part of E, as in the epoch's forward event. */
  dataLoss?: number;
  /** With L1/L2 penalties: the penalty part of E, as in the epoch's forward event. */
  penalty?: number;
  /** The loss on the validation data after the epoch (the data loss only, without penalties or dropout), when there is validation data. */
  valLoss?: number;
  /** Training metrics, and validation metrics with a `val` prefix. */
  metrics: Metrics;
  /** With `metrics: ['confusion']`: the epoch's training confusion matrix, `[i][j]` true class i predicted as j. */
  confusion?: number[][];
  /** With `metrics: ['confusion']` and validation data: the validation confusion matrix after the epoch. */
  valConfusion?: number[][];
  /** Milliseconds of training since the start. */
  elapsedMs: number;
  /** Training samples processed per second so far. */
  samplesPerSecond: number;
  /** The learning rate used for this epoch. */
  lr: number;
}

/**
 * The model so far, every `checkpointEvery` epochs.
 *
 * @example
 * ```ts
 * import { saveModel } from '@deltaflow/network/node';
 *
 * train(model, data, { checkpointEvery: 100 }).subscribe((event) => {
 *   if (event.type === 'checkpoint') saveModel(`epoch-${event.epoch}.json`, event.model);
 * });
 * ```
 * @category Events
 */
export interface CheckpointEvent {
  /** `'checkpoint'`. */
  type: 'checkpoint';
  /** The epoch just finished. */
  epoch: number;
  /** The model file as it is after that epoch. */
  model: ModelJSON;
  /** With `resumable: true`: the run's state after that epoch, to continue exactly (`resume`). */
  state?: ResumeState;
}

/**
 * Why a run ended.
 *
 * @example
 * ```ts
 * const reason: EndReason = 'early-stopped';
 * ```
 * @category Events
 */
export type EndReason = 'completed' | 'early-stopped' | 'stopped' | 'diverged';

/**
 * The run is over: why, after how many epochs, and the final model (the last finite weights if diverged).
 *
 * @example
 * ```ts
 * train(model, xor()).subscribe((event) => {
 *   if (event.type === 'end' && event.reason === 'diverged') console.error(event.hint);
 * });
 * ```
 * @category Events
 */
export interface EndEvent {
  /** `'end'`. */
  type: 'end';
  /** Why the run ended. */
  reason: EndReason;
  /** Epochs completed. */
  epochs: number;
  /** The final model file (the last finite weights when diverged). */
  model: ModelJSON;
  /** What to try, when the run diverged. */
  hint?: string;
  /**
   * With `resumable: true`: the run's state at the end of the last complete epoch (before `restoreBest` put the
   * best weights back; when stopped mid-epoch, the partial epoch is left out), to continue exactly (`resume`).
   */
  state?: ResumeState;
}

/**
 * Everything a training stream emits, in order: start; then per epoch (batch...), forward, backward, epoch,
 * (checkpoint); end. Plain JSON-serialisable data, so it can go to a file, a WebSocket or a replay.
 *
 * @example
 * ```ts
 * const model = mlp({ inputs: 2, layers: [{ units: 2 }, { units: 1 }], seed: 1 });
 * const types: string[] = [];
 * train(model, xor(), { epochs: 1, batchSize: 2, batchEvents: true }).subscribe({
 *   next: (event) => types.push(event.type),
 *   complete: () => {
 *     console.log(types); // → ['start', 'batch', 'batch', 'forward', 'backward', 'epoch', 'end']
 *   },
 * });
 * ```
 * @category Events
 */
export type TrainingEvent =
  StartEvent | ForwardEvent | BackwardEvent | BatchEvent | EpochEvent | CheckpointEvent | EndEvent;
