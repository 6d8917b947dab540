import { Batcher } from '@deltaflow/data';
import type { Batch } from '@deltaflow/data';
import { getLoss, lossToJSON } from '@deltaflow/losses';
import type { Loss } from '@deltaflow/losses';
import {
  FusedSmallNetwork,
  Penalty,
  RESIDENT_MIN_PRODUCT,
  modelToJSON,
  pluginSources,
} from '@deltaflow/network';
import type { TinySgdNetwork } from '@deltaflow/network';
import type { ForwardPass, ModelJSON, Sequential, WasmResidentPlan } from '@deltaflow/network';
import { Optimizer, createOptimizer } from '@deltaflow/optimizers';
import type { LrSchedule } from '@deltaflow/optimizers';
import { DeltaflowError, Random } from '@deltaflow/tensor';
import type { Tensor, Tensor2D } from '@deltaflow/tensor';
import type { EndReason, LayerGradientStats, Metrics, OutputSample, TrainingConfig } from './events.js';
import { EpochStatistics, WeightSnapshot } from './gradient-stats.js';
import type { DeferredWeights } from './gradient-stats.js';
import { tinyPlan } from './tiny-plan.js';
import { METRIC_NAMES, MetricsAccumulator } from './metrics.js';
import type { MetricName } from './metrics.js';
import type { TrainOptions, TrainingData } from './options.js';
import { SourceFeed, checkSource, isDataSource } from './data-source.js';
import type { DataSource } from './data-source.js';
import { EarlyStopping } from './early-stopping.js';
import { RUN_DEFAULTS } from './recipe/defaults.js';
import { holdOut } from './recipe/split.js';
import { checkResumeState, randomFromJSON, randomToJSON } from './resume-state.js';
import { residentPlan } from './resident-plan.js';
import type { ResumeState } from './resume-state.js';

/** What one finished epoch measured. */
export interface EpochSummary {
  epoch: number;
  /** E = data loss + penalty, the mean over the epoch's samples. */
  loss: number;
  /** With L1/L2 penalties: the data loss part of E. */
  dataLoss?: number;
  /** With L1/L2 penalties: the penalty part of E (its value at each batch, averaged over the samples). */
  penalty?: number;
  /** With `metrics: ['confusion']`: the training confusion matrix of the epoch. */
  confusion?: number[][];
  /** With `metrics: ['confusion']` and validation data: the validation confusion matrix. */
  valConfusion?: number[][];
  valLoss?: number;
  metrics: Metrics;
  lr: number;
  layers: LayerGradientStats[];
  outputs?: OutputSample;
}

const DIVERGED_HINT =
  'The loss became NaN or infinite: try a smaller learning rate (`lr`), scaling the inputs (`normalize`), or a different initialisation.';

/** The metrics asked when none are (shared: the list is never written). */
const NO_METRICS: readonly MetricName[] = Object.freeze([]);

function fail(message: string): never {
  throw new DeltaflowError('E_OPTION', message);
}

function checkCount(name: string, value: number | undefined, min: number): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= min)) {
    fail(`${name} must be an integer of at least ${min}, got ${value}.`);
  }
}

/** Checks the `metrics` option: known names, classification only, `auc` for a binary task. */
export function checkMetrics(
  asked: readonly MetricName[] | undefined,
  task: 'classification' | 'regression',
  outputs: number,
): readonly MetricName[] {
  if (asked === undefined || asked.length === 0) return [];
  for (const name of asked) {
    if (!METRIC_NAMES.includes(name))
      fail(`\`metrics\`: unknown metric '${String(name)}'; use ${METRIC_NAMES.join(', ')}.`);
  }
  if (task !== 'classification')
    fail(
      '`metrics` (precision, recall, f1, auc, confusion) are for classification; regression reports mse, mae and r2.',
    );
  if (asked.includes('auc') && outputs > 2)
    fail(
      `\`metrics\`: auc is for binary tasks (1 or 2 outputs) but the model has ${outputs} outputs; ask for f1 or confusion.`,
    );
  return asked;
}

/** The generator of a run's dropout masks: seeded by the run's seed, on a stream apart from the shuffles'. */
export function dropoutRandom(seed: number): Random {
  return new Random((seed ^ 0x5bd1e995) >>> 0);
}

/** Converts a tensor to the model's dtype once, before training, so the loop never mixes dtypes. */
function inDtype(t: Tensor, model: Sequential): Tensor2D {
  const cast = t.dtype === model.dtype ? t : t.clone(model.dtype);
  // The loop reads rows of samples: a rank-1 tensor is one row (a view, not a copy).
  return cast.rank === 2 ? (cast as Tensor2D) : cast.reshape([cast.rows, cast.cols]);
}

/**
 * The synchronous core of a training run, batch by batch, with no streams in it: the Observable of
 * {@link train} drives it and turns its results into events. Everything it needs is allocated in the
 * constructor; {@link TrainingLoop.runBatch} allocates nothing.
 */
export class TrainingLoop {
  readonly config: TrainingConfig;
  readonly optimizer: Optimizer;
  readonly loss: Loss;
  /** Completed epochs. */
  epoch = 0;
  /** Batches done in the current epoch. */
  batchIndex = 0;
  /** Samples trained on since the start. */
  samplesSeen = 0;
  /** Set when the run has ended, with the reason. */
  ended: EndReason | null = null;

