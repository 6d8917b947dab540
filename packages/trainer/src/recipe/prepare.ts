import { Scaler, datasetNames, loadDataset, parseCsv } from '@deltaflow/data';
import type { Dataset } from '@deltaflow/data';
import { getLoss } from '@deltaflow/losses';
import { Penalty, mlp } from '@deltaflow/network';
import type { Sequential } from '@deltaflow/network';
import { createOptimizer } from '@deltaflow/optimizers';
import { DeltaflowError } from '@deltaflow/tensor';
import type { DType } from '@deltaflow/tensor';
import type { TrainOptions } from '../options.js';
import { checkMetrics } from '../training-loop.js';
import { RUN_DEFAULTS, dataDefaults, defaultOutputActivation } from './defaults.js';
import type { ActivationChoice, RunData, RunDescription } from './description.js';
import { chooseTargets, inputScaleNotice, outputRangeNotice } from './notices.js';
import type { RunNotice } from './notices.js';
import { earlyStoppingOf } from './early-stop.js';
import { checkOutputPairing } from './rules.js';
import { scheduleDefaults, scheduleOf } from './schedule.js';
import { checkModelSize } from './size.js';
import { holdOut } from './split.js';

/**
 * A run ready to start, from {@link prepareRun}: the model, the (split, scaled) data, the options of
 * `train()`/`createRun()`, and what a model file's `meta` should remember about the data.
 *
 * @example
 * ```ts
 * const run: PreparedRun = await prepareRun({ data: 'xor' });
 * train(run.model, run.train, run.trainOptions).subscribe();
 * ```
 * @category Recipe
 */
export interface PreparedRun {
  /** The model to train: built from the description (seeded), or the description's own `model`. */
  model: Sequential;
  /** All the samples, before the split and the scaling. */
  dataset: Dataset;
  /** The training part, scaled when asked. */
  train: Dataset;
  /** The validation part, scaled like the training part (when `validationSplit` was given). */
  validation?: Dataset;
  /**
   * The test part, scaled like the training part (when `testSplit` was given): held out before the validation
   * rows, given to neither `train()` nor early stopping; measure the trained model on it at the end.
   */
  test?: Dataset;
  /** The scaler of the inputs (fitted on the training part, or the description's). */
  scaler?: Scaler;
  /** The transfer function of the output layer (given, or the default for the task and loss). */
  outputActivation: string;
  /** The options of `train(model, train, trainOptions)`, every default filled in. */
  trainOptions: TrainOptions & {
    epochs: number;
    batchSize: number;
    seed: number;
    shuffle: boolean;
    loss: string;
    optimizer: string;
    optimizerOptions: Record<string, number | boolean>;
  };
  /** Plain data about the data to keep in a model file's meta: column and class names, scaler, split. */
  meta: Record<string, unknown>;
  /**
   * What a person should read before training, one sentence each: integer labels read as classes, targets
   * outside the output activation's range, inputs far from unit scale (see {@link RunNotice}).
   */
  notices: RunNotice[];
}

const fail = (message: string): never => {
  throw new DeltaflowError('E_OPTION', message);
};

const isDataset = (data: RunData): data is Dataset => typeof data === 'object' && 'inputs' in data;

/** The built-in dataset a description names, if any. */
export function builtinName(data: RunData): string | undefined {
  if (typeof data === 'string') return data;
  return typeof data === 'object' && 'name' in data && !isDataset(data) ? data.name : undefined;
}

async function loadRunData(description: RunDescription, dtype: DType, seed: number): Promise<Dataset> {
  const { data, target } = description;
  if (isDataset(data)) {
    if (target) fail('`target` applies to CSV data; a Dataset has its own targets.');
    return data;
  }
  if (typeof data === 'object' && 'csv' in data) {
    return parseCsv(data.csv, {
      dtype,
      ...(data.file ? { file: data.file } : {}),
      ...(target ? { target } : {}),
      ...(data.features ? { features: data.features } : {}),
    });
  }
  const name = builtinName(data)!;
  if (!(datasetNames as readonly string[]).includes(name)) {
    fail(
      `\`data\`: unknown dataset '${name}'; use a built-in one (${datasetNames.join(', ')}), CSV text or a Dataset.`,
    );
  }
  if (target) fail(`\`target\` applies to CSV data; the built-in dataset '${name}' has its own targets.`);
  const options = typeof data === 'object' ? data : { name };
  return loadDataset(name, {
    dtype,
    seed: options.seed ?? seed,
    ...(options.points !== undefined ? { points: options.points } : {}),
    ...(options.noise !== undefined ? { noise: options.noise } : {}),
  });
}

const nameOf = (a: ActivationChoice): string => (typeof a === 'string' ? a : a.name);

/**
 * Refuses an activation's config that its registered entry does not take (an unknown key, with the closest
 * accepted one; a value of the wrong type; a range its factory refuses) as a bad run option naming `key`.
 */
