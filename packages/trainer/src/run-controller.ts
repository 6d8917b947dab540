import type { Sequential } from '@deltaflow/network';
import { DeltaflowError } from '@deltaflow/tensor';
import { BehaviorSubject, Observable, Subject } from 'rxjs';
import type { Subscription } from 'rxjs';
import { RunControl } from './control.js';
import type { RunState } from './control.js';
import type { StartEvent, TrainingEvent } from './events.js';
import type { TrainOptions, TrainingData } from './options.js';
import type { DataSource } from './data-source.js';
import { runTraining } from './train.js';

export type { RunState } from './control.js';

/**
 * Options of {@link createRun}: those of {@link train}, plus what late subscribers are sent.
 *
 * @example
 * ```ts
 * const run = createRun(model, xor(), { epochs: 5000, lr: 0.5, history: 'all' });
 * ```
 * @category Training
 */
export interface RunOptions extends TrainOptions {
  /** `'start'` (default): a late subscriber first gets the start event; `'all'`: every event so far. */
  history?: 'start' | 'all';
}

/**
 * One training run that several consumers watch and steer: the CLI's progress bar, a dashboard, a file.
 *
 * @example
 * ```ts
 * const run: TrainingRun = createRun(model, xor(), { epochs: 10_000 });
 * run.events$.subscribe(render); // the CLI
 * run.events$.subscribe(send); // a dashboard: the same run
 * run.pause();
 * run.setLearningRate(0.1);
 * run.resume();
 * ```
 * @category Training
 */
export interface TrainingRun {
  /** The run's events, shared: training happens once however many subscribe. The first subscription starts it. */
  readonly events$: Observable<TrainingEvent>;
  /** idle, running, paused or ended. */
  readonly state$: Observable<RunState>;
  /** Starts the run without waiting for a subscriber. */
  start(): void;
  /** Holds the run at the end of the current epoch. */
  pause(): void;
  /** Continues a paused run. */
  resume(): void;
  /** Runs exactly one more epoch, then holds (pauses first if running). */
  step(): void;
  /** Ends the run after the current batch, with reason `'stopped'`. */
  stop(): void;
  /** Changes the base learning rate eta from the next batch on. */
  setLearningRate(lr: number): void;
}

/**
 * Creates a controllable, shared training run over {@link train}'s stream.
 *
 * @example
 * ```ts
 * const run = createRun(model, xor(), { epochs: 10_000, lr: 0.5 });
 * run.events$.subscribe((e) => e.type === 'epoch' && console.log(e.epoch, e.loss));
 * run.pause();   // holds at the end of the epoch
 * run.step();    // exactly one more epoch
 * run.resume();
 * ```
 * @category Training
 */
export function createRun(
  model: Sequential,
  data: TrainingData | DataSource,
  options: RunOptions = {},
): TrainingRun {
  const state = new BehaviorSubject<RunState>('idle');
  // The only writer of state$: the control state machine reports each change of status here.
  const control = new RunControl((status) => state.next(status));
  const live = new Subject<TrainingEvent>();
  const history: TrainingEvent[] = [];
  let startEvent: StartEvent | null = null;
  let connection: Subscription | null = null;
  let failure: { error: unknown } | null = null;

  const record = (event: TrainingEvent): void => {
    if (event.type === 'start') startEvent = event;
    if (options.history === 'all') history.push(event);
    live.next(event);
  };

  const start = (): void => {
    if (connection) return;
    connection = new Observable<TrainingEvent>((subscriber) =>
      runTraining(model, data, options, subscriber, control),
    ).subscribe({
      next: record,
      error: (error: unknown) => {
        failure = { error };
        control.send({ type: 'ended' });
        live.error(error);
      },
      complete: () => {
        control.send({ type: 'ended' });
        live.complete();
      },
    });
  };

  const events$ = new Observable<TrainingEvent>((subscriber) => {
    if (failure) {
      subscriber.error(failure.error);
      return;
    }
    const past = options.history === 'all' ? history : startEvent ? [startEvent] : [];
    for (const event of past) subscriber.next(event);
    if (control.state.status === 'ended' && !failure) {
      subscriber.complete();
      return;
    }
    const subscription = live.subscribe(subscriber);
    start();
    return subscription;
  });

  return {
    events$,
    state$: state.asObservable(),
    start,
    pause: () => control.send({ type: 'pause' }),
    resume: () => control.send({ type: 'resume' }),
    step: () => control.send({ type: 'step' }),
    stop: () => control.send({ type: 'stop' }),
    setLearningRate(lr: number) {
      if (!(lr > 0 && Number.isFinite(lr))) {
        throw new DeltaflowError('E_OPTION', `The learning rate must be a positive number, got ${lr}.`);
      }
      control.send({ type: 'learning-rate', lr });
    },
  };
}