  /**
   * The training set of in-memory data (null for a data source), in the model's dtype: its batches are the
   * batcher's (see {@link TrainingLoop.batcher}), made when an epoch first needs them.
   */
  private trainSet: { inputs: Tensor2D; targets: Tensor2D } | null = null;
  /** The batcher of {@link TrainingLoop.trainSet}, once made. */
  private madeBatcher: Batcher | null = null;
  /** Batches per epoch of in-memory data: ceil(samples / batchSize), the batcher's count. */
  private batchCount = 0;
  /** The batches of a data source (null for in-memory data): fetched, asynchronously, before each batch. */
  readonly feed: SourceFeed | null;
  /** A validation data source, measured batch by batch at each epoch's end (before `finishEpoch`). */
  private readonly valFeed: SourceFeed | null;
  /** The validation source's loss sum over its samples, once measured for the epoch. */
  private valMeasured: { loss: number } | null = null;
  /** The training forward pass, read by the loss, backward and the gradient statistics. */
  private readonly pass: ForwardPass;
  /**
   * The validation forward pass, made on first use (see {@link TrainingLoop.valPass}): kept apart, so validating
   * never touches the training pass.
   */
  private validationPass: ForwardPass | null = null;
  private validation: { inputs: Tensor; targets: Tensor } | null = null;
  /**
   * The training and validation metrics, made when an epoch first needs them (see {@link TrainingLoop.metrics}):
   * a run whose epochs all take the whole-epoch kernel, which counts its own accuracy, never makes them.
   */
  private trainMetrics: MetricsAccumulator | null = null;
  private validationMetrics: MetricsAccumulator | null = null;
  /** The run's task (the metrics are made for it). */
  private readonly task: 'classification' | 'regression';
  /**
   * The weights at the start of the epoch and the backward statistics of each epoch (and whether the weights are
   * finite): made when an epoch first needs them (see {@link TrainingLoop.statistics}), so that a run whose epochs
   * all take the whole-epoch kernel, which measures its own statistics, never makes them.
   */
  private snapshot: WeightSnapshot | null = null;
  private statistics: EpochStatistics | null = null;
  private readonly earlyStopping: EarlyStopping | null;
  private readonly schedule: LrSchedule | undefined;
  private readonly outputSample: number;
  private baseLr: number;
  private lossSum = 0;
  private penaltySum = 0;
  /**
   * The L1/L2 penalties of the weights, made in the constructor with `l1` or `l2` (which it checks), else when an
   * epoch of the general path first needs it (see {@link TrainingLoop.penalty}: inactive, all rates 0).
   */
  private weightPenalty: Penalty | null;
  /** The classification metrics asked beyond accuracy (`metrics` option). */
  private readonly asked: readonly MetricName[];
  /** The generator of the shuffles (the batcher's). */
  private readonly shuffleRandom: Random;
  /** The fused small-network path (forward, E and backward in one pass), or null when the run is not covered. */
  private readonly fused: FusedSmallNetwork | null;
  /** Whether the last batch took the fused path (its backward sums then serve the epoch's statistics). */
  private lastFused = false;
  /** The WebAssembly-resident plan (weights kept in WebAssembly memory), or null; see resident-plan.ts. */
  private readonly resident: WasmResidentPlan | null;
  /**
   * Whether the resident plan took the epoch's first batch (and copied the weights of the epoch's start in its
   * memory) and its last: its statistics then serve the epoch's (see {@link TrainingLoop.finishEpoch}).
   */
  private residentEpoch = false;
  /** The sums of the resident plan's statistics (10 per layer), refilled every epoch. */
  private readonly residentSums: Float64Array;
  /** The snapshot's arrays the resident plan copies at each epoch's start (refilled: the snapshot exchanges them). */
  private readonly residentStarts: Float32Array[];
  /** Whether this epoch's {@link TrainingLoop.beginEpoch} copied the snapshot from the model's tensors. */
  private startTaken = false;
  /**
   * Whether the snapshot of the epoch's start is still to be taken, at the epoch's first batch (a run with a resident
   * plan: the plan's copy in its memory then serves, see {@link TrainingLoop.runBatch}).
   */
  private startPending = false;
  /** The resident plan's copy of the epoch's start, as what a deferred snapshot copies in when read. */
  private readonly residentStart: DeferredWeights = {
    copyInto: (copies) => {
      if (!this.resident!.copyStartInto(copies as Float32Array[]))
        throw new DeltaflowError(
          'E_STATE',
          'The weights of the epoch start were lost from WebAssembly memory before they were read; report this as a bug.',
        );
    },
  };
  /** With `resumable`: the run's state at the end of the last complete epoch (or at the start). */
  resumeState: ResumeState | null = null;
  /**
   * Whether every epoch is one batch of in-memory data on the fused path with nothing else to measure (no L1/L2
   * penalty, validation, metrics beyond the default ones, output sample, early stopping or resumable state): then
   * {@link TrainingLoop.runEpoch} runs an epoch in one call.
   */
  readonly lean: boolean;
  /**
   * A lean run's whole-epoch WebAssembly kernel (see tiny-plan.ts), or null; {@link TrainingLoop.runEpoch} takes it
   * when the backend in use runs it.
   */
  private readonly tiny: TinySgdNetwork | null;
  /** The one batch of a lean run without a shuffle, once {@link TrainingLoop.runEpoch} took it for the kernel. */
  private tinyBatch: Batch | null = null;
  /**
   * What {@link TrainingLoop.finishEpoch} returns: one object for the run, refilled every epoch (every field
   * written, absent ones undefined, so its shape never changes); its metrics, layers and outputs are new each
   * epoch (they go into the events).
   */
  private readonly summary: EpochSummary = {
    epoch: 0,
    loss: 0,
    dataLoss: undefined,
    penalty: undefined,
    confusion: undefined,
    valConfusion: undefined,
    valLoss: undefined,
    metrics: {},
    lr: 0,
    layers: [],
    outputs: undefined,
  };

