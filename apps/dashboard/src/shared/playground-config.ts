/**
 * The datasets the standalone page can train on: the playground's 2-D sets, the regression plane, and iris.
 * @category Playground
 */
export const PLAYGROUND_DATASETS = ['xor', 'circle', 'spiral', 'gauss', 'plane', 'iris'] as const;

/** One of {@link PLAYGROUND_DATASETS}. @category Playground */
export type PlaygroundDataset = (typeof PLAYGROUND_DATASETS)[number];

/**
 * Everything that defines a standalone run; the page keeps it in the URL's query string, so a link reproduces
 * the run (same seed, same first epochs' loss).
 * @category Playground
 */
export interface PlaygroundConfig {
  dataset: PlaygroundDataset;
  /** Noise of the generated sets, 0 to 0.5 (the playground's scale). */
  noise: number;
  /** Points of the generated sets. */
  points: number;
  /** Fraction of the points trained on; the rest is the test (validation) set. */
  trainFraction: number;
  /** Units of each hidden layer, input side first (may be empty). */
  layers: number[];
  /** Transfer function of the hidden layers: a registered activation name (built-in or plugin). */
  activation: string;
  /** A registered loss name. */
  loss: string;
  /** A registered optimizer name. */
  optimizer: string;
  /** eta, the learning rate. */
  lr: number;
  batchSize: number;
  /** L2 regularisation: the optimizer's `weightDecay` (lambda). */
  weightDecay: number;
  /** Seed of the data, the split, the initial weights and the shuffles. */
  seed: number;
}

/**
 * The configuration of a page opened without a query string.
 * @category Playground
 */
export const DEFAULT_CONFIG: Readonly<PlaygroundConfig> = Object.freeze({
  dataset: 'circle',
  noise: 0,
  points: 400,
  trainFraction: 0.5,
  layers: [4, 2],
  activation: 'tanh',
  loss: 'mse',
  optimizer: 'sgd',
  lr: 0.03,
  batchSize: 10,
  weightDecay: 0,
  seed: 42,
});

/**
 * The output transfer function a standalone run uses: linear for regression, softmax under cross-entropy with
 * several classes, sigmoid otherwise (0/1 targets).
 *
 * @example
 * ```ts
 * outputActivation('regression', 'mse', 1); // → 'linear'
 * ```
 * @category Playground
 */
export function outputActivation(
  task: 'classification' | 'regression',
  loss: string,
  outputs: number,
): string {
  if (task === 'regression') return 'linear';
  return loss === 'cross-entropy' && outputs > 1 ? 'softmax' : 'sigmoid';
}
