import type { TrainingEvent, TrainingRun } from '@deltaflow/trainer';
import type { Observable } from 'rxjs';
import type { RunCollector } from './collector.js';
import type { PreparedRun } from './prepare.js';
import type { TrainSummary } from './summary.js';

/** Everything known once a run is over and its model saved. */
export interface RunOutcome {
  prepared: PreparedRun;
  run: RunCollector;
  summary: TrainSummary;
  /** Whether a signal (Ctrl-C, SIGTERM) stopped the run. */
  interrupted: boolean;
  /** The signal that stopped the run, when one did. */
  signal?: 'SIGINT' | 'SIGTERM';
}

/**
 * One thing that watches a training run: the progress renderer, the JSONL recorder, and whatever comes next (a
 * dashboard server). All consumers subscribe to the same shared run, so training happens once.
 *
 * @example
 * ```ts
 * const logger: RunConsumer = {
 *   attach: (events$) => events$.subscribe({ next: (e) => e.type === 'epoch' && console.log(e.loss), error: () => {} }),
 * };
 * ```
 */
export interface RunConsumer {
  /** Prepares before the run starts, with its controller (a server listens here); a failure stops the run. */
  bind?(run: TrainingRun): Promise<void>;
  /** Subscribes to the run's events; called once before training begins. Errors are reported elsewhere. */
  attach(events$: Observable<TrainingEvent>): void;
  /** The run is over and the model saved: print, flush, move files into place. */
  finish?(outcome: RunOutcome): void | Promise<void>;
  /** The run failed or was abandoned: undo what was started (temporary files, a hidden cursor). */
  abort?(): void;
}