  constructor(
    readonly model: Sequential,
    data: TrainingData | DataSource,
    private readonly options: TrainOptions,
  ) {
    checkCount('epochs', options.epochs, 0);
    checkCount('batchSize', options.batchSize, 1);
    checkCount('checkpointEvery', options.checkpointEvery, 1);
    checkCount('outputSample', options.outputSample, 0);
    const split = options.validationSplit;
    const seed = options.seed ?? RUN_DEFAULTS.seed;
    this.pass = model.createPass();
    // (loops, not some/every with a callback: one function fewer to compile before a JIT-cold run's first epoch)
    const layers = model.layers;
    let dropout = false;
    for (let l = 0; l < layers.length; l++) if (layers[l]!.dropout > 0) dropout = true;
    if (dropout) this.pass.dropout = dropoutRandom(seed);
    this.shuffleRandom = new Random(seed);
    let batchSize: number;
    let samples: number;
    let validationSamples: number;
    if (isDataSource(data) || isDataSource(options.validation)) {
      ({
        feed: this.feed,
        valFeed: this.valFeed,
        batchSize,
        samples,
        validationSamples,
      } = this.fromSource(data, options, split));
    } else {
      this.feed = null;
      this.valFeed = null;
      ({ batchSize, samples } = this.inMemory(data, options, split, seed));
      validationSamples = this.validation?.inputs.rows ?? 0;
    }

    this.loss = getLoss(options.loss ?? RUN_DEFAULTS.loss);
    // a built-in mse by name (a Loss object or plugin may compute differently)
    this.fused = (options.loss ?? RUN_DEFAULTS.loss) === 'mse' ? FusedSmallNetwork.plan(model) : null;
    // (without l1 and l2 the penalty is inactive, all its rates 0: made on first use, so a tiny run never makes it)
    this.weightPenalty =
      options.l1 !== undefined || options.l2 !== undefined
        ? new Penalty(model, {
            ...(options.l1 !== undefined ? { l1: options.l1 } : {}),
            ...(options.l2 !== undefined ? { l2: options.l2 } : {}),
          })
        : null;
    const penaltyActive = this.weightPenalty !== null && this.weightPenalty.active;
    this.optimizer = this.makeOptimizer();
    this.baseLr = this.optimizer.lr;
    // (a network with a product of a full batch at or below RESIDENT_MIN_PRODUCT never has a resident plan: the
    // plan is not asked for then, which spares a tiny run its checks)
    let wide = true;
    for (let l = 0; l < layers.length; l++) {
      if (!(batchSize * layers[l]!.inputs * layers[l]!.units > RESIDENT_MIN_PRODUCT)) wide = false;
    }
    this.resident = wide ? residentPlan(model, options, this.optimizer, penaltyActive, batchSize) : null;
    this.residentSums = new Float64Array(this.resident ? 10 * model.layers.length : 0);
    this.residentStarts = this.resident ? model.parameters().map((p) => p.value.data as Float32Array) : [];
    this.schedule = options.schedule;
    const task = options.task ?? data.task ?? 'classification';
    this.task = task;
    this.asked =
      options.metrics === undefined ? NO_METRICS : checkMetrics(options.metrics, task, model.outputs);
    this.earlyStopping = options.earlyStopping
      ? new EarlyStopping(model, options.earlyStopping, this.validation !== null || this.valFeed !== null)
      : null;
    this.outputSample = options.outputSample ?? 0;
    this.config = {
      epochs: options.epochs ?? RUN_DEFAULTS.epochs,
      batchSize,
      shuffle: options.shuffle ?? true,
      seed,
      loss: lossToJSON(this.loss).name,
      optimizer: this.optimizer.name,
      optimizerOptions: { ...this.optimizer.options },
      samples,
      validationSamples,
      task,
      ...(task === 'classification' && data.classNames ? { classNames: [...data.classNames] } : {}),
      ...(this.weightPenalty !== null ? this.weightPenalty.toJSON() : {}),
    };
    if (options.resume) this.restore(options.resume, samples);
    if (options.resumable) this.resumeState = this.captureState();
    this.lean =
      this.fused !== null &&
      this.trainSet !== null &&
      this.batchCount === 1 &&
      !penaltyActive &&
      this.asked.length === 0 &&
      this.validation === null &&
      this.outputSample === 0 &&
      this.earlyStopping === null &&
      !options.resumable;
    this.tiny = this.lean ? tinyPlan(model, this.optimizer, batchSize, task) : null;
  }

  /** The L1/L2 penalties (see {@link TrainingLoop.weightPenalty}; without `l1` and `l2` made inactive on first use). */
  private get penalty(): Penalty {
    return (this.weightPenalty ??= new Penalty(this.model));
  }