function checkActivationChoice(
  key: 'activation' | 'outputActivation',
  choice: ActivationChoice | undefined,
): void {
  if (choice === undefined || typeof choice === 'string') return;
  try {
    // a one-unit layer builds the activation exactly as the model will
    mlp({ inputs: 1, layers: [{ units: 1, activation: choice }] });
  } catch (error) {
    if (!(error instanceof DeltaflowError) || error.code !== 'E_CONFIG') throw error;
    throw new DeltaflowError('E_OPTION', `\`${key}\` ${choice.name}: ${error.message}`, { cause: error });
  }
}

function buildModel(
  description: RunDescription,
  ds: Dataset,
  output: ActivationChoice,
  seed: number,
): Sequential {
  const activation = description.activation ?? RUN_DEFAULTS.activation;
  const hidden = description.layers ?? RUN_DEFAULTS.layers;
  const dtype = description.dtype ?? 'float32';
  const dropout = dropoutRates(description.dropout, hidden.length);
  checkModelSize({ inputs: ds.inputs.cols, layers: hidden, outputs: ds.targets.cols, dtype });
  return mlp({
    inputs: ds.inputs.cols,
    layers: [
      ...hidden.map((units, i) => ({ units, activation, ...(dropout[i] ? { dropout: dropout[i] } : {}) })),
      { units: ds.targets.cols, activation: output },
    ],
    seed,
    dtype,
  });
}

/** The dropout rate of each hidden layer: one rate for all, or one per hidden layer, each in [0, 1). */
function dropoutRates(given: number | readonly number[] | undefined, hidden: number): number[] {
  if (given === undefined) return new Array<number>(hidden).fill(0);
  const rates = typeof given === 'number' ? new Array<number>(hidden).fill(given) : [...given];
  if (hidden === 0 && (typeof given !== 'number' || given > 0))
    fail('`dropout` needs hidden layers (`layers`): dropout applies to hidden layers only.');
  if (rates.length !== hidden)
    fail(
      `\`dropout\` has ${rates.length} rates but the model has ${hidden} hidden layers; give one rate, or one per hidden layer.`,
    );
  for (const rate of rates) {
    if (!(typeof rate === 'number' && rate >= 0 && rate < 1))
      fail(`\`dropout\` rates must be numbers in [0, 1), such as 0.2; got ${String(rate)}.`);
  }
  return rates;
}

/** Refuses data whose columns do not fit a given model, naming both. */
function checkFits(ds: Dataset, model: Sequential): void {
  if (ds.inputs.cols !== model.inputs || ds.targets.cols !== model.outputs) {
    throw new DeltaflowError(
      'E_SHAPE',
      `The data ${ds.name} has ${ds.inputs.cols} input column(s) (${ds.featureNames.join(', ')}) and ${ds.targets.cols} target column(s) (${ds.targetNames.join(', ')}), but the model takes ${model.inputs} inputs and gives ${model.outputs} outputs; choose the columns with \`target\`.`,
    );
  }
}

function optimizerOf(description: RunDescription): {
  name: string;
  options: Record<string, number | boolean>;
} {
  const choice = description.optimizer ?? RUN_DEFAULTS.optimizer;
  const name = typeof choice === 'string' ? choice : choice.name;
  const options = { ...(typeof choice === 'string' ? {} : choice.options) };
  if (name === 'sgd' && options.lr === undefined) options.lr = RUN_DEFAULTS.sgdLr;
  return { name, options };
}

/**
 * Turns a {@link RunDescription} into a run: loads the data (a built-in set generated with the run's seed, CSV
 * text with its target columns, or a Dataset), builds the seeded model (hidden layers, then an output layer of
 * one unit per target column with the output activation of the task; a model too large for the memory is refused
 * by {@link checkModelSize} before anything is allocated), reads a column of small integer labels as
 * classes unless `targetType` says otherwise, notes targets outside the output's range and unscaled inputs
 * (`notices`), checks the loss/output rules
 * ({@link checkOutputPairing}), the loss, the activations' config and the optimizer options (each against its
 * registered `defaults`), the schedule ({@link scheduleOf}) and early
 * stopping ({@link earlyStoppingOf}), holds out the validation rows
 * ({@link holdOut}; the test rows first, then the validation rows of the rest), fits the scaler on the training rows only, and fills every default. Nothing trains yet;
 * every mistake is reported here, before the first epoch, with a message naming the option.
 *
 * @example
 * ```ts
 * const { model, train: data, trainOptions } = await prepareRun({ data: 'iris', layers: [8], loss: 'cross-entropy' });
 * train(model, data, trainOptions).subscribe((event) => {
 *   if (event.type === 'end') console.log(event.reason);
 * });
 * ```
 * @param description - the run, as plain data
 * @returns the model, the data and the options of `train()`
 * @throws DeltaflowError `E_OPTION` naming the option that is wrong (and the codes of the packages it calls)
 * @category Recipe
 */
