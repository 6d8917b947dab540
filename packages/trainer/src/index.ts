/**
 * The training stream: {@link train} runs backpropagation over a dataset as a cold RxJS Observable of plain-data
 * events (start, batch, forward, backward, epoch, checkpoint, end), which the CLI, the dashboard, files and your
 * own code all subscribe to; {@link createRun} adds pause, resume, step and stop over one shared run.
 *
 * @packageDocumentation
 */
export { train } from './train.js';
export { createRun } from './run-controller.js';
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
export { parseJsonl, replay, toJsonLine } from './jsonl.js';
export type { ReplayOptions } from './jsonl.js';