  /** The validation forward pass (made on first use; see {@link TrainingLoop.validationPass}). */
  private get valPass(): ForwardPass {
    return (this.validationPass ??= this.model.createPass());
  }

  /** The training metrics of the epoch (made on first use; see {@link TrainingLoop.trainMetrics}). */
  private get metrics(): MetricsAccumulator {
    return (this.trainMetrics ??= new MetricsAccumulator(this.task, this.asked.length > 0));
  }

  /** The validation metrics of the epoch (made on first use; see {@link TrainingLoop.trainMetrics}). */
  private get valMetrics(): MetricsAccumulator {
    return (this.validationMetrics ??= new MetricsAccumulator(this.task, this.asked.length > 0));
  }

  /** The weights at the start of the epoch (made on first use; see {@link TrainingLoop.stats}). */
  private get epochStart(): WeightSnapshot {
    // a run with a resident plan takes its first snapshot at its first batch, maybe in the plan's memory
    return (this.snapshot ??= new WeightSnapshot(this.model, this.resident === null));
  }

  /**
   * The backward statistics, made on first use: by the first epoch that is not the whole-epoch kernel's, which
   * takes a snapshot first (a new one has `advanced` false), so making them late changes no number.
   */
  private get stats(): EpochStatistics {
    return (this.statistics ??= new EpochStatistics(this.model, this.epochStart));
  }

  /** Refuses a set whose columns or rows do not fit the model. */
  private checked<T extends { inputs: Tensor; targets: Tensor }>(set: T, name: string): T {
    const model = this.model;
    if (
      set.inputs.cols !== model.inputs ||
      set.targets.cols !== model.outputs ||
      set.inputs.rows !== set.targets.rows
    ) {
      throw new DeltaflowError(
        'E_SHAPE',
        `The ${name} has ${set.inputs.cols} inputs and ${set.targets.cols} targets per sample (${set.inputs.rows} and ${set.targets.rows} rows) but the model takes ${model.inputs} inputs and gives ${model.outputs} outputs.`,
      );
    }
    return set;
  }

  /**
   * Data in batches (see data-source.ts), the order the source's: the checks, the feeds. (A method apart, so that a
   * run of in-memory data never compiles it.)
   */
  private fromSource(
    data: TrainingData | DataSource,
    options: TrainOptions,
    split: number | undefined,
  ): {
    feed: SourceFeed;
    valFeed: SourceFeed | null;
    batchSize: number;
    samples: number;
    validationSamples: number;
  } {
    const model = this.model;
    if (!isDataSource(data)) return fail('A validation data source needs a training data source too.');
    for (const [name, given] of [
      ['validationSplit', split],
      ['resume', options.resume],
      ['resumable', options.resumable],
    ] as const) {
      if (given !== undefined && given !== false)
        fail(
          `\`${name}\` needs in-memory data, but the training data is a data source; give a validation source as \`validation\`, or load the data into memory.`,
        );
    }
    checkSource(data, 'training data', model.inputs, model.outputs);
    const batchSize = options.batchSize ?? RUN_DEFAULTS.batchSize;
    const feed = new SourceFeed(data, 'training data', batchSize, model.dtype);
    let valFeed: SourceFeed | null = null;
    const val = options.validation;
    if (isDataSource(val)) {
      checkSource(val, 'validation data', model.inputs, model.outputs);
      valFeed = new SourceFeed(val, 'validation data', batchSize, model.dtype);
    } else if (val) {
      this.validation = this.checked(
        { inputs: inDtype(val.inputs, model), targets: inDtype(val.targets, model) },
        'validation data',
      );
    }
    const validationSamples = isDataSource(val) ? (val.samples ?? 0) : (this.validation?.inputs.rows ?? 0);
    return { feed, valFeed, batchSize, samples: data.samples ?? 0, validationSamples };
  }

  /** In-memory data: the checks, the validation split, the batcher. */
  private inMemory(
    data: TrainingData,
    options: TrainOptions,
    split: number | undefined,
    seed: number,
  ): { batchSize: number; samples: number } {
    const model = this.model;
    let train = this.checked(
      { inputs: inDtype(data.inputs, model), targets: inDtype(data.targets, model) },
      'training data',
    );
    const given = options.validation as TrainingData | undefined;
    let validation = given
      ? this.checked(
          { inputs: inDtype(given.inputs, model), targets: inDtype(given.targets, model) },
          'validation data',
        )
      : null;
    if (train.inputs.rows === 0) fail('The training data is empty.');
    if (split !== undefined && !validation) {
      ({ train, validation } = holdOut({ ...train, task: data.task }, split, seed));
    }
    this.validation = validation;
    const batchSize = Math.min(options.batchSize ?? RUN_DEFAULTS.batchSize, train.inputs.rows);
    // (the batcher is made on first use: the whole-epoch kernel, without a shuffle, takes the set as it is)
    this.trainSet = train;
    this.batchCount = Math.ceil(train.inputs.rows / batchSize);
    return { batchSize, samples: train.inputs.rows };
  }

