// The messages between a WorkerRun (the calling thread) and serveTrainingWorker (the worker). Internal: the
// public API is createWorkerRun / startTrainingWorker on one side and serveTrainingWorker on the other.
import type { ModelJSON, ModelSummary } from '@deltaflow/network';
import type { ErrorCode } from '@deltaflow/core';
import type { RunState } from '../control.js';
import type { TrainingEvent } from '../events.js';
import type { MetricName } from '../metrics.js';
import type { RunNotice } from '../recipe/notices.js';
import type { RunDescription } from '../recipe/description.js';
import type { PackedEpochs } from './epoch-pack.js';

/** A DeltaflowError (or any error) as plain data, to cross to the other thread. @internal */
export interface ErrorData {
  code: ErrorCode;
  message: string;
}

/** The kernels the worker computes with. @internal */
export type BackendChoice = 'auto' | 'js' | 'wasm';

/** Trainer options that do not change the numbers and are plain data. @internal */
export interface PlainTrainExtras {
  batchEvents?: boolean;
  outputSample?: number;
  metrics?: readonly MetricName[];
  checkpointEvery?: number;
}

/** A model file to continue from: its text or parsed JSON, and a name for messages. @internal */
export interface InitModel {
  model: string | ModelJSON;
  name: string;
}

/** Calling thread to worker. @internal */
export type HostRequest =
  | { type: 'setup'; plugins: readonly string[]; backend: BackendChoice }
  | {
      type: 'run';
      id: number;
      description: RunDescription;
      init: InitModel | null;
      extras: PlainTrainExtras;
      flushMs: number;
      sampleMs: number;
      epochMs: number;
      epochEvery: number;
      pace: number | null;
    }
  | { type: 'control'; id: number; command: 'start' | 'pause' | 'resume' | 'step' | 'stop' }
  | { type: 'lr'; id: number; lr: number }
  | { type: 'pace'; id: number; epochsPerSecond: number | null }
  | { type: 'model-file'; id: number; request: number; meta: Record<string, unknown> }
  | { type: 'dispose'; id: number };

/** What a run's worker found out when it prepared the run. @internal */
export interface PreparedData {
  notices: RunNotice[];
  meta: Record<string, unknown>;
  model: ModelSummary;
  backend: string;
}

/** One item of a flush, in the order things happened in the worker. @internal */
export type FlushItem =
  | { kind: 'prepared'; prepared: PreparedData }
  | { kind: 'event'; event: TrainingEvent }
  | PackedEpochs
  | { kind: 'state'; state: RunState }
  | { kind: 'message'; message: unknown }
  | { kind: 'error'; error: ErrorData }
  | { kind: 'complete' };

/** Worker to calling thread. @internal */
export type HostReply =
  | {
      type: 'ready';
      names: { activations: string[]; losses: string[]; optimizers: string[] };
      backend: string;
      problems: ErrorData[];
    }
  | { type: 'flush'; id: number; items: FlushItem[] }
  | { type: 'model-file'; id: number; request: number; model: ModelJSON | null };

/** An error as plain data: a DeltaflowError keeps its code; anything else is E_UNKNOWN. @internal */
export function errorData(error: unknown): ErrorData {
  const e = error as { code?: unknown; message?: unknown; name?: unknown } | null;
  if (e && e.name === 'DeltaflowError' && typeof e.code === 'string' && typeof e.message === 'string') {
    return { code: e.code as ErrorCode, message: e.message };
  }
  return { code: 'E_UNKNOWN', message: error instanceof Error ? error.message : String(error) };
}
