// Thinning a training stream for a display or a thread boundary: every end of the run, a faithful epoch series.
import { Observable, asyncScheduler } from 'rxjs';
import type { MonoTypeOperatorFunction, SchedulerLike, Subscription } from 'rxjs';
import type { TrainingEvent } from './events.js';

/**
 * Options of {@link thinEvents} and {@link EventThinner}: minimum gaps between the events that pass. Each gap is
 * a minimum, so a rule that is not set (0, or 1 epoch) lets everything of its kind through.
 *
 * @example
 * ```ts
 * const options: ThinEventsOptions = { sampleMs: 50, epochMs: 50, epochEvery: 10 };
 * ```
 * @category Streams
 */
export interface ThinEventsOptions {
  /** `batch`, `forward` and `backward` events: at most one of each type per `sampleMs` ms (0: all). Default 50. */
  sampleMs?: number;
  /** `epoch` events: at least `epochMs` ms between two that pass (0: no time rule). Default 50. */
  epochMs?: number;
  /** `epoch` events: at least `epochEvery` epochs between two that pass (1: no count rule). Default 1. */
  epochEvery?: number;
  /**
   * Operator only: when the stream has been quiet for the longest gap (at least 50 ms) while events are held,
   * they are emitted, so a run that pauses or waits shows its latest epoch. Default true.
   */
  trailing?: boolean;
  /** The clock (`now()`, ms) and, for `trailing`, the timers; default rxjs's `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/** Slots of the held events: the newest dropped forward, backward and epoch event. */
const FORWARD = 0;
const BACKWARD = 1;
const EPOCH = 2;

function checkGap(value: number, name: string, least: number): number {
  if (!(Number.isFinite(value) && value >= least)) {
    throw new RangeError(`thinEvents: ${name} must be a finite number >= ${least}, got ${value}.`);
  }
  return value;
}

/**
 * The rule of {@link thinEvents} as a plain object, for code that thins without RxJS or must flush at a moment
 * of its own choosing (a worker flushes when its run pauses). Events that always pass: `start`, `checkpoint`,
 * `end` and any other type; before each of them the held events are emitted, so an `end` (or a checkpoint)
 * always follows its epoch. `batch`, `forward` and `backward` pass at most once per `sampleMs` each; `epoch`
 * events pass when both the `epochMs` and the `epochEvery` gaps since the last one that passed are reached,
 * the first epoch always. The newest dropped `forward`, `backward` and `epoch` events are held (not batches),
 * so the last epoch of a run is never lost. Nothing is allocated per event.
 *
 * @example
 * ```ts
 * const thinner = new EventThinner({ sampleMs: 0, epochMs: 0, epochEvery: 100 });
 * const kept: number[] = [];
 * const emit = (e: TrainingEvent) => e.type === 'epoch' && kept.push(e.epoch);
 * train(mlp({ inputs: 2, layers: [{ units: 2 }, { units: 1 }], seed: 1 }), xor(), { epochs: 250 }).subscribe({
 *   next: (event) => thinner.push(event, emit),
 *   complete: () => console.log(kept), // → [1, 101, 201, 250]
 * });
 * ```
 * @category Streams
 */
export class EventThinner {
  private readonly sampleMs: number;
  private readonly epochMs: number;
  private readonly epochEvery: number;
  private readonly now: () => number;
  /** When a batch, forward and backward event last passed (-Infinity: never). */
  private lastBatch = -Infinity;
  private lastForward = -Infinity;
  private lastBackward = -Infinity;
  /** The last epoch that passed, and when. */
  private lastEpoch = -Infinity;
  private lastEpochAt = -Infinity;
  private readonly held: (TrainingEvent | null)[] = [null, null, null];
  private readonly heldOrder = [0, 0, 0];
  private order = 0;

  /** @param options - the gaps (see {@link ThinEventsOptions}) */
  constructor(options: ThinEventsOptions = {}) {
    this.sampleMs = checkGap(options.sampleMs ?? 50, 'sampleMs', 0);
    this.epochMs = checkGap(options.epochMs ?? 50, 'epochMs', 0);
    this.epochEvery = checkGap(options.epochEvery ?? 1, 'epochEvery', 1);
    const scheduler = options.scheduler ?? asyncScheduler;
    this.now = () => scheduler.now();
  }

  /** Whether some dropped event is held (see {@link EventThinner.flush}). */
  get holding(): boolean {
    return this.held[FORWARD] !== null || this.held[BACKWARD] !== null || this.held[EPOCH] !== null;
  }

  /** How long a stream must be quiet before `trailing` emits the held events: the longest gap, at least 50 ms. */
  get quietMs(): number {
    return Math.max(this.sampleMs, this.epochMs, 50);
  }