  /**
   * The batches of in-memory data (null for a data source): made on first use, with the run's batch size, shuffle
   * and generator (a batcher draws nothing until its first shuffled epoch, so making it late changes no order).
   */
  private get batcher(): Batcher | null {
    if (this.madeBatcher === null && this.trainSet !== null) {
      const config = this.config;
      this.madeBatcher = new Batcher(this.trainSet, {
        batchSize: config.batchSize,
        shuffle: config.shuffle,
        seed: this.shuffleRandom,
        dtype: this.model.dtype,
      });
    }
    return this.madeBatcher;
  }

  /**
   * Whether the loop must await data before it can go on: a data source's next batch, or (at an epoch's end) its
   * validation source's pass. Always false for in-memory data.
   */
  get needsData(): boolean {
    const feed = this.feed;
    if (feed === null || this.ended) return false;
    if (!feed.ready) return true;
    return feed.done && this.valFeed !== null && this.valMeasured === null;
  }

  /** Awaits what {@link TrainingLoop.needsData} says is missing. */
  async fetchData(): Promise<void> {
    const feed = this.feed!;
    if (!feed.ready) return feed.fetch(this.epoch);
    // the validation source, batch by batch, with the weights of the epoch's end
    this.resident?.sync();
    const val = this.valFeed!;
    val.reset();
    this.valMetrics.reset();
    let sum = 0;
    for (;;) {
      await val.fetch(0);
      if (val.done) break;
      const { inputs, targets } = val.take();
      const output = this.model.forward(inputs, this.valPass);
      sum += this.model.loss(this.valPass, targets, this.loss) * inputs.rows;
      this.valMetrics.add(output, targets);
    }
    this.valMeasured = { loss: sum / val.samples };
  }

  /** Lets a data source's iterators go (the run ended or was unsubscribed). */
  closeData(): void {
    this.tiny?.sync();
    this.releaseResident();
    this.feed?.close();
    this.valFeed?.close();
  }

  /** The run's state now, at an epoch boundary: everything {@link TrainingLoop.restore} needs. */
  private captureState(): ResumeState {
    const state: ResumeState = {
      epoch: this.epoch,
      samplesSeen: this.samplesSeen,
      baseLr: this.baseLr,
      parameters: this.model.parameters().map((p) => Array.from(p.value.data)),
      optimizer: this.optimizer.stateDict(),
      shuffle: {
        random: randomToJSON(this.shuffleRandom.state()),
        order: Array.from(this.batcher!.indices),
        epochs: this.batcher!.epoch,
      },
    };
    if (this.pass.dropout) state.dropout = randomToJSON(this.pass.dropout.state());
    if (this.earlyStopping) state.earlyStopping = this.earlyStopping.toJSON();
    return state;
  }

  /** Continues from a state saved at an epoch boundary by a run of the same options and data. */
  private restore(state: ResumeState, rows: number): void {
    const parameters = this.model.parameters();
    checkResumeState(
      state,
      parameters.map((p) => p.value.data.length),
      rows,
    );
    if (state.optimizer.name !== this.optimizer.name)
      throw new DeltaflowError(
        'E_STATE',
        `The run state is of the optimizer ${state.optimizer.name}, but this run uses ${this.optimizer.name}; resume with the run's own options.`,
      );
    if ((state.dropout !== undefined) !== (this.pass.dropout !== null))
      throw new DeltaflowError(
        'E_STATE',
        'The run state and the model disagree on dropout; resume the same model.',
      );
    if ((state.earlyStopping !== undefined) !== (this.earlyStopping !== null))
      throw new DeltaflowError(
        'E_STATE',
        "The run state and the options disagree on early stopping; resume with the run's own options.",
      );
    parameters.forEach((p, i) => p.value.data.set(state.parameters[i]!));
    this.optimizer.loadStateDict(state.optimizer);
    this.baseLr = state.baseLr;
    this.optimizer.lr = this.schedule ? this.schedule(state.epoch, state.baseLr) : state.baseLr;
    this.epoch = state.epoch;
    this.samplesSeen = state.samplesSeen;
    this.batcher!.resumeAt(state.shuffle.order, state.shuffle.epochs);
    this.shuffleRandom.restore(randomFromJSON(state.shuffle.random));
    if (state.dropout) this.pass.dropout!.restore(randomFromJSON(state.dropout));
    if (state.earlyStopping) this.earlyStopping!.restore(state.earlyStopping);
  }

  private makeOptimizer(): Optimizer {
    const { optimizer = RUN_DEFAULTS.optimizer, optimizerOptions = {}, lr } = this.options;
    if (optimizer instanceof Optimizer) {
      if (lr !== undefined) optimizer.lr = lr;
      return optimizer;
    }
    return createOptimizer(
      optimizer,
      this.model.parameters(),
      lr === undefined ? optimizerOptions : { ...optimizerOptions, lr },
    );
  }

  /** Whether every epoch asked for is done. */
  get finished(): boolean {
    return this.epoch >= this.config.epochs;
  }

  /** The base learning rate eta (schedules scale from it). */
  get learningRate(): number {
    return this.baseLr;
  }

  /** Changes the base learning rate from the next batch on. */
  set learningRate(lr: number) {
    if (!(lr > 0 && Number.isFinite(lr))) fail(`The learning rate must be a positive number, got ${lr}.`);
    this.baseLr = lr;
    this.optimizer.lr = this.schedule ? this.schedule(this.epoch, lr) : lr;
  }

