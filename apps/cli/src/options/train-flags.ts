import type { Options } from 'yargs';

// The flags of `deltaflow train` (and the data and model ones `gradcheck` shares). None has a yargs default: a
// flag that is absent stays undefined, so a --config file can supply it; defaults are applied afterwards.

/** `--data`, `--target`, `--target-type`, `--encoding`. */
export const dataFlags = {
  data: {
    type: 'string',
    describe:
      'A built-in dataset (xor, circle, spiral, gauss, plane, iris, mnist), a CSV file or an Arrow (Feather v2) file',
    defaultDescription: 'xor',
  },
  target: {
    type: 'string',
    describe: 'CSV target column(s), separated by commas',
    defaultDescription: 'the last column',
  },
  'target-type': {
    type: 'string',
    describe: 'Read one numeric target column as classes (one-hot) or as values',
    defaultDescription: 'class for 3 to 20 distinct integers, else value',
  },
  encoding: {
    type: 'string',
    choices: ['utf-8', 'latin1'],
    describe: 'Text encoding of a CSV file: utf-8 (strict) or latin1',
    defaultDescription: 'utf-8',
  },
  'memory-budget': {
    type: 'number',
    describe:
      'Memory for the data, in MB: a CSV file that would need more trains out-of-core, from a binary cache beside it',
    defaultDescription: 'half of the available memory',
  },
} as const satisfies Record<string, Options>;

/** The architecture: `--layers`, `--activation`, `--output-activation`, `--dtype`, `--seed`. */
export const modelFlags = {
  layers: { type: 'string', describe: 'Hidden layer sizes, such as 8,4', defaultDescription: '4' },
  activation: {
    type: 'string',
    describe:
      "Activation of the hidden layers, with its config as name:key=value,... such as elu:alpha=0.5 (keys: the activation's defaults)",
    defaultDescription: 'sigmoid',
  },
  'output-activation': {
    type: 'string',
    describe: 'Activation of the output layer (name or name:key=value,...)',
    defaultDescription: 'softmax with cross-entropy, linear for regression, else sigmoid',
  },
  dtype: {
    type: 'string',
    choices: ['float32', 'float64'],
    describe: 'Number type of the model',
    defaultDescription: 'float32',
  },
  seed: {
    type: 'number',
    describe: 'Seed of the initial weights and the shuffles',
    defaultDescription: '42',
  },
  loss: {
    type: 'string',
    describe: 'Error function: mse, mae, huber, binary-cross-entropy, cross-entropy, ...',
    defaultDescription: 'mse',
  },
  normalize: {
    type: 'boolean',
    describe: 'Standard-scale the inputs (fitted on the training part, stored in the model)',
  },
  dropout: {
    type: 'string',
    describe:
      'Dropout rate of the hidden layers in training, such as 0.2, or one per hidden layer: 0.2,0.1 (off in predict and evaluate)',
  },
} as const satisfies Record<string, Options>;

