import type { TrainingEvent } from '@deltaflow/trainer';

/** The most epoch events, and the most backward events, a {@link ReplayHistory} holds. */
export const REPLAY_CAPACITY = 2000;
/** The most checkpoint events (model files, for the heatmap and network view while scrubbing) it holds. */
export const REPLAY_CHECKPOINTS = 100;

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

function epochOf(event: TrainingEvent): number {
  if (event.type === 'start') return 0;
  if (event.type === 'end') return Infinity;
  return event.epoch;
}

/**
 * One event type's events at a bounded size: every `stride`-th event offered is kept, and when `capacity` are
 * held every other one is dropped and the stride doubled (the rule of the page's chart series), so whatever
 * the run's length the held events are spread evenly from the first to the newest, which is always kept.
 */
class Thinned {
  private held: TrainingEvent[] = [];
  private stride = 1;
  private seen = 0;
  private newest: TrainingEvent | null = null;

  constructor(private readonly capacity: number) {}

  push(event: TrainingEvent): void {
    this.newest = event;
    if (this.seen++ % this.stride !== 0) return;
    this.held.push(event);
    if (this.held.length >= this.capacity) {
      this.held = this.held.filter((_, i) => i % 2 === 0);
      this.stride *= 2;
    }
  }

  events(): TrainingEvent[] {
    const newest = this.newest;
    return newest === null || this.held.at(-1) === newest ? [...this.held] : [...this.held, newest];
  }
}

/**
 * A recorded run at a bounded size, for the replay page: the start and end events, epoch and backward events
 * thinned to at most {@link REPLAY_CAPACITY} each (spread evenly, always with the newest: every curve and both
 * gradient charts keep their shape however long the run), checkpoints to {@link REPLAY_CHECKPOINTS}, and the
 * newest batch and forward events. Memory stays flat: a recording of any size replays in the same space.
 * Same API as the live server's run history (`push(event)`, `snapshot()`).
 *
 * @example
 * ```ts
 * const history = new ReplayHistory();
 * for (const event of events) history.push(event);
 * history.snapshot(); // the run to send to a page, thinned, in stream order
 * ```
 * @category Server
 */
export class ReplayHistory {
  private start: TrainingEvent | null = null;
  private end: TrainingEvent | null = null;
  private readonly thinned: Record<'epoch' | 'backward' | 'checkpoint' | 'forward' | 'batch', Thinned>;

  constructor(capacity = REPLAY_CAPACITY, checkpoints = REPLAY_CHECKPOINTS) {
    this.thinned = {
      epoch: new Thinned(capacity),
      backward: new Thinned(capacity),
      checkpoint: new Thinned(checkpoints),
      // The page shows only the newest of these: a capacity of 2 keeps the first and the newest.
      forward: new Thinned(2),
      batch: new Thinned(2),
    };
  }

  /** Takes the next event of the recording (every one may be offered: the thinning is done here). */
  push(event: TrainingEvent): void {
    if (event.type === 'start') this.start = event;
    else if (event.type === 'end') this.end = event;
    else this.thinned[event.type].push(event);
  }

  /** The held events in stream order: start, then by epoch (batch, forward, backward, epoch, checkpoint), end. */
  snapshot(): TrainingEvent[] {
    const middle = Object.values(this.thinned).flatMap((t) => t.events());
    middle.sort((a, b) => epochOf(a) - epochOf(b) || RANK[a.type] - RANK[b.type]);
    return [...(this.start ? [this.start] : []), ...middle, ...(this.end ? [this.end] : [])];
  }
}