  /** Prepares a new epoch: the learning rate of the schedule, a shuffle, a snapshot of the weights. */
  private beginEpoch(): void {
    if (this.schedule) this.optimizer.lr = this.schedule(this.epoch, this.baseLr);
    this.batcher?.startEpoch();
    // the last epoch's statistics left its final weights in the snapshot, unless they were not finite
    this.startTaken = !this.stats.advanced;
    if (this.stats.advanced) this.stats.advanced = false;
    else if (this.resident === null) this.epochStart.take();
    else {
      // taken at the first batch: by the resident plan in its memory when it takes the batch, with no copy here
      this.startPending = true;
      this.epochStart.defer(null);
    }
    this.metrics.reset();
    this.lossSum = 0;
    this.penaltySum = 0;
  }

  /**
   * Trains on the next batch: zero the gradients, forward, E (the data loss plus the L1/L2 penalty), backward
   * (the delta rule, plus the penalty's derivative), update. Returns the batch's E; a non-finite E ends the run
   * as diverged with the weights of the start of the epoch.
   */
  runBatch(): number {
    if (this.batchIndex === 0) this.beginEpoch();
    const model = this.model;
    const pass = this.pass;
    const batcher = this.batcher;
    // the resident plan keeps the weights in WebAssembly memory; its numbers are the general wasm path's to float32
    // rounding (bit for bit with WasmResidentPlan.fuseUpdate off; see fused/wasm-plan.ts). In-memory batches are
    // gathered by the batcher straight into the plan's buffers, with no batch tensor in between.
    let resident = this.resident;
    const b = this.batchIndex;
    const gathered = batcher !== null && resident !== null && resident.covers(batcher.rowsOf(b));
    // the batch as tensors, unless it is gathered into the plan's buffers
    let given: { inputs: Tensor; targets: Tensor } | null = null;
    if (!gathered) {
      given = this.feed ? this.feed.take() : batcher!.batch(b);
      if (resident !== null && (batcher !== null || !resident.covers(given.inputs.rows))) resident = null;
      if (resident === null) this.resident?.sync();
    }
    // the plan copies the weights of the epoch's start in its memory, to measure the epoch against them there
    if (b === 0) {
      this.residentEpoch = resident !== null;
      const pending = this.startPending;
      this.startPending = false;
      if (resident !== null && pending) {
        // the snapshot is the plan's copy of the start, copied out only if read (a divergence, a general epoch's
        // statistics, the plan's region lost)
        resident.markStart(null);
        const snapshot = this.epochStart;
        snapshot.defer(this.residentStart);
        resident.onStartLost = () => snapshot.settle();
      } else if (resident !== null) {
        const starts = this.residentStarts;
        for (let i = 0; i < starts.length; i++) starts[i] = this.epochStart.copy(i) as Float32Array;
        resident.markStart(starts, this.startTaken);
      } else if (pending) this.epochStart.take();
    }
    let inputs: Tensor;
    let targets: Tensor;
    let loss = 0;
    if (given === null) {
      loss = resident!.forwardGathered(batcher!, b, pass);
      inputs = pass.layers[0]!.input!;
      targets = resident!.targets;
    } else {
      ({ inputs, targets } = given);
      if (resident !== null) loss = resident.forwardLoss(inputs, targets, pass);
    }
    const rows = inputs.rows;
    // the fused path gives the same numbers as the general one, bit for bit (see fused/small-network.ts)
    const fused = this.fused !== null && this.fused.covers(rows) ? this.fused : null;
    let output: Tensor;
    if (resident !== null) {
      output = resident.output;
    } else if (fused !== null) {
      loss = fused.forwardLoss(inputs, targets, pass);
      output = fused.output;
    } else {
      model.zeroGrad();
      output = model.forward(inputs, pass);
      loss = model.loss(pass, targets, this.loss);
    }
    const penalty = this.penalty.value();
    const total = loss + penalty;
    if (!Number.isFinite(total)) {
      if (fused !== null || resident !== null) model.zeroGrad();
      resident?.discard();
      this.diverge();
      return total;
    }
    this.metrics.add(output, targets);
    this.lastFused = fused !== null;
    if (resident === null) this.residentEpoch = false;
    if (resident !== null) {
      // the epoch's last batch makes dE/dW (for the statistics and the model's gradients) with its update
      const batcher = this.batcher;
      resident.backwardStep(this.optimizer.lr, batcher !== null && this.batchIndex + 1 >= batcher.batchCount);
    } else {
      if (fused !== null) fused.backward(targets);
      else model.backwardLoss(pass, targets, this.loss);
      this.penalty.addGradients(); // dE/dW += lambda_1 sign(W) + lambda_2 W
      this.optimizer.step();
    }
    this.lossSum += loss * rows;
    this.penaltySum += penalty * rows;
    this.samplesSeen += rows;
    this.batchIndex++;
    return total;
  }