export async function prepareRun(description: RunDescription): Promise<PreparedRun> {
  const seed = description.seed ?? RUN_DEFAULTS.seed;
  const given = description.model;
  if (given) {
    for (const key of ['layers', 'activation', 'outputActivation', 'dtype', 'dropout'] as const) {
      if (description[key] !== undefined)
        fail(`\`${key}\` cannot be combined with \`model\`: the model gives the architecture.`);
    }
  }
  checkActivationChoice('activation', description.activation);
  checkActivationChoice('outputActivation', description.outputActivation);
  const dtype = given?.dtype ?? description.dtype ?? 'float32';
  const notices: RunNotice[] = [];
  const chosen = chooseTargets(
    await loadRunData(description, dtype, seed),
    description.targetType,
    given?.outputs,
  );
  const dataset = chosen.dataset;
  if (chosen.notice) notices.push(chosen.notice);
  const loss = description.loss ?? RUN_DEFAULTS.loss;
  getLoss(loss);
  const output = given
    ? given.outputLayer.activation.name
    : (description.outputActivation ?? defaultOutputActivation(dataset.task, loss));
  checkOutputPairing({ loss, outputActivation: nameOf(output), outputs: dataset.targets.cols });
  const range = outputRangeNotice(dataset, nameOf(output), given !== undefined);
  if (range) notices.push(range);
  const model = given ?? buildModel(description, dataset, output, seed);
  checkFits(dataset, model);

  const optimizer = optimizerOf(description);
  try {
    createOptimizer(optimizer.name, model.parameters(), optimizer.options);
  } catch (error) {
    // a bad option of the optimizer is a bad run option: E_OPTION, naming the option `optimizer`
    if (!(error instanceof DeltaflowError) || error.code !== 'E_CONFIG') throw error;
    throw new DeltaflowError('E_OPTION', `\`optimizer\` ${optimizer.name}: ${error.message}`, {
      cause: error,
    });
  }

  const shuffle = description.shuffle ?? true;
  let train = dataset;
  let validation: Dataset | undefined;
  let test: Dataset | undefined;
  if (description.testSplit !== undefined) {
    ({ train, validation: test } = holdOut(dataset, description.testSplit, seed, shuffle, 'testSplit'));
  }
  if (description.validationSplit !== undefined) {
    ({ train, validation } = holdOut(train, description.validationSplit, seed, shuffle));
  }
  const scaler = description.normalize ? Scaler.fit('standard', train.inputs) : description.scaler;
  const scale = scaler ? undefined : inputScaleNotice(train);
  if (scale) notices.push(scale);
  if (scaler) {
    train = scaler.transformDataset(train);
    if (validation) validation = scaler.transformDataset(validation);
    if (test) test = scaler.transformDataset(test);
  }

  const defaults = dataDefaults(builtinName(description.data));
  const epochs = description.epochs ?? defaults.epochs;
  const schedule =
    description.schedule !== undefined ? scheduleDefaults(description.schedule, epochs) : undefined;
  const earlyStopping = earlyStoppingOf(description.earlyStopping);
  const trainOptions: PreparedRun['trainOptions'] = {
    epochs,
    batchSize: description.batchSize ?? defaults.batchSize,
    shuffle,
    seed,
    loss,
    optimizer: optimizer.name,
    optimizerOptions: optimizer.options,
    task: dataset.task,
    ...(description.l1 !== undefined ? { l1: description.l1 } : {}),
    ...(description.l2 !== undefined ? { l2: description.l2 } : {}),
    ...(validation ? { validation } : {}),
    ...(schedule ? { schedule: scheduleOf(schedule, epochs) } : {}),
    ...(earlyStopping ? { earlyStopping } : {}),
    ...(description.metrics !== undefined && description.metrics.length > 0
      ? { metrics: [...description.metrics] }
      : {}),
  };
  // unknown metrics, or metrics of a regression, are refused here rather than when the run starts
  checkMetrics(trainOptions.metrics, dataset.task, model.outputs);
  // a bad rate, or a list of the wrong length, is refused here, naming the option
  const penalty = new Penalty(model, trainOptions);
  const meta: Record<string, unknown> = {
    featureNames: dataset.featureNames,
    targetNames: dataset.targetNames,
    ...(dataset.classNames ? { classNames: dataset.classNames } : {}),
    ...(scaler ? { scaler: scaler.toJSON() } : {}),
    ...(description.validationSplit !== undefined ? { validationSplit: description.validationSplit } : {}),
    ...(description.testSplit !== undefined ? { testSplit: description.testSplit } : {}),
    ...(schedule ? { schedule } : {}),
    ...(earlyStopping ? { earlyStopping } : {}),
    ...(penalty.active ? { penalty: penalty.toJSON() } : {}),
    shuffle,
  };
  return {
    model,
    dataset,
    train,
    ...(validation ? { validation } : {}),
    ...(test ? { test } : {}),
    ...(scaler ? { scaler } : {}),
    outputActivation: nameOf(output),
    trainOptions,
    meta,
    notices,
  };
}
