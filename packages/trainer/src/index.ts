/**
 * The training stream: {@link train} runs backpropagation over a dataset as a cold RxJS Observable of plain-data
 * events (start, batch, forward, backward, epoch, checkpoint, end), which the CLI, the dashboard, files and your
 * own code all subscribe to; {@link createRun} adds pause, resume, step and stop over one shared run.
 * {@link prepareRun} turns a plain-data {@link RunDescription} (data, layers, loss, optimizer, split, scaling,
 * seed) into the model, the data and the options, with every default and compatibility rule in one place.
 * {@link createWorkerRun} trains a described run in a worker (Web Worker or worker_threads) with the same events
 * and controls.
 *
 * @packageDocumentation
 * @mergeModuleWith <project>
 */
export { train } from './train.js';
export { createRun } from './run-controller.js';
export { evaluateSource, isDataSource } from './data-source.js';
export type { BatchRequest, DataBatch, DataSource } from './data-source.js';
export type { RunOptions, RunState, TrainingRun } from './run-controller.js';
export type { EarlyStoppingOptions, TrainOptions, TrainingData } from './options.js';
export type {
  BackwardEvent,
  BatchEvent,
  CheckpointEvent,
  EndEvent,
  EndReason,
  EpochEvent,
  ForwardEvent,
  LayerGradientStats,
  Metrics,
  OutputSample,
  StartEvent,
  TrainingConfig,
  TrainingEvent,
} from './events.js';
export { checkResumeState } from './resume-state.js';
export type { EarlyStoppingState, RandomState, ResumeState } from './resume-state.js';
export { EventThinner, thinEvents } from './thin.js';
export type { ThinEventsOptions } from './thin.js';
export { parseJsonl, replay, toJsonLine } from './jsonl.js';
export { JsonlReader } from './jsonl-reader.js';
export type { JsonlReadOptions } from './jsonl-reader.js';
export { checkTrainingEvent } from './event-check.js';
export { METRIC_NAMES, classificationReport, computeMetrics, rocAuc } from './metrics.js';
export type { ClassMetrics, ClassificationReport, MetricName } from './metrics.js';
export { classOf, isClassifier, modelInfo, predict, predictOutputs } from './predict.js';
export type { ModelInfo, Predictions } from './predict.js';
export { RUN_DEFAULTS, dataDefaults, defaultOutputActivation } from './recipe/defaults.js';
export type { ActivationChoice, OptimizerChoice, RunData, RunDescription } from './recipe/description.js';
export { checkOutputPairing } from './recipe/rules.js';
export type { OutputPairing } from './recipe/rules.js';
export { holdOut } from './recipe/split.js';
export { SCHEDULE_NAMES, scheduleDefaults, scheduleOf } from './recipe/schedule.js';
export type { ScheduleChoice, ScheduleConfig } from './recipe/schedule.js';
export { EARLY_STOPPING_DEFAULTS, earlyStoppingOf } from './recipe/early-stop.js';
export type { EarlyStoppingChoice } from './recipe/early-stop.js';
export {
  MAX_ARRAY_VALUES,
  TRAINING_COPIES,
  availableMemory,
  checkModelSize,
  parameterCount,
} from './recipe/size.js';
export type { ModelShape } from './recipe/size.js';
export { prepareRun } from './recipe/prepare.js';
export type { PreparedRun } from './recipe/prepare.js';
export type { RunNotice, TargetType } from './recipe/notices.js';
export { trainRun } from './recipe/train-run.js';
export type { ReplayOptions } from './jsonl.js';
export { createWorkerRun, startTrainingWorker } from './worker/client.js';
export type {
  TrainingWorker,
  TrainingWorkerInfo,
  TrainingWorkerOptions,
  WorkerFactory,
  WorkerLike,
  WorkerRun,
  WorkerRunInfo,
  WorkerRunOptions,
} from './worker/client.js';
export { serveTrainingWorker } from './worker/host.js';
export type { ObservedRun, ServeTrainingWorkerOptions, TrainingWorkerScope } from './worker/host.js';
