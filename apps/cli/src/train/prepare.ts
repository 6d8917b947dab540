import { pluginRegistries } from '@deltaflow/core';
import type { Dataset, Scaler } from '@deltaflow/data';
import type { Sequential } from '@deltaflow/network';
import type { Optimizer } from '@deltaflow/optimizers';
import { DeltaflowError } from '@deltaflow/tensor';
import { prepareRun as prepareRecipe } from '@deltaflow/trainer';
import type {
  MetricName,
  PreparedRun as LibraryRun,
  RunData,
  RunDescription,
  RunNotice,
  ResumeState,
  RunOptions,
} from '@deltaflow/trainer';
import { CliError, UsageError, toFlags } from '../errors.js';
import { warn } from '../output.js';
import { isBuiltinDataset, loadData, targetsForModel } from '../options/data.js';
import { readModelFile } from '../options/model.js';
import type { LoadedModel, ModelMeta } from '../options/model.js';
import { checkDistinctPaths, checkOutputPath } from '../options/paths.js';
import { openOutOfCore, outOfCoreBudget } from './out-of-core.js';
import type { OutOfCoreData } from './out-of-core.js';
import { optimizerOptions } from '../options/settings.js';
import type { TrainRequest } from '../options/train-request.js';
import { runOptimizer } from './optimizer-state.js';

/** A run ready to start: the model, the (scaled, split) data, the trainer's options and the meta to save. */
export interface PreparedRun {
  request: TrainRequest;
  model: Sequential;
  dataset: Dataset;
  train: Dataset;
  validation?: Dataset;
  /** `--test-split`: the held-out test rows (scaled), measured once the run has ended. */
  test?: Dataset;
  scaler?: Scaler;
  options: RunOptions;
  /**
   * The run's optimizer when the CLI built it: with `--save-optimizer-state` (its state is saved at the end), or
   * restored from the `--init` model's `meta.optimizerState`.
   */
  optimizer?: Optimizer;
  /** What `--save` stores in the model's meta besides the trainer's own (loss, optimizer, epochs, ...). */
  meta: Record<string, unknown>;
  /** The run's options as a `--checkpoint` keeps them (the train flags as given, without the output ones). */
  runOptions?: Record<string, unknown>;
  /** The directory the relative paths of `runOptions` are relative to (a resumed run keeps its first one's). */
  runCwd?: string;
  /** The `--plugin` modules installed for the run, as given (a path, or a package name); `--dashboard` serves the files. */
  plugins?: string[];
  /**
   * `--memory-budget`: a CSV file too large for it trains out-of-core from its binary cache; `train` then holds
   * only the first rows (the model was built from them), and the sources give the batches.
   */
  outOfCore?: OutOfCoreData;
}

/**
 * The run's optimizer when its state matters: restored from the --init model's meta, kept to be saved, or built
 * afresh with a one-line warning that the saved state is missing (printed here unless --quiet).
 */