  /**
   * A whole epoch of a {@link TrainingLoop.lean} run in one call: what `runBatch` then `finishEpoch` do for it, the
   * same numbers bit for bit, with fewer calls (a JIT-cold run interprets every call of its first thousand
   * epochs). Returns the epoch's summary (refilled by the next call; `ended` may be set, 'diverged' when the
   * weights are not finite); null when E was not finite (the run ended as diverged, no epoch finished); undefined,
   * having done nothing, when the fused path does not cover the batch on the backend in use now (then `runBatch`
   * and `finishEpoch` run it).
   */
  runEpoch(): EpochSummary | null | undefined {
    // (the kernel's epoch in this function itself, one call from the lean loop: the runtime optimises it after a
    // few hundred epochs of a JIT-cold run, the kernel's call with it)
    const tiny = this.tiny;
    if (tiny === null || !tiny.covers()) return this.runFusedEpoch();
    // in one WebAssembly call (see `TinySgdNetwork` of `@deltaflow/network`): the same numbers bit for bit. The model
    // keeps the epoch's start weights until the kernel's are known to be finite, so a diverged epoch needs no
    // snapshot to go back to.
    const config = this.config;
    const optimizer = this.optimizer;
    if (this.schedule) optimizer.lr = this.schedule(this.epoch, this.baseLr);
    // no snapshot is kept on this path: an epoch of the general path after it takes one
    if (this.statistics !== null) this.statistics.advanced = false;
    // Without a shuffle the one batch is the training set as it is, every epoch (the batcher's batch 0: a view of
    // the same rows), taken without a batcher (the batcher's count of epochs, which only a shuffle's order and a
    // resumable run's state read, then stays behind).
    let batch = this.tinyBatch;
    if (config.shuffle) {
      const batcher = this.batcher!;
      batcher.startEpoch();
      batch = batcher.batch(0);
    } else if (batch === null) {
      const { inputs, targets } = this.trainSet!;
      batch = this.tinyBatch = { inputs, targets, size: inputs.rows };
    }
    const lr = optimizer.lr;
    const loss = tiny.epoch(batch.inputs, batch.targets, config.shuffle, lr);
    // (E - E is 0 for a finite E, NaN for NaN and the infinities)
    if (!(loss - loss === 0)) {
      // the kernel left the weights and zeroed the gradients, as model.zeroGrad() does
      this.ended = 'diverged';
      return null;
    }
    this.samplesSeen += config.batchSize;
    // the events' numbers, computed by the kernel as finishEpoch computes them (see tinyEpoch)
    const r = tiny.results;
    let at = tiny.eventsAt;
    const summary = this.summary;
    const epoch = this.epoch + 1;
    summary.epoch = epoch;
    summary.loss = r[at]!;
    summary.metrics = { accuracy: r[at + 1]! };
    summary.lr = lr;
    // (made at its length: a growing array would take a backing store of 17 slots every epoch)
    const layers = new Array<LayerGradientStats>(this.model.layers.length);
    at += 2;
    for (let layer = 0; at < r.length; layer++, at += 5) {
      layers[layer] = {
        layer,
        meanAbsDelta: r[at]!,
        maxAbsDelta: r[at + 1]!,
        gradNorm: r[at + 2]!,
        weightNorm: r[at + 3]!,
        updateRatio: r[at + 4]!,
      };
    }
    summary.layers = layers;
    // (outputs, dataLoss, penalty, valLoss and the confusions stay undefined in a lean run)
    this.batchIndex = 0;
    this.epoch = epoch;
    // weights that are not finite were not written: the model holds the epoch's start weights
    if (r[2] !== 1) this.ended = 'diverged';
    else if (epoch >= config.epochs) this.ended = 'completed';
    return summary;
  }

  /** {@link TrainingLoop.runEpoch} on the fused small-network path (see `FusedSmallNetwork`). */
  private runFusedEpoch(): EpochSummary | null | undefined {
    const fused = this.fused!;
    const batcher = this.batcher!;
    const rows = this.config.batchSize; // every row: the one batch
    if (!fused.covers(rows)) return undefined;
    // beginEpoch
    if (this.schedule) this.optimizer.lr = this.schedule(this.epoch, this.baseLr);
    batcher.startEpoch();
    const stats = this.stats;
    if (stats.advanced) stats.advanced = false;
    else this.epochStart.take();
    const metrics = this.metrics;
    metrics.reset();
    // runBatch, without a penalty (its value 0, its gradients none)
    const { inputs, targets } = batcher.batch(0);
    const loss = fused.forwardLoss(inputs, targets, this.pass);
    const total = loss + 0;
    if (!Number.isFinite(total)) {
      this.model.zeroGrad();
      this.diverge();
      return null;
    }
    metrics.add(fused.output, targets);
    this.lastFused = true;
    fused.backward(targets);
    this.optimizer.step();
    const lossSum = 0 + loss * rows;
    this.lossSum = lossSum;
    this.penaltySum = 0 + 0 * rows;
    this.samplesSeen += rows;
    // finishEpoch
    const epoch = this.epoch + 1;
    const summary = this.summary;
    summary.epoch = epoch;
    summary.layers = stats.measure(this.pass, fused.stats);
    summary.outputs = undefined;
    summary.loss = (lossSum + this.penaltySum) / this.config.samples;
    summary.metrics = metrics.result('', this.model.outputs);
    summary.lr = this.optimizer.lr;
    summary.dataLoss = summary.penalty = summary.valLoss = undefined;
    summary.confusion = summary.valConfusion = undefined;
    this.batchIndex = 0;
    this.epoch = epoch;
    if (!stats.finite) this.diverge();
    else if (epoch >= this.config.epochs) this.ended = 'completed';
    return summary;
  }

  /** Whether the current epoch has run all its batches. */
  get epochComplete(): boolean {
    return this.feed ? this.feed.done : this.batchIndex >= this.batchCount;
  }

