import type { EndEvent, EpochEvent, StartEvent, TrainingEvent } from '@deltaflow/trainer';
import { StrideThinning, halve } from './thin.js';

/** The default most epoch (and backward) events a {@link RunHistory} holds: as many as a page's chart keeps. */
export const HISTORY_CAPACITY = 1000;

/**
 * How much a {@link RunHistory} holds of each event type besides the start and end events. A cap of 0 holds only
 * the newest event of its types; a cap of `n` (at least 2) holds at most `n`, thinned by {@link StrideThinning}
 * (spread evenly from the first to the newest, which is always held).
 * @category Streams
 */
export interface RunHistoryOptions {
  /** The most epoch events, and the most backward events, held; default {@link HISTORY_CAPACITY}. */
  capacity?: number;
  /** The most checkpoint events held (a replay's scrub bar draws the model from them); default 0, the newest. */
  checkpoints?: number;
  /**
   * The most batch events, and the most forward events, held; default 0, the newest (all a page shows). A
   * replay keeps 2: the first and the newest, so a playback from its start shows a batch from the start on.
   */
  samples?: number;
}

/**
 * The caps of a replay's history (`startReplayServer`): 2000 epoch and 2000 backward events (every curve and
 * both gradient charts keep their shape however long the recording), 100 checkpoints to scrub through, and the
 * first and newest batch and forward events. At most 4,206 events, whatever the recording's size.
 * @category Streams
 */
export const REPLAY_HISTORY: Readonly<Required<RunHistoryOptions>> = {
  capacity: 2000,
  checkpoints: 100,
  samples: 2,
};

/** The event types a {@link RunHistory} thins (all but start and end). */
type ThinnedType = Exclude<TrainingEvent['type'], 'start' | 'end'>;
/** The event of type `T`. */
type EventOf<T extends TrainingEvent['type']> = Extract<TrainingEvent, { type: T }>;

/** Order of the events of one epoch in a stream: batches, forward, backward, epoch, checkpoint. */
const RANK: Readonly<Record<TrainingEvent['type'], number>> = {
  start: -1,
  batch: 0,
  forward: 1,
  backward: 2,
  epoch: 3,
  checkpoint: 4,
  end: 5,
};

/** The epoch an event belongs to (0 for start, Infinity for end). */
function epochOf(event: TrainingEvent): number {
  switch (event.type) {
    case 'start':
      return 0;
    case 'end':
      return Infinity;
    default:
      return event.epoch;
  }
}

/**
 * A thinned series of one event type: {@link StrideThinning}'s points, and always the newest; with a capacity of 0,
 * only the newest.
 */
class ThinnedEvents<E extends TrainingEvent> {
  private held: E[] = [];
  private readonly thinning: StrideThinning | null;
  newest: E | null = null;

  constructor(capacity: number) {
    this.thinning = capacity > 0 ? new StrideThinning(capacity) : null;
  }

  push(event: E): void {
    this.newest = event;
    if (this.thinning === null || !this.thinning.offer()) return;
    this.held.push(event);
    if (this.thinning.full(this.held.length)) this.held = halve(this.held);
  }

  /** The held events, ending with the newest. */
  events(): E[] {
    const newest = this.newest;
    return newest === null || this.held[this.held.length - 1] === newest
      ? [...this.held]
      : [...this.held, newest];
  }

  clear(): void {
    this.held = [];
    this.newest = null;
    this.thinning?.reset();
  }
}

/**
 * A run's history at a bounded size, for a page that connects at any time (or reconnects after the run's
 * end), and for a replay's recording of any size: the start event, epoch and backward events thinned with the
 * same {@link StrideThinning} rule as the page's charts (at most `capacity` of each, spread evenly from the first
 * epoch, always with the newest), the batch, forward and checkpoint events at their caps (by default the newest
 * only; see {@link RunHistoryOptions}, and {@link REPLAY_HISTORY} for a replay's), and the end event. Memory stays
 * flat however long the run: a run of 10 million epochs holds as much as one of 10 thousand. A new start event
 * begins a new history.
 *
 * @example
 * ```ts
 * const history = new RunHistory();
 * run.events$.subscribe((event) => history.push(event));
 * // a page connects: send it the run so far, in stream order
 * for (const event of history.snapshot()) send(event);
 * ```
 * @category Streams
 */
export class RunHistory {
  /** The most epoch events, and the most backward events, held. */
  readonly capacity: number;
  private start: StartEvent | null = null;
  /** Every event type between start and end, thinned at its cap. */
  private readonly series: { readonly [T in ThinnedType]: ThinnedEvents<EventOf<T>> };
  private end: EndEvent | null = null;

  /** @param options - the caps of each event type, or just the epoch and backward cap (at least 2) */
  constructor(options: RunHistoryOptions | number = {}) {
    const {
      capacity = HISTORY_CAPACITY,
      checkpoints = 0,
      samples = 0,
    } = typeof options === 'number' ? { capacity: options } : options;
    this.capacity = capacity;
    this.series = {
      epoch: new ThinnedEvents(capacity),
      backward: new ThinnedEvents(capacity),
      forward: new ThinnedEvents(samples),
      batch: new ThinnedEvents(samples),
      checkpoint: new ThinnedEvents(checkpoints),
    };
  }

  /**
   * Events held now, as {@link RunHistory.snapshot} would give them: at most `2 * capacity + checkpoints +
   * 2 * samples + 2`, each cap of 0 counting 1.
   */
  get size(): number {
    return this.middle().length + (this.start ? 1 : 0) + (this.end ? 1 : 0);
  }

  /** The newest epoch event, or null before the first. */
  get lastEpoch(): EpochEvent | null {
    return this.series.epoch.newest;
  }

  /** Whether the run has ended (its end event is held). */
  get ended(): boolean {
    return this.end !== null;
  }

  /** Takes one event of the run (every one may be offered: the thinning is done here). */
  push(event: TrainingEvent): void {
    if (event.type === 'start') {
      this.clear();
      this.start = event;
    } else if (event.type === 'end') {
      this.end = event;
    } else {
      (this.series[event.type] as ThinnedEvents<TrainingEvent>).push(event);
    }
  }

  /**
   * The history as a stream a new page can fold in: start first, then the held events in epoch order (within
   * an epoch: batch, forward, backward, epoch, checkpoint), end last. A fresh array; the events are shared.
   */
  snapshot(): TrainingEvent[] {
    const middle = this.middle();
    middle.sort((a, b) => epochOf(a) - epochOf(b) || RANK[a.type] - RANK[b.type]);
    return [...(this.start ? [this.start] : []), ...middle, ...(this.end ? [this.end] : [])];
  }

  /** Forgets everything. */
  clear(): void {
    this.start = null;
    for (const series of Object.values(this.series)) series.clear();
    this.end = null;
  }

  /** The held events between start and end, unsorted. */
  private middle(): TrainingEvent[] {
    return Object.values(this.series).flatMap((series: ThinnedEvents<TrainingEvent>) => series.events());
  }
}
