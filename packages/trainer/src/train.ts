import type { Sequential } from '@deltaflow/network';
import { Observable } from 'rxjs';
import type { SchedulerAction, Subscriber, Subscription } from 'rxjs';
import { TrainingClock } from './clock.js';
import { RunControl } from './control.js';
import type { ControlState } from './control.js';
import type { BackwardEvent, CheckpointEvent, EpochEvent, ForwardEvent, TrainingEvent } from './events.js';
import type { TrainOptions, TrainingData } from './options.js';
import type { DataSource } from './data-source.js';
import { TrainingLoop } from './training-loop.js';
import type { EpochSummary } from './training-loop.js';
import { turnScheduler } from './turn-scheduler.js';

const LR_APPLIED = Object.freeze({ type: 'lr-applied' } as const);

/**
 * What `leanEpochs` (inside {@link runTraining}) tells the slice's loop: return, look at the checks, or batch; and
 * what `leanEpoch` tells `leanEpochs`: the checks, the next epoch, the run's end, the slice's end.
 */
const LEAN_SLICE_DONE = 0;
const LEAN_CHECK = 1;
const LEAN_BATCH = 2;
const LEAN_NEXT = 3;
const LEAN_END = 4;
const LEAN_YIELD = 5;

/** Milliseconds of work between two turns of the event loop under `yieldEvery: 'auto'`. */
const AUTO_SLICE_MS = 16;

/**
 * Trains `model` on `data` and streams what happens: a cold Observable, so each subscription runs one training
 * and unsubscribing stops it within one batch. Events, in order: `start`; for every epoch (`batch` events if
 * asked), `forward` (loss E and metrics), `backward` (per-layer delta and gradient statistics), `epoch`, and
 * `checkpoint` every `checkpointEvery` epochs; finally `end` with the reason and the model file. Bad options or
 * data arrive on the error channel as a `DeltaflowError` (any other error, a bug, as it is, with its stack);
 * nothing is thrown out of `subscribe`.
 *
 * The loop gives the event loop a turn at least every 16 ms (see `yieldEvery`), so a UI, a WebSocket, timers or
 * Ctrl-C are never starved; a turn is not a timer (`setImmediate` in Node, a `MessageChannel` task in a browser),
 * so it costs no timer delay. To let several consumers watch one run, `share()` it, or use {@link createRun}.
 *
 * @param model - the network to train, in place: its weights are updated batch by batch (an `mlp(...)`, or a
 *   `Sequential` loaded from a model file); `end` carries the model file of the result.
 * @param data - the samples: `inputs` `[N, F]` and `targets` `[N, outputs]`, one sample per row (a dataset of
 *   `@deltaflow/data`, or your own tensors); or a {@link DataSource}, an async iterable of batches per epoch, for
 *   data that does not fit in memory (the events are the same).
 * @param options - how to train: `epochs`, `batchSize`, `loss`, `optimizer` and `lr` (the learning rate eta),
 *   `validation` or `validationSplit`, `earlyStopping`, `checkpointEvery`, `batchEvents` and more; every one has
 *   a default (see {@link TrainOptions}).
 * @returns a cold Observable of {@link TrainingEvent}s: subscribing starts a training, unsubscribing stops it.
 * @example
 * ```ts
 * import { xor } from '@deltaflow/data';
 * import { mlp } from '@deltaflow/network';
 * import { train } from '@deltaflow/trainer';
 *
 * const model = mlp({ inputs: 2, layers: [{ units: 4 }, { units: 1 }], seed: 42 });
 * train(model, xor(), { epochs: 2000, lr: 0.5, batchSize: 4 }).subscribe((event) => {
 *   if (event.type === 'epoch' && event.epoch % 500 === 0) console.log(event.epoch, event.loss);
 * });
 * ```
 * @category Training
 */
export function train(
  model: Sequential,
  data: TrainingData | DataSource,
  options: TrainOptions = {},
): Observable<TrainingEvent> {
  return new Observable<TrainingEvent>((subscriber) =>
    runTraining(model, data, options, subscriber, new RunControl()),
  );
}

/**
 * The producer behind {@link train} and {@link createRun}: emits start, then runs the loop in slices on the
 * scheduler. Returns the teardown.
 * @internal
 */
