import type { ModelJSON, ModelSummary } from '@deltaflow/network';

/**
 * Quality measures of an epoch: `accuracy` for classification, `mse` and `mae` for regression, and the same
 * with a `val` prefix on the validation data (`valAccuracy`, ...).
 * @category Events
 */
export type Metrics = Record<string, number>;

/**
 * What the network's backward pass looked like in one layer during an epoch, enough to see vanishing
 * gradients in a deep sigmoid net. delta values are per sample, as in BACKPROP.md.
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
 * @category Events
 */
export interface OutputSample {
  outputs: number[][];
  targets: number[][];
}

/**
 * The resolved settings of a run, as plain data (carried by the start event).
 * @category Events
 */
export interface TrainingConfig {
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  seed: number;
  loss: string;
  optimizer: string;
  optimizerOptions: Record<string, number | boolean>;
  samples: number;
  validationSamples: number;
  task: 'classification' | 'regression';
}

/** The run is starting. @category Events */
export interface StartEvent {
  type: 'start';
  config: TrainingConfig;
  model: ModelSummary;
}

/** The forward half of an epoch: the training loss E and metrics. @category Events */
export interface ForwardEvent {
  type: 'forward';
  epoch: number;
  loss: number;
  metrics: Metrics;
  outputs?: OutputSample;
}

/** The backward half of an epoch: gradient statistics per layer. @category Events */
export interface BackwardEvent {
  type: 'backward';
  epoch: number;
  layers: LayerGradientStats[];
}

/** One batch done (only with `batchEvents: true`). @category Events */
export interface BatchEvent {
  type: 'batch';
  epoch: number;
  batch: number;
  loss: number;
}

/** An epoch done: training and validation loss, metrics, timing. @category Events */
export interface EpochEvent {
  type: 'epoch';
  epoch: number;
  loss: number;
  valLoss?: number;
  metrics: Metrics;
  /** Milliseconds of training since the start. */
  elapsedMs: number;
  samplesPerSecond: number;
  /** The learning rate used for this epoch. */
  lr: number;
}

/** The model so far, every `checkpointEvery` epochs. @category Events */
export interface CheckpointEvent {
  type: 'checkpoint';
  epoch: number;
  model: ModelJSON;
}

/** Why a run ended. @category Events */
export type EndReason = 'completed' | 'early-stopped' | 'stopped' | 'diverged';

/** The run is over: why, after how many epochs, and the final model (the last finite weights if diverged). @category Events */
export interface EndEvent {
  type: 'end';
  reason: EndReason;
  epochs: number;
  model: ModelJSON;
  /** What to try, when the run diverged. */
  hint?: string;
}

/**
 * Everything a training stream emits, in order: start; then per epoch forward, backward, (batch...), epoch,
 * (checkpoint); end. Plain JSON-serialisable data, so it can go to a file, a WebSocket or a replay.
 *
 * @example
 * ```ts
 * train(model, xor, { epochs: 100 }).subscribe((event) => {
 *   if (event.type === 'epoch') console.log(event.epoch, event.loss);
 * });
 * ```
 * @category Events
 */
export type TrainingEvent =
  StartEvent | ForwardEvent | BackwardEvent | BatchEvent | EpochEvent | CheckpointEvent | EndEvent;