function optimizerOfRun(
  request: TrainRequest,
  init: LoadedModel | undefined,
  model: Sequential,
  trainOptions: { optimizer: string; optimizerOptions: Record<string, number | boolean> },
): ReturnType<typeof runOptimizer> {
  const built = runOptimizer(model, trainOptions.optimizer, trainOptions.optimizerOptions, {
    ...(request.init ? { init: request.init } : {}),
    saved: init?.meta.raw.optimizerState,
    save: request.saveOptimizerState,
  });
  if (built.warning && !request.quiet) warn(`deltaflow: warning: ${built.warning}`);
  return built;
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

/** The loss of a run: `--loss`, else the `--init` model's, else the recipe's default. */
function lossOf(request: TrainRequest, meta: ModelMeta | undefined): string | undefined {
  if (request.loss) return request.loss;
  return meta?.loss && pluginRegistries.loss.has(meta.loss) ? meta.loss : undefined;
}

/**
 * The `--init` model's optimizer and its options (`meta.optimizer`, `meta.optimizerOptions`), restored like its
 * loss: without `--optimizer` (when the model's is registered), or with `--optimizer` naming the same one. Flags
 * given now win over the saved options.
 */
function savedOptimizer(
  request: TrainRequest,
  meta: ModelMeta | undefined,
): { name: string; options: Record<string, number | boolean> } | undefined {
  const name = meta?.raw.optimizer;
  if (typeof name !== 'string' || !pluginRegistries.optimizer.has(name)) return undefined;
  if (request.optimizerGiven && request.optimizer !== name) return undefined;
  const stored = meta?.raw.optimizerOptions;
  const defaults = (pluginRegistries.optimizer.definition(name) as { defaults?: Record<string, unknown> })
    .defaults;
  const options: Record<string, number | boolean> = {};
  if (typeof stored === 'object' && stored !== null && !Array.isArray(stored)) {
    // only the keys the optimizer still takes, with values of their defaults' types
    for (const [key, value] of Object.entries(stored as Record<string, unknown>)) {
      const like = defaults?.[key];
      if (
        like !== undefined &&
        typeof value === typeof like &&
        (typeof value !== 'number' || Number.isFinite(value))
      )
        options[key] = value as number | boolean;
    }
  }
  return { name, options };
}

/**
 * Warnings for an `--init` model whose loss or optimizer is not registered now (its plugin not loaded), so that
 * the run falls back to the default: one line each, naming the plugin its `meta.plugins` recorded.
 */
function unloadedFromInit(request: TrainRequest, init: LoadedModel | undefined): string[] {
  if (!init) return [];
  const raw = init.meta.raw;
  const plugins = (raw.plugins ?? {}) as Partial<Record<'loss' | 'optimizer', Record<string, unknown>>>;
  const lines: string[] = [];
  const check = (kind: 'loss' | 'optimizer', name: unknown, given: boolean, fallback: string): void => {
    if (given || typeof name !== 'string' || pluginRegistries[kind].has(name)) return;
    const plugin = plugins[kind]?.[name];
    const from = typeof plugin === 'string' ? ` of the plugin ${plugin}` : '';
    const fix = typeof plugin === 'string' ? `add --plugin ${plugin}` : 'add the --plugin that provides it';
    lines.push(
      `the --init model was trained with the ${kind} '${name}'${from}, which is not loaded, so this run uses ${fallback}; ${fix} to continue with it.`,
    );
  };
  check('optimizer', raw.optimizer, request.optimizerGiven, `'${request.optimizer}'`);
  check('loss', raw.loss, request.loss !== undefined, 'the default loss');
  return lines;
}

/**
 * The `--init` model's batch size (`meta.batchSize`), the default of a run continuing it: the file's data is
 * read as any data set would be, whose default batch (the whole set) may differ from the first run's.
 */
function savedBatchSize(init: LoadedModel | undefined): number | undefined {
  const size = init?.meta.raw.batchSize;
  return typeof size === 'number' && Number.isInteger(size) && size >= 1 ? size : undefined;
}

/** `--data` as the recipe takes it: a built-in name, or (a CSV file, or any data with `--init`) a Dataset. */
async function requestData(request: TrainRequest, init: LoadedModel | undefined): Promise<RunData> {
  if (isBuiltinDataset(request.data) && !init) return request.data;
  const loaded = await loadData(request.data, {
    target: request.target,
    dtype: init?.model.dtype ?? request.dtype ?? 'float32',
    features: init?.meta.featureNames,
    seed: request.seed,
    ...(request.encoding ? { encoding: request.encoding } : {}),
  });
  return init ? targetsForModel(loaded, init) : loaded;
}

/**
 * The run description of checked train flags and their data: `--layers`, `--activation`,
 * `--output-activation` (with their config), `--loss`, `--optimizer` with `--lr`, `--momentum`, `--nesterov`,
 * `--weight-decay` and `--opt` (over the `--init` model's optimizer and options when it is the same optimizer),
 * `--validation-split`, `--test-split`, `--schedule` with its parameters, `--early-stopping` with its settings,
 * `--normalize`, `--seed`, `--epochs`, `--batch-size`, `--no-shuffle`, `--dtype`, and the `--init` model. Fields the flags leave out are left out, so the recipe fills its defaults.
 *
 * @example
 * ```ts
 * import { checkTrainRequest } from '../options/train-request.js';
 *
 * const description = describeRequest(checkTrainRequest({ data: 'iris', layers: '8' }), 'iris');
 * ```
 */
export function describeRequest(request: TrainRequest, data: RunData, init?: LoadedModel): RunDescription {
  const saved = savedOptimizer(request, init?.meta);
  const optimizer = saved?.name ?? request.optimizer;
  const given = {
    ...optimizerOptions(optimizer, request.optimizerOptions),
    lr: request.lr,
    momentum: request.momentum,
    nesterov: request.nesterov,
    weightDecay: request.weightDecay,
  };
  const options = {
    ...saved?.options,
    ...(Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as Record<
      string,
      number | boolean
    >),
  };
  const description: RunDescription = {
    data,
    optimizer: { name: optimizer, options },
    seed: request.seed,
    shuffle: request.shuffle,
    normalize: request.normalize,
  };
  const optional = {
    // a built-in set with --target: the recipe refuses it, naming the option
    target: typeof data === 'string' ? request.target : undefined,
    targetType: request.targetType,
    layers: request.layers,
    dropout: request.dropout,
    l1: request.l1,
    l2: request.l2,
    activation: request.activation,
    outputActivation: request.outputActivation,
    dtype: request.dtype,
    loss: lossOf(request, init?.meta),
    validationSplit: request.validationSplit,
    testSplit: request.testSplit,
    schedule: request.schedule ? { name: request.schedule, config: request.scheduleConfig } : undefined,
    earlyStopping: request.earlyStopping,
    metrics: request.metrics,
    epochs: request.epochs,
    batchSize: request.batchSize ?? savedBatchSize(init),
    model: init?.model,
    scaler: request.normalize ? undefined : init?.meta.scaler,
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) Object.assign(description, { [key]: value });
  }
  return description;
}