export function runTraining(
  model: Sequential,
  data: TrainingData | DataSource,
  options: TrainOptions,
  subscriber: Subscriber<TrainingEvent>,
  control: RunControl,
): () => void {
  let loop: TrainingLoop;
  try {
    loop = new TrainingLoop(model, data, options);
  } catch (error) {
    // Passed on as it is: a DeltaflowError is the caller's to fix; anything else is a bug, and keeps its stack.
    subscriber.error(error);
    return () => undefined;
  }
  const scheduler = options.scheduler ?? turnScheduler;
  const yieldEvery = options.yieldEvery ?? 'auto';
  const sliceMs = typeof yieldEvery === 'number' ? yieldEvery : AUTO_SLICE_MS;
  const clock = new TrainingClock();

  control.send({ type: 'start' });
  subscriber.next({ type: 'start', config: loop.config, model: model.summary() });

  /** Emits a finished epoch's forward, backward, epoch (and checkpoint) events. */
  const emit = (summary: EpochSummary): void => {
    if (loop.ended === 'diverged') return;
    const { epoch, loss, metrics } = summary;
    // Built field by field (no spread of temporary objects): this runs every epoch.
    const forward: ForwardEvent = { type: 'forward', epoch, loss, metrics };
    if (summary.dataLoss !== undefined) {
      forward.dataLoss = summary.dataLoss;
      forward.penalty = summary.penalty!;
    }
    if (summary.outputs) forward.outputs = summary.outputs;
    subscriber.next(forward);
    subscriber.next({ type: 'backward', epoch, layers: summary.layers });
    const elapsedMs = clock.trainingMs;
    const samplesPerSecond = clock.samplesPerSecond;
    const { valLoss, lr } = summary;
    const epochEvent: EpochEvent =
      valLoss !== undefined
        ? { type: 'epoch', epoch, loss, valLoss, metrics, elapsedMs, samplesPerSecond, lr }
        : { type: 'epoch', epoch, loss, metrics, elapsedMs, samplesPerSecond, lr };
    if (summary.dataLoss !== undefined) {
      epochEvent.dataLoss = summary.dataLoss;
      epochEvent.penalty = summary.penalty!;
    }
    if (summary.confusion) epochEvent.confusion = summary.confusion;
    if (summary.valConfusion) epochEvent.valConfusion = summary.valConfusion;
    // The epoch event is the boundary's announcement: a pause asked before it (even from a subscriber of the
    // forward or backward event) is carried by it (see nextControlState's pause rule).
    control.epochFinished();
    subscriber.next(epochEvent);
    if (options.checkpointEvery && epoch % options.checkpointEvery === 0) checkpoint(epoch);
  };
  /** Emits the checkpoint event of `epoch`. */
  const checkpoint = (epoch: number): void => {
    const event: CheckpointEvent = { type: 'checkpoint', epoch, model: loop.modelJSON() };
    if (loop.resumeState) event.state = loop.resumeState;
    subscriber.next(event);
  };
  const emitEpoch = (): void => emit(loop.finishEpoch());
  /** Whether an epoch may run in one call (see `TrainingLoop.lean`): no batch events to send between batches. */
  const lean = loop.lean && !options.batchEvents;

  const end = (): void => {
    loop.finalize();
    const hint = loop.hint();
    subscriber.next({
      type: 'end',
      reason: loop.ended!,
      epochs: loop.epoch,
      model: loop.modelJSON(),
      ...(hint ? { hint } : {}),
      ...(loop.resumeState ? { state: loop.resumeState } : {}),
    });
    subscriber.complete();
  };

  const checkpointEvery = options.checkpointEvery;
  /**
   * What follows a lean epoch (see `TrainingLoop.lean`) that `TrainingLoop.runEpoch` ran (its `summary`): its
   * forward, backward and epoch (and checkpoint) events, as {@link emit} sends them (a lean epoch's summary has
   * none of the optional fields); then LEAN_NEXT when the next epoch may follow at once, LEAN_END when the run
   * ended, LEAN_YIELD when the slice is used up, LEAN_CHECK when the slice's loop must look at a command (the
   * control state is no longer `state`) or a closed subscription.
   *
   * A function apart from the loop of {@link leanEpochs}, and from the epoch itself: the runtime optimises a
   * function after some hundred calls and runs the result from its next call on, where the loop, entered once
   * per slice, waits for its running frame to be replaced (late in a JIT-cold run, or never); and two functions of
   * a moderate size are each optimised sooner than one holding both.
   */
  const leanEpoch = (summary: EpochSummary | null, state: ControlState): number => {
    // clock.batchDone and clock.samplesPerSecond, written out: a JIT-cold run interprets this function for its
    // first few hundred epochs, and a call costs there what a dozen of these operations do
    const t = ++clock.batchesSinceRead < clock.batchesPerRead ? clock.lastRead : clock.read(loop.samplesSeen);
    if (summary !== null && loop.ended !== 'diverged') {
      const { epoch, loss, metrics, layers, lr } = summary;
      const forward: ForwardEvent = { type: 'forward', epoch, loss, metrics };
      const backward: BackwardEvent = { type: 'backward', epoch, layers };
      const epochEvent: EpochEvent = {
        type: 'epoch',
        epoch,
        loss,
        metrics,
        elapsedMs: clock.trainingMs,
        samplesPerSecond: clock.trainingMs > 0 ? (clock.samples / clock.trainingMs) * 1000 : 0,
        lr,
      };
      // One call of subscriber.next for the three events: the runtime inlines the subscriber's chain into this
      // function once instead of three times, so that its optimised code is ready thousands of epochs sooner.
      for (let i = 0; i < 3; i++) {
        // the epoch event carries a pause asked before it, even by a subscriber of the forward or backward event
        if (i === 2) control.epochFinished();
        subscriber.next(i === 0 ? forward : i === 1 ? backward : epochEvent);
      }
      if (checkpointEvery && epoch % checkpointEvery === 0) checkpoint(epoch);
    }
    // (the end and the slice's end are the loop's to handle: code this function never ran before its runtime
    // optimised it would send it back to the slow tier at the first slice's end)
    if (loop.ended) return LEAN_END;
    if (yieldEvery === 'batch' || yieldEvery === 'epoch' || t - sliceStart >= sliceMs) return LEAN_YIELD;
    return subscriber.closed || control.state !== state ? LEAN_CHECK : LEAN_NEXT;
  };
  /**
   * Lean epochs one after another while no command comes (the control state stays the same object: nothing to
   * apply, no pause to hold at) and the slice lasts; returns what {@link leanEpoch} returned when it was not
   * LEAN_NEXT, or LEAN_BATCH when the epoch must take the batch path (`runEpoch` did nothing).
   */
  function leanEpochs(action: SchedulerAction<unknown>): number {
    const state = control.state;
    for (;;) {
      const summary = loop.runEpoch();
      if (summary === undefined) return LEAN_BATCH;
      const next = leanEpoch(summary, state);
      if (next === LEAN_NEXT) continue;
      if (next === LEAN_CHECK) return LEAN_CHECK;
      if (next === LEAN_END) end();
      else {
        clock.read(loop.samplesSeen);
        action.schedule(undefined, 0);
      }
      return LEAN_SLICE_DONE;
    }
  }

  /** Runs batches until the slice is used up, the loop must wait, or the run ends. */
  function work(this: SchedulerAction<unknown>): void {
    try {
      slice.call(this);
    } catch (error) {
      subscriber.error(error);
    }
  }

  /** When the current slice of work began (a data source's batch, awaited, continues the slice it left). */
  let sliceStart = 0;
  let continuing = false;

  /**
   * A data source's next batch: awaited (the wait counts as training time), then the same slice goes on, or the
   * next one is scheduled. (Apart from `slice`, which a run of in-memory data then never compiles with it.)
   */
  function awaitData(slicer: SchedulerAction<unknown>): void {
    // a data source: await its next batch (the wait counts as training time), then go on; the clock is
    // read first, as the next slice restarts it
    clock.read(loop.samplesSeen);
    const waitStart = performance.now();
    fetching = loop.fetchData().then(
      () => {
        const now = performance.now();
        clock.trainingMs += now - waitStart;
        fetching = null;
        if (subscriber.closed) return;
        // the same slice goes on while it has time left (a turn of the scheduler per batch would cost
        // a timer's delay each); else the next slice is scheduled
        if (yieldEvery === 'epoch' || (yieldEvery !== 'batch' && now - sliceStart < sliceMs)) {
          continuing = true;
          work.call(slicer); // the slice's action
        } else action = scheduler.schedule(work);
      },
      (error: unknown) => {
        fetching = null;
        subscriber.error(error);
      },
    );
  }

  function slice(this: SchedulerAction<unknown>): void {
    const resumed = clock.resume();
    if (!continuing) sliceStart = resumed;
    continuing = false;
    while (!subscriber.closed) {
      const { learningRate, stopping } = control.state;
      if (learningRate !== null) {
        control.send(LR_APPLIED);
        loop.learningRate = learningRate;
      }
      if (stopping) loop.stop();
      if (!loop.ended && loop.finished) loop.ended = 'completed';
      if (loop.ended) return end();
      if (loop.batchIndex === 0 && control.holdsAtBoundary()) {
        clock.read(loop.samplesSeen);
        control.waitWith(() => {
          action = scheduler.schedule(work);
        });
        return;
      }
      if (loop.needsData) {
        awaitData(this);
        return;
      }
      if (!loop.ended && loop.epochComplete) {
        // a data source's epoch ends when it has no more batches, known only after a fetch
        emitEpoch();
        if (loop.ended) return end();
        continue;
      }
      if (lean) {
        // whole epochs in one call each, unless the fused path does not cover them on the backend in use now
        const next = leanEpochs(this);
        if (next === LEAN_SLICE_DONE) return;
        if (next === LEAN_CHECK) continue;
      }
      const batchLoss = loop.runBatch();
      if (options.batchEvents && !loop.ended) {
        subscriber.next({ type: 'batch', epoch: loop.epoch + 1, batch: loop.batchIndex, loss: batchLoss });
      }
      const t = clock.batchDone(loop.samplesSeen);
      let epochDone = false;
      if (!loop.ended && loop.epochComplete) {
        emitEpoch();
        epochDone = true;
      }
      if (loop.ended) return end();
      const yieldNow =
        yieldEvery === 'batch' ? true : yieldEvery === 'epoch' ? epochDone : t - sliceStart >= sliceMs;
      if (yieldNow) {
        clock.read(loop.samplesSeen);
        this.schedule(undefined, 0);
        return;
      }
    }
  }

  let fetching: Promise<void> | null = null;
  let action: Subscription = scheduler.schedule(work);
  return () => {
    control.forget();
    action.unsubscribe();
    if (fetching) void fetching.then(() => loop.closeData());
    else loop.closeData();
  };
}
