import type { ActivationChoice, RunDescription } from '@deltaflow/trainer';

/**
 * The datasets the standalone page can train on: the playground's 2-D sets, the regression plane, and iris.
 * @category Playground
 */
export const PLAYGROUND_DATASETS = ['xor', 'circle', 'spiral', 'gauss', 'plane', 'iris'] as const;

/** One of {@link PLAYGROUND_DATASETS}. @category Playground */
export type PlaygroundDataset = (typeof PLAYGROUND_DATASETS)[number];

/**
 * The penalties the "Regularization" select offers, as TensorFlow Playground does: none, L1 (lambda_1 sum |W|
 * added to E) or L2 (lambda_2 / 2 sum W^2 added to E).
 * @category Playground
 */
export const REGULARIZATIONS = ['none', 'l1', 'l2'] as const;

/** One of {@link REGULARIZATIONS}. @category Playground */
export type Regularization = (typeof REGULARIZATIONS)[number];

/**
 * The rates lambda the "Regularization rate" select offers: TensorFlow Playground's.
 *
 * @example
 * ```ts
 * REGULARIZATION_RATES.includes(0.03); // → true
 * ```
 * @category Playground
 */
export const REGULARIZATION_RATES: readonly number[] = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];

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
  /**
   * Transfer function of the hidden layers: a registered activation name (built-in or plugin), with its config
   * as in the CLI when it has one: `isru:a=0.5`, `elu:alpha=0.5,...` (see {@link activationOfText}).
   */
  activation: string;
  /** A registered loss name. */
  loss: string;
  /**
   * A registered optimizer name, with options over its defaults as the CLI's `--opt` gives them when it has
   * some: `adam:beta1=0.8,beta2=0.99` (see {@link optimizerOfText}). eta and the weight decay have their own
   * fields.
   */
  optimizer: string;
  /** eta, the learning rate. */
  lr: number;
  batchSize: number;
  /** L2 regularisation: the optimizer's `weightDecay` (lambda). */
  weightDecay: number;
  /** Dropout rate p of every hidden layer in training, 0 <= p < 1 (0: none). */
  dropout: number;
  /** The penalty added to E: none, L1 or L2 (the run description's `l1` or `l2`). */
  regularization: Regularization;
  /** lambda of the penalty, one of {@link REGULARIZATION_RATES}. */
  regularizationRate: number;
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
  dropout: 0,
  regularization: 'none',
  regularizationRate: 0,
  seed: 42,
});

/**
 * An activation as the URL and the CLI write it, `name` or `name:key=value,...`, as the recipe takes it: the name,
 * or `{ name, config }` with numbers (finite), true/false, or text. The recipe checks the keys against the
 * activation's defaults (a misspelt key is refused with the closest one). Null when the text is not of that form.
 *
 * @example
 * ```ts
 * activationOfText('tanh'); // → 'tanh'
 * activationOfText('isru:a=0.5'); // → { name: 'isru', config: { a: 0.5 } }
 * activationOfText('isru:a'); // → null
 * ```
 * @category Playground
 */
export function activationOfText(text: string): ActivationChoice | null {
  return choiceOfText(text);
}

/** `name` or `name:key=value,...` as a name, or the name and its settings; null when not of that form. */
function choiceOfText(
  text: string,
): string | { name: string; config: Record<string, number | boolean | string> } | null {
  const colon = text.indexOf(':');
  const name = (colon < 0 ? text : text.slice(0, colon)).trim();
  if (!/^[a-z][a-z0-9-]{0,39}$/i.test(name)) return null;
  if (colon < 0) return name;
  const config: Record<string, number | boolean | string> = {};
  for (const part of text.slice(colon + 1).split(',')) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]{0,39})\s*=\s*(\S.*?)\s*$/.exec(part);
    if (!match) return null;
    const value = match[2]!;
    const n = Number(value);
    // what looks like a number must be a finite one (1e999, 0.5x are refused)
    if (/^[-+.\d]/.test(value) && !Number.isFinite(n)) return null;
    config[match[1]!] =
      value === 'true' || value === 'false' ? value === 'true' : Number.isFinite(n) ? n : value;
  }
  return { name, config };
}

/** Options an optimizer's text may not set: the form has boxes of their own for them. */
const OWN_BOXES = ['lr', 'weightDecay'];