/**
 * The library's recipe (`prepareRun` of `@deltaflow/trainer`), its option errors turned into usage errors that
 * name flags instead of options.
 *
 * @example
 * ```ts
 * const { model } = await recipe({ data: 'xor', layers: [8] });
 * ```
 */
export async function recipe(description: RunDescription): Promise<LibraryRun> {
  try {
    return await prepareRecipe(description);
  } catch (error) {
    if (error instanceof DeltaflowError && error.code === 'E_OPTION')
      throw new UsageError(toFlags(error.message));
    throw error;
  }
}

const NOTICE_WORD: Record<RunNotice['kind'], string> = {
  'target-type': 'note',
  'output-range': 'warning',
  'input-scale': 'hint',
};

/**
 * The line the CLI prints on stderr for a notice of the recipe, in flags.
 *
 * @example
 * ```ts
 * noticeLine({ kind: 'input-scale', message: 'Standardise the inputs with `normalize`.' });
 * // 'deltaflow: hint: Standardise the inputs with --normalize.'
 * ```
 */
export function noticeLine(notice: RunNotice): string {
  return `deltaflow: ${NOTICE_WORD[notice.kind]}: ${toFlags(notice.message)}`;
}

/**
 * With `--dashboard` on a classification run, the metrics asked plus `'confusion'`, so that the attached page's
 * confusion-matrix panel has the epoch events' matrices (they only add to the events: the run is the same, bit
 * for bit); otherwise nothing to change.
 */
function dashboardMetrics(
  request: TrainRequest,
  trainOptions: LibraryRun['trainOptions'],
): { metrics?: MetricName[] } {
  if (request.dashboard === undefined || trainOptions.task !== 'classification') return {};
  const asked = trainOptions.metrics ?? [];
  return asked.includes('confusion') ? {} : { metrics: [...asked, 'confusion'] };
}

/**
 * Turns checked options into a run with the library's recipe (`prepareRun` of `@deltaflow/trainer`): the same
 * description gives the same run as in the dashboard or in code. Output paths are checked first (writable, not
 * the same file twice, not the `--data` file); the recipe's
 * option errors come back as usage errors that name flags instead of options.
 *
 * @example
 * ```ts
 * import { checkTrainRequest } from '../options/train-request.js';
 *
 * const prepared = await prepareRun(checkTrainRequest({ data: 'iris', layers: '8' }));
 * ```
 * @param resume - with `--resume`: the checkpoint's state, from which the run continues
 */
