import type { Task } from '@deltaflow/data';

/**
 * The defaults of every run, in one place: `train()`, {@link prepareRun}, the CLI and the dashboard all read
 * them. The lecture's network: seed 42, sigmoid hidden layers, the mse loss, sgd with eta = 0.5, batches of 32
 * and 200 epochs (xor and mnist have their own epochs and batch size, see {@link dataDefaults}).
 *
 * @example
 * ```ts
 * train(model, xor(), { epochs: RUN_DEFAULTS.epochs, seed: RUN_DEFAULTS.seed });
 * ```
 * @category Recipe
 */
export const RUN_DEFAULTS = Object.freeze({
  /** Seed of the initial weights, the generated data, the split and the shuffles. */
  seed: 42,
  /** Passes over the training data. */
  epochs: 200,
  /** Samples per gradient step (or the whole set when smaller). */
  batchSize: 32,
  /** Hidden layers: one of 4 units, the lecture's 2-4-1 network on xor. */
  layers: Object.freeze([4]) as readonly number[],
  /** Transfer function of the hidden layers. */
  activation: 'sigmoid',
  /** The error function E. */
  loss: 'mse',
  /** The optimizer. */
  optimizer: 'sgd',
  /** eta of sgd when no `lr` is given: the lecture's 0.5. */
  sgdLr: 0.5,
});

/**
 * The defaults that depend on a built-in dataset: 2000 epochs of batch size 1 for xor (the lecture's online
 * updates), 10 epochs for mnist, else {@link RUN_DEFAULTS}.
 *
 * @example
 * ```ts
 * dataDefaults('xor'); // { epochs: 2000, batchSize: 1 }
 * ```
 * @param name - a built-in dataset name, or undefined for any other data
 * @category Recipe
 */
export function dataDefaults(name: string | undefined): { epochs: number; batchSize: number } {
  if (name === 'xor') return { epochs: 2000, batchSize: 1 };
  if (name === 'mnist') return { epochs: 10, batchSize: RUN_DEFAULTS.batchSize };
  return { epochs: RUN_DEFAULTS.epochs, batchSize: RUN_DEFAULTS.batchSize };
}

/**
 * The output layer's transfer function when none is given: softmax under cross-entropy (one-hot classes),
 * sigmoid for any other classification (0/1 targets, as the lecture's xor network), and linear for regression,
 * whose targets may lie anywhere (what Keras and tfjs users expect).
 *
 * @example
 * ```ts
 * defaultOutputActivation('classification', 'mse');           // 'sigmoid'
 * defaultOutputActivation('classification', 'cross-entropy'); // 'softmax'
 * defaultOutputActivation('regression', 'mse');               // 'linear'
 * ```
 * @param task - what the targets are
 * @param loss - the loss name
 * @category Recipe
 */
export function defaultOutputActivation(task: Task, loss: string): string {
  if (loss === 'cross-entropy') return 'softmax';
  return task === 'regression' ? 'linear' : 'sigmoid';
}
