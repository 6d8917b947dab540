import type { Dataset, DatasetName, Scaler } from '@deltaflow/data';
import type { LayerSpec, Sequential } from '@deltaflow/network';
import type { DType } from '@deltaflow/tensor';
import type { MetricName } from '../metrics.js';
import type { EarlyStoppingChoice } from './early-stop.js';
import type { TargetType } from './notices.js';
import type { ScheduleChoice } from './schedule.js';

/**
 * A transfer function: a registered name (built-in or plugin), or `{ name, config }`.
 *
 * @example
 * ```ts
 * const hidden: ActivationChoice = { name: 'leaky-relu', config: { negativeSlope: 0.1 } };
 * ```
 * @category Recipe
 */
export type ActivationChoice = NonNullable<LayerSpec['activation']>;

/**
 * Where a run's samples come from:
 *
 * - a built-in dataset by name (`'xor'`, `'circle'`, `'spiral'`, `'gauss'`, `'plane'`, `'iris'`, `'mnist'`);
 * - a built-in dataset with options: `{ name, points, noise, seed }` (the seed defaults to the run's);
 * - CSV text: `{ csv, file, features }`, its targets chosen by the description's `target`;
 * - a ready {@link Dataset} (from `parseCsv`, `readCsv`, your own code).
 *
 * Plain data (names, numbers, text) can be posted to a Web Worker or written to a JSON file as it is.
 *
 * @example
 * ```ts
 * const data: RunData = { name: 'spiral', points: 300, noise: 0.1 };
 * ```
 * @category Recipe
 */
export type RunData =
  | DatasetName
  | (string & Record<never, never>)
  | { name: DatasetName | (string & Record<never, never>); points?: number; noise?: number; seed?: number }
  | { csv: string; file?: string; features?: readonly string[] }
  | Dataset;

/**
 * The optimizer: a registered name, or `{ name, options }` with hyperparameters over the optimizer's defaults
 * (lr = eta, momentum, weightDecay, ...). sgd without an `lr` takes the lecture's 0.5.
 *
 * @example
 * ```ts
 * const optimizer: OptimizerChoice = { name: 'adam', options: { lr: 0.01 } };
 * ```
 * @category Recipe
 */
export type OptimizerChoice = string | { name: string; options?: Record<string, number | boolean> };

/**
 * Everything that defines a training run, as plain data: the CLI's flags and `--config RUN.json`, the
 * dashboard's controls and your own code all describe a run this way, and {@link prepareRun} turns a
 * description into the model, the data and the trainer's options. The same description gives the same run,
 * bit for bit, wherever it is prepared. Every field but `data` is optional; the defaults are
 * {@link RUN_DEFAULTS} (seed 42, sigmoid hidden layers, mse, sgd with eta = 0.5) and {@link dataDefaults}.
 *
 * @example
 * ```ts
 * const description: RunDescription = {
 *   data: 'circle',
 *   layers: [8, 4],
 *   activation: 'tanh',
 *   loss: 'binary-cross-entropy',
 *   optimizer: { name: 'adam', options: { lr: 0.01 } },
 *   validationSplit: 0.2,
 *   normalize: true,
 *   seed: 7,
 *   epochs: 100,
 * };
 * const { model, train: data, trainOptions } = await prepareRun(description);
 * train(model, data, trainOptions).subscribe((event) => console.log(event.type));
 * ```
 * @category Recipe
 */
export interface RunDescription {
  /** The samples: a built-in dataset (by name, or with options), CSV text, or a Dataset. */
  data: RunData;
  /** CSV data only: the target column names; default the last column. */
  target?: readonly string[];
  /**
   * How a single numeric target column is read: `'class'` (one-hot class labels) or `'value'` (numbers); default
   * inferred: 3 to 20 distinct non-negative integers are classes, with a notice (see {@link TargetType}).
   */
  targetType?: TargetType;
  /** Units of each hidden layer, input side first (may be empty); default `[4]`. */
  layers?: readonly number[];
  /**
   * Dropout rate p of the hidden layers' outputs in training (inverted dropout, masks from the run's seed): one
   * rate for every hidden layer, or one per hidden layer; default none. Off in prediction and evaluation.
   */
  dropout?: number | readonly number[];
  /**
   * L1 penalty lambda_1 on the weights, added to E (lambda_1 sum |W|): one rate for every layer, or one per layer
   * (output layer included); default none.
   */
  l1?: number | readonly number[];
  /**
   * L2 penalty lambda_2 on the weights, added to E (lambda_2 / 2 sum W^2): one rate for every layer, or one per
   * layer; default none.
   */
  l2?: number | readonly number[];
  /** Transfer function of the hidden layers; default `'sigmoid'`. */
  activation?: ActivationChoice;
  /**
   * Transfer function of the output layer; default softmax under cross-entropy, sigmoid for other
   * classification, linear for regression (see {@link defaultOutputActivation}).
   */
  outputActivation?: ActivationChoice;
  /** The error function E, a registered loss name; default `'mse'`. */
  loss?: string;
  /** The optimizer and its hyperparameters; default sgd with lr 0.5. */
  optimizer?: OptimizerChoice;
  /** Fraction of the rows (of those left after `testSplit`) held out (seeded) for validation, in (0, 1); default none. */
  validationSplit?: number;
  /**
   * Fraction of the rows held out (seeded, before the validation rows) as a test set: never trained on nor
   * watched by early stopping, measured once at the end (`PreparedRun.test`); in (0, 1), default none.
   */
  testSplit?: number;
  /** The learning-rate schedule over the epochs (see {@link ScheduleChoice}); default none (a constant rate). */
  schedule?: ScheduleChoice;
  /**
   * Stop when the monitored loss (validation, else training) has not improved by `minDelta` for `patience`
   * epochs, optionally restoring the best epoch's weights (see {@link EarlyStoppingChoice}); default off.
   */
  earlyStopping?: EarlyStoppingChoice;
  /**
   * Classification metrics beyond accuracy for the forward and epoch events (see `TrainOptions.metrics`):
   * `'precision'`, `'recall'`, `'f1'`, `'auc'` and `'confusion'` (the events' `confusion` and `valConfusion`
   * matrices); default none. Classification only.
   */
  metrics?: readonly MetricName[];
  /** Standardise the inputs (z-score), fitted on the training part only; default false. */
  normalize?: boolean;
  /**
   * Seed of the initial weights, the built-in datasets' generated points, the splits, the shuffles and the
   * dropout masks; default 42.
   */
  seed?: number;
  /** Passes over the training data; default 200 (xor 2000, mnist 10). */
  epochs?: number;
  /** Samples per gradient step; default 32 (xor 1). */
  batchSize?: number;
  /** Shuffle the samples every epoch and before the split; default true. */
  shuffle?: boolean;
  /** Element type of the model and data; default float32. */
  dtype?: DType;
  /**
   * Start from this model (its architecture and weights) instead of building one; `layers`, `activation`,
   * `outputActivation` and `dtype` must then be left out.
   */
  model?: Sequential;
  /** A scaler fitted before (a model file's), applied when `normalize` is not asked for. */
  scaler?: Scaler;
}