export async function prepareRun(request: TrainRequest, resume?: ResumeState): Promise<PreparedRun> {
  const outputs: [string, string][] = [];
  if (request.save) outputs.push(['--save', request.save]);
  if (request.events) outputs.push(['--events', request.events]);
  if (request.checkpoint) outputs.push(['--checkpoint', request.checkpoint]);
  for (const [flag, path] of outputs) checkOutputPath(flag, path);
  checkDistinctPaths(outputs, isBuiltinDataset(request.data) ? [] : [['--data', request.data]]);
  const init = request.init ? readModelFile(request.init, '--init') : undefined;
  if (!request.quiet) for (const line of unloadedFromInit(request, init)) warn(`deltaflow: warning: ${line}`);
  const dtype = init?.model.dtype ?? request.dtype ?? 'float32';
  const budget = isBuiltinDataset(request.data) ? null : outOfCoreBudget(request, dtype);
  if (budget !== null) return prepareOutOfCore(request, budget, init, resume);
  const prepared = await recipe(describeRequest(request, await requestData(request, init), init));
  const { model, dataset, train, validation, test, scaler, trainOptions } = prepared;
  if (!request.quiet) for (const notice of prepared.notices) warn(noticeLine(notice));
  // No `history: 'all'`: the dashboard server subscribes before the run starts and keeps its own bounded
  // history for pages that open late, so a run of any length keeps its memory flat.
  const built = optimizerOfRun(request, init, model, trainOptions);
  const options: RunOptions = {
    ...trainOptions,
    ...(built.optimizer ? { optimizer: built.optimizer } : {}),
    ...dashboardMetrics(request, trainOptions),
    // --checkpoint: the run keeps its state at every epoch's end (checkpoint and end events carry it)
    ...(request.checkpoint ? { resumable: true } : {}),
    ...(request.checkpointEvery ? { checkpointEvery: request.checkpointEvery } : {}),
    ...(resume ? { resume } : {}),
  };
  const meta: Record<string, unknown> = {
    data: request.data,
    ...prepared.meta,
    ...(request.target ? { targetColumns: request.target } : {}),
    ...(request.init ? { init: request.init } : {}),
  };
  return {
    request,
    model,
    dataset,
    train,
    ...(validation ? { validation } : {}),
    ...(test ? { test } : {}),
    ...(scaler ? { scaler } : {}),
    options,
    ...(built.optimizer ? { optimizer: built.optimizer } : {}),
    meta,
  };
}

/**
 * {@link prepareRun} for a CSV file larger than the memory budget: the binary cache (built on first use, after a
 * notice line), its seeded split and streaming scaler, and the recipe run on the cache's first rows, which build
 * the model and check the options as for data in memory.
 */
async function prepareOutOfCore(
  request: TrainRequest,
  budget: number,
  init: LoadedModel | undefined,
  resume: ResumeState | undefined,
): Promise<PreparedRun> {
  if (resume)
    throw new UsageError(
      `--resume needs the data in memory, but ${request.data} is larger than the memory budget of ${budget} MB; raise --memory-budget.`,
    );
  const dtype = init?.model.dtype ?? request.dtype ?? 'float32';
  const ooc = openOutOfCore(request, budget, dtype, warn, init?.meta.featureNames);
  // the cache keeps the file's sorted labels; a model's own class order cannot be mapped onto them here
  const modelClasses = init?.meta.classNames;
  const fileClasses = ooc.cache.classNames;
  if (modelClasses && fileClasses && modelClasses.join('\u0000') !== fileClasses.join('\u0000'))
    throw new UsageError(
      `${request.init} was trained on the classes ${modelClasses.join(', ')}, but ${request.data} has ${fileClasses.join(', ')}, which out-of-core training cannot map onto them; raise --memory-budget to train in memory, where they are aligned.`,
    );
  // the splits and the scaler are the cache's: the recipe sees the first rows only, unsplit
  const plain: TrainRequest = { ...request, normalize: false };
  delete plain.validationSplit;
  delete plain.testSplit;
  const description = describeRequest(plain, ooc.sample, init);
  if (ooc.scaler) description.scaler = ooc.scaler;
  const prepared = await recipe(description);
  if (prepared.dataset.targets.cols !== ooc.cache.outputs)
    throw new UsageError(
      `${request.data} trains out-of-core, which reads the target column as it is in the file; give --target-type value, or raise --memory-budget to train in memory.`,
    );
  if (!request.quiet) for (const notice of prepared.notices) warn(noticeLine(notice));
  const { trainOptions } = prepared;
  const built = optimizerOfRun(request, init, prepared.model, trainOptions);
  const options: RunOptions = {
    ...trainOptions,
    ...(built.optimizer ? { optimizer: built.optimizer } : {}),
    ...(ooc.validation ? { validation: ooc.validation } : {}),
  };
  const meta: Record<string, unknown> = {
    data: request.data,
    ...prepared.meta,
    ...(request.validationSplit !== undefined ? { validationSplit: request.validationSplit } : {}),
    ...(request.testSplit !== undefined ? { testSplit: request.testSplit } : {}),
    ...(request.target ? { targetColumns: request.target } : {}),
    ...(request.init ? { init: request.init } : {}),
  };
  return {
    request,
    model: prepared.model,
    dataset: prepared.dataset,
    train: prepared.train,
    ...(prepared.scaler ? { scaler: prepared.scaler } : {}),
    options,
    ...(built.optimizer ? { optimizer: built.optimizer } : {}),
    meta,
    outOfCore: ooc,
  };
}