  /** Offers the next event of the stream; `emit` is called for each event that passes now, in order. */
  push(event: TrainingEvent, emit: (event: TrainingEvent) => void): void {
    switch (event.type) {
      case 'batch': {
        if (this.sampleMs <= 0) return emit(event);
        const t = this.now();
        if (t - this.lastBatch < this.sampleMs) return;
        this.lastBatch = t;
        return emit(event);
      }
      case 'forward':
      case 'backward': {
        if (this.sampleMs <= 0) return emit(event);
        const slot = event.type === 'forward' ? FORWARD : BACKWARD;
        const t = this.now();
        const last = slot === FORWARD ? this.lastForward : this.lastBackward;
        if (t - last < this.sampleMs) return this.hold(slot, event);
        if (slot === FORWARD) this.lastForward = t;
        else this.lastBackward = t;
        this.held[slot] = null;
        return emit(event);
      }
      case 'epoch': {
        const t = this.epochMs > 0 ? this.now() : 0;
        if (event.epoch - this.lastEpoch < this.epochEvery || t - this.lastEpochAt < this.epochMs) {
          return this.hold(EPOCH, event);
        }
        this.lastEpoch = event.epoch;
        this.lastEpochAt = t;
        this.held[EPOCH] = null;
        return emit(event);
      }
      default:
        this.flush(emit);
        if (event.type === 'start') this.reset();
        return emit(event);
    }
  }

  /**
   * Emits the held events (the newest dropped forward, backward and epoch event), in the order they came, and
   * counts them as passed: call it when the run holds (paused) or ends without an end event.
   */
  flush(emit: (event: TrainingEvent) => void): void {
    for (;;) {
      let next = -1;
      for (let slot = 0; slot < 3; slot++) {
        if (this.held[slot] !== null && (next < 0 || this.heldOrder[slot]! < this.heldOrder[next]!))
          next = slot;
      }
      if (next < 0) return;
      const event = this.held[next]!;
      this.held[next] = null;
      const t = this.now();
      if (next === FORWARD) this.lastForward = t;
      else if (next === BACKWARD) this.lastBackward = t;
      else {
        this.lastEpoch = (event as { epoch: number }).epoch;
        this.lastEpochAt = this.epochMs > 0 ? t : 0;
      }
      emit(event);
    }
  }

  /** Forgets what passed and what is held (a new run starts). */
  reset(): void {
    this.lastBatch = this.lastForward = this.lastBackward = -Infinity;
    this.lastEpoch = this.lastEpochAt = -Infinity;
    this.held[0] = this.held[1] = this.held[2] = null;
  }

  private hold(slot: number, event: TrainingEvent): void {
    this.held[slot] = event;
    this.heldOrder[slot] = this.order++;
  }
}

/**
 * Thins a training stream for a display or a thread boundary, keeping what matters: every `start`,
 * `checkpoint` and `end` event, the stream's error and completion, and a faithful epoch series, sampled by time
 * (`epochMs`) and/or count (`epochEvery`), whose last epoch is always kept (the newest dropped epoch is emitted
 * before the end, before a checkpoint, before completion or an error, and with `trailing` once the stream has
 * been quiet for a while). `batch`, `forward` and `backward` events pass at most once per `sampleMs` each. Order
 * is kept and nothing that passes is delayed. See {@link EventThinner} for the rule without RxJS.
 *
 * With the defaults (50 ms gaps) a 50,000-epoch XOR run of a few seconds becomes about 20 epoch events a second
 * plus its start and end: what a chart or a `postMessage` needs, not 150,000 events.
 *
 * @example
 * ```ts
 * const model = mlp({ inputs: 2, layers: [{ units: 2 }, { units: 1 }], seed: 1 });
 * const epochs: number[] = [];
 * train(model, xor(), { epochs: 1000 })
 *   .pipe(thinEvents({ epochMs: 0, epochEvery: 300 }))
 *   .subscribe((event) => {
 *     if (event.type === 'epoch') epochs.push(event.epoch);
 *     if (event.type === 'end') console.log(epochs); // → [1, 301, 601, 901, 1000]
 *   });
 * ```
 * @param options - the gaps (default 50 ms for each kind), the trailing flush, the scheduler
 * @returns an operator over `Observable<TrainingEvent>`
 * @category Streams
 */
export function thinEvents(options: ThinEventsOptions = {}): MonoTypeOperatorFunction<TrainingEvent> {
  const trailing = options.trailing ?? true;
  const scheduler = options.scheduler ?? asyncScheduler;
  return (source) =>
    new Observable<TrainingEvent>((subscriber) => {
      const thinner = new EventThinner(options);
      const emit = (event: TrainingEvent): void => subscriber.next(event);
      let timer: Subscription | null = null;
      let lastSeen = 0;
      const cancel = (): void => {
        timer?.unsubscribe();
        timer = null;
      };
      // one timer at a time: when it fires early (events came since), it waits for the rest of the quiet gap
      const wake = (): void => {
        timer = null;
        if (!thinner.holding) return;
        const quiet = scheduler.now() - lastSeen;
        if (quiet >= thinner.quietMs) thinner.flush(emit);
        else timer = scheduler.schedule(wake, thinner.quietMs - quiet);
      };
      const arm = (): void => {
        lastSeen = scheduler.now();
        if (timer === null) timer = scheduler.schedule(wake, thinner.quietMs);
      };
      const subscription = source.subscribe({
        next(event) {
          thinner.push(event, emit);
          if (trailing && thinner.holding) arm();
        },
        error(error: unknown) {
          cancel();
          thinner.flush(emit);
          subscriber.error(error);
        },
        complete() {
          cancel();
          thinner.flush(emit);
          subscriber.complete();
        },
      });
      return () => {
        cancel();
        subscription.unsubscribe();
      };
    });
}