/** The run: optimizer, schedule of batches and epochs, validation, starting weights. */
export const runFlags = {
  optimizer: {
    type: 'string',
    describe: 'sgd, adam, adamw, rmsprop, adagrad or a plugin optimizer',
    defaultDescription: 'sgd',
  },
  lr: {
    type: 'number',
    describe: 'Learning rate eta',
    defaultDescription: "0.5 for sgd, else the optimizer's",
  },
  momentum: { type: 'number', describe: 'Momentum (sgd, rmsprop)' },
  nesterov: { type: 'boolean', describe: 'Nesterov momentum (sgd)' },
  'weight-decay': { type: 'number', describe: 'L2 weight decay' },
  opt: {
    type: 'string',
    array: true,
    describe:
      "Any option of the optimizer as key=value, such as --opt beta1=0.8 (repeatable; keys are the optimizer's defaults)",
  },
  l1: {
    type: 'string',
    describe: 'L1 penalty: adds l1 sum |W| to the loss; one rate, or one per layer such as 0.001,0',
  },
  l2: {
    type: 'string',
    describe: 'L2 penalty: adds l2/2 sum W^2 to the loss; one rate, or one per layer such as 0.001,0',
  },
  'batch-size': { type: 'number', describe: 'Samples per update', defaultDescription: '1 for xor, else 32' },
  epochs: {
    type: 'number',
    describe: 'Passes over the training data',
    defaultDescription: '2000 for xor, 10 for mnist, else 200',
  },
  shuffle: {
    type: 'boolean',
    describe: 'Shuffle every epoch (--no-shuffle to keep the file order)',
    defaultDescription: 'true',
  },
  'validation-split': { type: 'number', describe: 'Fraction held out for validation, such as 0.2' },
  'test-split': {
    type: 'number',
    describe:
      'Fraction held out as a test set, such as 0.2: never trained on nor watched by early stopping, measured once at the end',
  },
  schedule: {
    type: 'string',
    choices: ['step', 'exponential', 'cosine', 'warmup'],
    describe: 'Learning-rate schedule over the epochs (parameters below have defaults)',
  },
  'step-size': {
    type: 'number',
    describe: 'step: epochs between two decays of the rate',
    defaultDescription: 'a third of --epochs',
  },
  gamma: {
    type: 'number',
    describe: 'step, exponential: factor of each decay',
    defaultDescription: '0.1 for step, 0.99 for exponential',
  },
  't-max': { type: 'number', describe: 'cosine: epochs of the half cosine', defaultDescription: '--epochs' },
  'eta-min': { type: 'number', describe: 'cosine: the lowest rate', defaultDescription: '0' },
  'warmup-epochs': {
    type: 'number',
    describe: 'warmup: epochs of the linear warm-up',
    defaultDescription: '5',
  },
  'start-factor': {
    type: 'number',
    describe: "warmup: the first epoch's fraction of --lr",
    defaultDescription: '1/3',
  },
  'early-stopping': {
    type: 'boolean',
    describe: 'Stop when the validation loss (else the training loss) stops improving',
  },
  patience: {
    type: 'number',
    describe: 'Early stopping: epochs without improvement before stopping',
    defaultDescription: '10',
  },
  'min-delta': {
    type: 'number',
    describe: 'Early stopping: the smallest decrease that counts as an improvement',
    defaultDescription: '0',
  },
  'restore-best': { type: 'boolean', describe: "Early stopping: end with the best epoch's weights" },
  init: { type: 'string', describe: 'Start from this model file (architecture and weights)' },
} as const satisfies Record<string, Options>;

/** Outputs: files and what is printed. */
export const outputFlags = {
  save: { type: 'string', describe: 'Write the trained model here (atomically)' },
  'save-optimizer-state': {
    type: 'boolean',
    describe:
      "With --save: also store the optimizer's state (step count, moments) in the model file, so that --init continues it",
  },
  events: { type: 'string', describe: 'Record every training event to this JSONL file' },
  json: { type: 'boolean', describe: 'Print only a JSON summary line' },
  metrics: {
    type: 'string',
    describe:
      'Classification metrics for the epoch events (--events, --dashboard) and --json: precision, recall, f1, auc, confusion (comma-separated)',
  },
  quiet: { type: 'boolean', describe: 'Print nothing but errors' },
  config: { type: 'string', describe: 'Read options from a JSON file (flags win)' },
  checkpoint: {
    type: 'string',
    describe:
      'Write a checkpoint here (the model file plus the run state): at the end, on Ctrl-C or SIGTERM, and every --checkpoint-every epochs',
  },
  'checkpoint-every': { type: 'number', describe: 'With --checkpoint: also write it every N epochs' },
  resume: {
    type: 'string',
    describe:
      'Continue the run of this checkpoint to --epochs in total, exactly as if it had not stopped (its options are kept)',
  },
  dashboard: {
    type: 'string',
    describe: 'Watch and steer the run in the browser: serves the dashboard on 127.0.0.1 (optional PORT)',
  },
  'dashboard-wait': {
    type: 'boolean',
    describe: 'With --dashboard: start training only once the first page has connected',
  },
} as const satisfies Record<string, Options>;

/** Every flag of `deltaflow train`. */
export const trainFlags = { ...dataFlags, ...modelFlags, ...runFlags, ...outputFlags } as const;

/**
 * The camelCase keys of the train options, as a config file may name them (kebab-case works too); besides the
 * flags, `optimizerOptions` (an object of the optimizer's options, like `--opt`) and `plugin`.
 */
export const trainKeys = [
  ...Object.keys(trainFlags).filter((key) => key !== 'config'),
  'optimizerOptions',
  'plugin',
].map((key) => key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()));