/**
 * An optimizer as the URL writes it, `name` or `name:key=value,...` (the CLI's `--optimizer name --opt
 * key=value`): the name and its options over the optimizer's defaults, numbers finite. The recipe checks the keys
 * against the optimizer's `defaults` (a misspelt key is refused with the closest one). Null when the text is not
 * of that form, or sets `lr` or `weightDecay`, which have boxes of their own.
 *
 * @example
 * ```ts
 * optimizerOfText('adam'); // → { name: 'adam', options: {} }
 * optimizerOfText('adam:beta1=0.8'); // → { name: 'adam', options: { beta1: 0.8 } }
 * optimizerOfText('adam:lr=0.1'); // → null
 * ```
 * @category Playground
 */
export function optimizerOfText(
  text: string,
): { name: string; options: Record<string, number | boolean | string> } | null {
  const choice = choiceOfText(text);
  if (choice === null) return null;
  if (typeof choice === 'string') return { name: choice, options: {} };
  if (OWN_BOXES.some((key) => key in choice.config)) return null;
  return { name: choice.name, options: choice.config };
}

/**
 * Epochs of a standalone run: the playground trains until you pause it.
 * @category Playground
 */
export const PLAYGROUND_EPOCHS = 1_000_000;

/**
 * Whether a built-in set is a classification task (every one but the regression plane), so that its runs ask
 * for the confusion matrix.
 *
 * @example
 * ```ts
 * isClassification('iris'); // → true
 * isClassification('plane'); // → false
 * ```
 * @category Playground
 */
export function isClassification(dataset: PlaygroundDataset): boolean {
  return dataset !== 'plane';
}

/**
 * The run description's dropout, `l1` and `l2` of a configuration (left out when off), as `deltaflow train`'s
 * `--dropout`, `--l1` and `--l2` give them: one dropout rate for every hidden layer, one penalty rate for every
 * layer.
 *
 * @example
 * ```ts
 * regularizationOf({ ...DEFAULT_CONFIG, dropout: 0.2, regularization: 'l2', regularizationRate: 0.03 });
 * // → { dropout: 0.2, l2: 0.03 }
 * ```
 * @category Playground
 */
export function regularizationOf(config: PlaygroundConfig): Pick<RunDescription, 'dropout' | 'l1' | 'l2'> {
  const rate = config.regularizationRate;
  return {
    ...(config.dropout > 0 ? { dropout: config.dropout } : {}),
    ...(config.regularization === 'l1' && rate > 0 ? { l1: rate } : {}),
    ...(config.regularization === 'l2' && rate > 0 ? { l2: rate } : {}),
  };
}

/**
 * The run a standalone configuration describes, as the library's recipe takes it (`prepareRun` of
 * `@deltaflow/trainer`, in the training worker): the seeded dataset with its points and noise, the hidden layers
 * and their activation and dropout, the loss with its L1 or L2 penalty, the optimizer with its options, eta and the weight
 * decay, the batch size, the seed, the test set as the validation split (none for xor: its four points are both),
 * and for classification the confusion matrix in every epoch event (`metrics: ['confusion']`). The output
 * activation, the loss / output rules and every other default are the recipe's, as in the CLI.
 *
 * @example
 * ```ts
 * describePlaygroundRun(DEFAULT_CONFIG).validationSplit; // 0.5
 * ```
 * @category Playground
 */
export function describePlaygroundRun(config: PlaygroundConfig): RunDescription {
  const held = config.dataset === 'xor' || config.trainFraction >= 1 ? undefined : 1 - config.trainFraction;
  const optimizer = optimizerOfText(config.optimizer) ?? { name: config.optimizer, options: {} };
  return {
    data: { name: config.dataset, points: config.points, noise: config.noise, seed: config.seed },
    layers: config.layers,
    ...regularizationOf(config),
    ...(isClassification(config.dataset) ? { metrics: ['confusion'] as const } : {}),
    activation: activationOfText(config.activation) ?? config.activation,
    loss: config.loss,
    optimizer: {
      name: optimizer.name,
      options: {
        ...optimizer.options,
        lr: config.lr,
        ...(config.weightDecay > 0 ? { weightDecay: config.weightDecay } : {}),
      },
    },
    batchSize: config.batchSize,
    seed: config.seed,
    epochs: PLAYGROUND_EPOCHS,
    ...(held !== undefined ? { validationSplit: held } : {}),
  };
}