  /**
   * Closes a complete epoch: statistics, validation, early stopping. The summary returned is refilled by the
   * next call: read it before.
   */
  finishEpoch(): EpochSummary {
    const epoch = this.epoch + 1;
    // the fused path's delta and gradient sums, unless a penalty's derivative was added to the gradients since
    const fusedSums = this.lastFused && !this.penalty.active ? this.fused!.stats : null;
    // the resident plan's sums over its memory, when it took the epoch from its first batch to its last (it syncs
    // the tensors meanwhile: on the 2-thread backend the helper sums while this thread copies the weights out)
    const residentSums =
      this.residentEpoch && this.resident!.statistics(this.residentSums) ? this.residentSums : null;
    this.resident?.sync();
    this.residentEpoch = false;
    const layers = this.stats.measure(this.pass, fusedSums, residentSums);
    const outputs = this.outputSample > 0 ? this.sampleOutputs() : undefined;
    // a data source's epoch: the samples it gave
    const samples = this.feed ? this.feed.samples : this.config.samples;
    const summary = this.summary;
    summary.epoch = epoch;
    summary.loss = (this.lossSum + this.penaltySum) / samples;
    summary.metrics = this.metrics.result('', this.model.outputs);
    summary.lr = this.optimizer.lr;
    summary.layers = layers;
    summary.outputs = outputs;
    summary.dataLoss = summary.penalty = summary.valLoss = undefined;
    summary.confusion = summary.valConfusion = undefined;
    if (this.penalty.active) {
      summary.dataLoss = this.lossSum / samples;
      summary.penalty = this.penaltySum / samples;
    }
    if (this.asked.length > 0) {
      Object.assign(summary.metrics, this.metrics.detailMetrics(this.asked));
      if (this.asked.includes('confusion')) summary.confusion = this.metrics.confusionMatrix();
    }
    this.batchIndex = 0;
    this.epoch = epoch;
    const measured = this.valMeasured;
    this.feed?.reset();
    this.valMeasured = null;
    if (!this.stats.finite) {
      this.diverge();
      return summary;
    }
    if (this.validation || measured) {
      if (measured) summary.valLoss = measured.loss;
      else {
        const { inputs, targets } = this.validation!;
        const output = this.model.forward(inputs, this.valPass);
        summary.valLoss = this.model.loss(this.valPass, targets, this.loss);
        this.valMetrics.reset();
        this.valMetrics.add(output, targets);
      }
      Object.assign(summary.metrics, this.valMetrics.result('val', this.model.outputs));
      if (this.asked.length > 0) {
        Object.assign(summary.metrics, this.valMetrics.detailMetrics(this.asked, 'val'));
        if (this.asked.includes('confusion')) summary.valConfusion = this.valMetrics.confusionMatrix();
      }
    }
    if (this.earlyStopping?.update(summary) === 'stop') this.ended = 'early-stopped';
    else if (this.finished) this.ended = 'completed';
    if (this.options.resumable) this.resumeState = this.captureState();
    return summary;
  }

  private sampleOutputs(): OutputSample {
    const output = this.pass.output;
    const { targets } = this.feed ? this.feed.last! : this.batcher!.batch(this.batchIndex - 1);
    const rows = Math.min(this.outputSample, output.rows);
    const take = (t: Tensor): number[][] =>
      Array.from({ length: rows }, (_, i) => Array.from(t.data.subarray(i * t.cols, (i + 1) * t.cols)));
    return { outputs: take(output), targets: take(targets) };
  }

  private diverge(): void {
    this.epochStart.restore();
    this.ended = 'diverged';
  }

  /** Ends the run at the user's request (the reason 'stopped'). */
  stop(): void {
    this.resident?.sync();
    if (!this.ended) this.ended = 'stopped';
  }

  /** The hint that goes with a reason, if any. */
  hint(): string | undefined {
    return this.ended === 'diverged' ? DIVERGED_HINT : undefined;
  }

  /**
   * Lets the resident plan's region go (syncing the weights into the tensors); the snapshot of the epoch's start
   * it held is dropped, not copied out: the run is over and nothing reads it.
   */
  private releaseResident(): void {
    const resident = this.resident;
    if (resident === null) return;
    resident.onStartLost = null;
    this.snapshot?.defer(null);
    resident.close();
  }

  /** Ends the run's bookkeeping: puts back the best epoch's weights when early stopping was asked to. */
  finalize(): void {
    this.tiny?.sync();
    this.releaseResident();
    if (this.ended !== 'diverged') this.earlyStopping?.restoreIfAsked();
  }

  /** The model file of the model now, with the run's settings in `meta`. */
  modelJSON(): ModelJSON {
    // which plugin gave each name, so that loading the file without it can name the plugin
    const plugins = pluginSources({
      activation: this.model.layers.map((layer) => layer.activation.name),
      loss: [this.config.loss],
      optimizer: [this.config.optimizer],
    });
    return modelToJSON(this.model, {
      created: new Date().toISOString(),
      loss: this.config.loss,
      optimizer: this.config.optimizer,
      optimizerOptions: this.config.optimizerOptions,
      epochs: this.epoch,
      batchSize: this.config.batchSize,
      seed: this.config.seed,
      task: this.config.task,
      ...(this.penalty.active ? { penalty: this.penalty.toJSON() } : {}),
      ...(plugins ? { plugins } : {}),
    });
  }
}
