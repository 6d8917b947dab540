import { Scaler, splitDataset } from '@deltaflow/data';
import type { Dataset } from '@deltaflow/data';
import { mlp } from '@deltaflow/network';
import type { Sequential } from '@deltaflow/network';
import { createOptimizer } from '@deltaflow/optimizers';
import type { RunOptions } from '@deltaflow/trainer';
import { CliError, UsageError } from '../errors.js';
import { alignClasses, loadData } from '../options/data.js';
import { readModelFile } from '../options/model.js';
import type { ModelMeta } from '../options/model.js';
import { registries } from '../options/names.js';
import { checkOutputPath } from '../options/paths.js';
import { trainDefaults } from '../options/train-request.js';
import type { TrainRequest } from '../options/train-request.js';

/** A run ready to start: the model, the (scaled, split) data, the trainer's options and the meta to save. */
export interface PreparedRun {
  request: TrainRequest;
  model: Sequential;
  dataset: Dataset;
  train: Dataset;
  validation?: Dataset;
  scaler?: Scaler;
  options: RunOptions;
  /** What `--save` stores in the model's meta besides the trainer's own (loss, optimizer, epochs, ...). */
  meta: Record<string, unknown>;
}

/** Refuses data whose columns do not fit the model, naming both. */
export function checkFits(ds: Dataset, model: Sequential, withTargets = true): void {
  if (ds.inputs.cols !== model.inputs || (withTargets && ds.targets.cols !== model.outputs)) {
    const targets = withTargets
      ? ` and ${ds.targets.cols} target column(s) (${ds.targetNames.join(', ')})`
      : '';
    throw new CliError(
      `The data ${ds.name} has ${ds.inputs.cols} input column(s) (${ds.featureNames.join(', ')})${targets}, but the model takes ${model.inputs} inputs and gives ${model.outputs} outputs; choose the columns with --target.`,
    );
  }
}

function defaultLoss(request: TrainRequest, meta: ModelMeta | undefined): string {
  if (request.loss) return request.loss;
  return meta?.loss && registries.loss.has(meta.loss) ? meta.loss : 'mse';
}

/** The model of `--layers`, `--activation`, `--output-activation`, `--dtype`, `--seed` for a dataset. */
export function buildModel(request: TrainRequest, ds: Dataset, loss: string): Sequential {
  const activation = request.activation ?? 'sigmoid';
  const output = request.outputActivation ?? (loss === 'cross-entropy' ? 'softmax' : 'sigmoid');
  return mlp({
    inputs: ds.inputs.cols,
    layers: [
      ...(request.layers ?? [4]).map((units) => ({ units, activation })),
      { units: ds.targets.cols, activation: output },
    ],
    seed: request.seed,
    dtype: request.dtype ?? 'float32',
  });
}

function optimizerOptions(request: TrainRequest, model: Sequential): Record<string, number | boolean> {
  const given = {
    lr: request.lr,
    momentum: request.momentum,
    nesterov: request.nesterov,
    weightDecay: request.weightDecay,
  };
  if (given.lr === undefined && request.optimizer === 'sgd') given.lr = 0.5;
  const options = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as Record<
    string,
    number | boolean
  >;
  try {
    createOptimizer(request.optimizer, model.parameters(), options);
  } catch (error) {
    throw new UsageError(`--optimizer ${request.optimizer}: ${(error as Error).message}`);
  }
  return options;
}

/**
 * Turns checked options into a run: reads the `--init` model, loads the data in the model's dtype, splits off
 * validation rows, fits the `--normalize` scaler on the training part only, builds the model and checks the
 * optimizer options and output paths, all before training starts.
 *
 * @example
 * ```ts
 * import { checkTrainRequest } from '../options/train-request.js';
 *
 * const prepared = await prepareRun(checkTrainRequest({ data: 'iris', layers: '8' }));
 * ```
 */
export async function prepareRun(request: TrainRequest): Promise<PreparedRun> {
  if (request.save) checkOutputPath('--save', request.save);
  if (request.events) checkOutputPath('--events', request.events);
  const init = request.init ? readModelFile(request.init, '--init') : undefined;
  const dtype = init?.model.dtype ?? request.dtype ?? 'float32';
  let dataset = await loadData(request.data, {
    target: request.target,
    dtype,
    features: init?.meta.featureNames,
  });
  dataset = alignClasses(dataset, init?.meta.classNames);
  const loss = defaultLoss(request, init?.meta);
  const model = init?.model ?? buildModel(request, dataset, loss);
  checkFits(dataset, model);
  if (loss === 'cross-entropy' && model.outputs === 1) {
    throw new UsageError(
      '--loss cross-entropy needs one-hot targets (two or more columns); for one 0/1 target use binary-cross-entropy.',
    );
  }

  let train = dataset;
  let validation: Dataset | undefined;
  if (request.validationSplit !== undefined) {
    ({ train, validation } = splitDataset(dataset, {
      validation: request.validationSplit,
      seed: request.seed,
      shuffle: request.shuffle,
    }));
    if (validation.inputs.rows === 0) {
      throw new UsageError(
        `--validation-split ${request.validationSplit} holds out no rows of the ${dataset.inputs.rows} in ${dataset.name}; use a larger fraction.`,
      );
    }
  }
  const scaler = request.normalize ? Scaler.fit('standard', train.inputs) : init?.meta.scaler;
  if (scaler) {
    train = scaler.transformDataset(train);
    if (validation) validation = scaler.transformDataset(validation);
  }

  const defaults = trainDefaults(request.data);
  const options: RunOptions = {
    epochs: request.epochs ?? defaults.epochs,
    batchSize: request.batchSize ?? defaults.batchSize,
    shuffle: request.shuffle,
    seed: request.seed,
    loss,
    optimizer: request.optimizer,
    optimizerOptions: optimizerOptions(request, model),
    task: dataset.task,
    ...(validation ? { validation } : {}),
    // a dashboard page may open at any time and wants every epoch so far
    ...(request.dashboard !== undefined ? { history: 'all' as const } : {}),
  };
  const meta: Record<string, unknown> = {
    data: request.data,
    featureNames: dataset.featureNames,
    targetNames: dataset.targetNames,
    ...(request.target ? { targetColumns: request.target } : {}),
    ...(dataset.classNames ? { classNames: dataset.classNames } : {}),
    ...(scaler ? { scaler: scaler.toJSON() } : {}),
    ...(request.init ? { init: request.init } : {}),
    ...(request.validationSplit !== undefined ? { validationSplit: request.validationSplit } : {}),
    shuffle: request.shuffle,
  };
  return {
    request,
    model,
    dataset,
    train,
    ...(validation ? { validation } : {}),
    ...(scaler ? { scaler } : {}),
    options,
    meta,
  };
}
