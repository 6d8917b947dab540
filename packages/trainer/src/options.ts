import type { LossIdentifier } from '@deltaflow/losses';
import type { Optimizer, OptimizerRule, LrSchedule } from '@deltaflow/optimizers';
import type { Tensor2D } from '@deltaflow/tensor';
import type { SchedulerLike } from 'rxjs';
import type { MetricName } from './metrics.js';
import type { ResumeState } from './resume-state.js';
import type { DataSource } from './data-source.js';

/**
 * What a run learns from: inputs `[N, F]` and targets `[N, K]` (a `Dataset` of `@deltaflow/data` fits).
 *
 * @example
 * ```ts
 * const data: TrainingData = { inputs: Tensor.fromNested([[0, 0], [1, 1]]), targets: Tensor.fromNested([[0], [1]]) };
 * train(model, data, { epochs: 100 });
 * ```
 * @category Training
 */
export interface TrainingData {
  /** The inputs, `[N, F]`: one sample per row. */
  inputs: Tensor2D;
  /** The targets t, `[N, K]`: one row per sample. */
  targets: Tensor2D;
  /** Chooses the metrics: accuracy for classification, mse/mae for regression. Default: classification. */
  task?: 'classification' | 'regression';
  /** Classification: the name of each class (a Dataset's `classNames`), carried by the start event's config. */
  classNames?: readonly string[];
}

/**
 * Early stopping: end the run when the monitored loss has not improved by `minDelta` for `patience` epochs.
 *
 * @example
 * ```ts
 * train(model, data, { validationSplit: 0.2, earlyStopping: { patience: 20, minDelta: 1e-4, restoreBest: true } });
 * ```
 * @category Training
 */
export interface EarlyStoppingOptions {
  /** Epochs without improvement before stopping. */
  patience: number;
  /** Smallest decrease that counts as an improvement; default 0. */
  minDelta?: number;
  /** Put back the weights of the best epoch at the end; default false. */
  restoreBest?: boolean;
  /** Which loss to watch; default `'valLoss'` when there is validation data, else `'loss'`. */
  monitor?: 'loss' | 'valLoss';
}

/**
 * Options of {@link train}.
 *
 * @example
 * ```ts
 * const options: TrainOptions = { epochs: 2000, batchSize: 4, loss: 'mse', optimizer: 'sgd', lr: 0.5, seed: 42 };
 * train(model, xor(), options).subscribe();
 * ```
 * @category Training
 */
export interface TrainOptions {
  /** Passes over the training data; default 200 (`RUN_DEFAULTS.epochs`). */
  epochs?: number;
  /** Samples per gradient step; default 32 (`RUN_DEFAULTS.batchSize`, or the whole set when smaller). */
  batchSize?: number;
  /** Shuffle the samples every epoch (seeded); default true. */
  shuffle?: boolean;
  /** Seed of shuffling and splitting; default 42 (`RUN_DEFAULTS.seed`). */
  seed?: number;
  /** Validation data, measured after every epoch: in memory, or a {@link DataSource} (read batch by batch). */
  validation?: TrainingData | DataSource;
  /** Or: hold out this fraction of the training data (seeded) for validation. */
  validationSplit?: number;
  /** The error function; default the lecture notes' `'mse'`. */
  loss?: LossIdentifier;
  /** A registered optimizer name, `{ name, config }`, a rule, or a ready {@link Optimizer}; default `'sgd'`. */
  optimizer?:
    string | { name: string; config?: Record<string, number | boolean> } | OptimizerRule | Optimizer;
  /** Optimizer hyperparameters (lr, momentum, ...), over the optimizer's defaults. */
  optimizerOptions?: Record<string, number | boolean>;
  /** Shorthand for `optimizerOptions.lr` (eta). */
  lr?: number;
  /** Learning rate as a function of the epoch (counted from 0) and the base rate. */
  schedule?: LrSchedule;
  /**
   * L1 penalty lambda_1 on the weights (not the biases): adds lambda_1 sum |W_ij| to E; one rate for every
   * layer, or one per layer (output layer included). Default none.
   */
  l1?: number | readonly number[];
  /**
   * L2 penalty lambda_2 on the weights (not the biases): adds lambda_2 / 2 sum W_ij^2 to E (gradient lambda_2 W,
   * TensorFlow Playground's L2); one rate for every layer, or one per layer. Default none. Beside, not instead
   * of, an optimizer's `weightDecay`.
   */
  l2?: number | readonly number[];
  /** Stop when the loss stops improving. */
  earlyStopping?: EarlyStoppingOptions;
  /** Emit a checkpoint event with the model every N epochs. */
  checkpointEvery?: number;
  /**
   * Keep the run's state at every epoch's end and put it on the checkpoint and end events (`state`), for an
   * exact resume; default false (it copies the parameters and the optimizer's state once per epoch).
   */
  resumable?: boolean;
  /**
   * Continue a run from its state (an event's `state`, also after a JSON round trip): the same options and data
   * then give, bit for bit, what the run would have given without the interruption. `epochs` stays the total.
   */
  resume?: ResumeState;
  /** Emit a batch event after every batch; default false. */
  batchEvents?: boolean;
  /** Rows of outputs to include in forward events; default 0 (none). */
  outputSample?: number;
  /**
   * When to give the event loop a turn: `'auto'` (default: at least every 16 ms), `'epoch'`, `'batch'`, or a
   * number of milliseconds. Each turn lets the event loop run its timers, I/O and events; with the default
   * `scheduler` it is `setImmediate` in Node and a `MessageChannel` task in a browser, not a timer.
   */
  yieldEvery?: 'auto' | 'epoch' | 'batch' | number;
  /**
   * The scheduler the loop yields on (tests pass a TestScheduler); default one that gives the event loop a real
   * turn without a timer's delay (`setImmediate` in Node, a `MessageChannel` task in a browser). RxJS's
   * `asyncScheduler` (a timer per turn) also works.
   */
  scheduler?: SchedulerLike;
  /**
   * Classification metrics beyond accuracy for the forward and epoch events: `'precision'`, `'recall'`, `'f1'`
   * (macro averages), `'auc'` (binary tasks) into `metrics` (and `valPrecision`, ... on validation data), and
   * `'confusion'` as the events' `confusion` (and `valConfusion`) matrix. Default none.
   */
  metrics?: readonly MetricName[];
  /** Classification or regression, overriding the data's own. */
  task?: 'classification' | 'regression';
}
