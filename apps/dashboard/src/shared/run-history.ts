import type {
  BackwardEvent,
  BatchEvent,
  CheckpointEvent,
  EndEvent,
  EpochEvent,
  ForwardEvent,
  StartEvent,
  TrainingEvent,
} from '@deltaflow/trainer';
import { StrideThinning, halve } from './thin.js';

/** The default most epoch (and backward) events a {@link RunHistory} holds: as many as a page's chart keeps. */
export const HISTORY_CAPACITY = 1000;

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

/** A thinned series of one event type: {@link StrideThinning}'s points, and always the newest. */
class ThinnedEvents<E extends TrainingEvent> {
  private held: E[] = [];
  private readonly thinning: StrideThinning;
  newest: E | null = null;

  constructor(capacity: number) {
    this.thinning = new StrideThinning(capacity);
  }

  get length(): number {
    return this.held.length;
  }

  push(event: E): void {
    this.newest = event;
    if (!this.thinning.offer()) return;
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
    this.thinning.reset();
  }
}

/**
 * A run's history at a bounded size, for a page that connects at any time (or reconnects after the run's
 * end): the start event, epoch and backward events thinned with the same {@link StrideThinning} rule as the
 * page's charts (at most `capacity` of each, spread evenly from the first epoch, always with the newest), the
 * newest batch, forward and checkpoint events, and the end event. Memory stays flat however long the run: a
 * run of 10 million epochs holds as much as one of 10 thousand. A new start event begins a new history.
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
  private start: StartEvent | null = null;
  private readonly epochs: ThinnedEvents<EpochEvent>;
  private readonly backwards: ThinnedEvents<BackwardEvent>;
  private forward: ForwardEvent | null = null;
  private batch: BatchEvent | null = null;
  private checkpoint: CheckpointEvent | null = null;
  private end: EndEvent | null = null;

  /** @param capacity - the most epoch events, and the most backward events, held (at least 2) */
  constructor(readonly capacity = HISTORY_CAPACITY) {
    this.epochs = new ThinnedEvents(capacity);
    this.backwards = new ThinnedEvents(capacity);
  }

  /** Events held now, as {@link RunHistory.snapshot} would give them (at most `2 * capacity + 7`). */
  get size(): number {
    const singles = [this.start, this.forward, this.batch, this.checkpoint, this.end];
    return (
      this.epochs.events().length + this.backwards.events().length + singles.filter((e) => e !== null).length
    );
  }

  /** The newest epoch event, or null before the first. */
  get lastEpoch(): EpochEvent | null {
    return this.epochs.newest;
  }

  /** Whether the run has ended (its end event is held). */
  get ended(): boolean {
    return this.end !== null;
  }

  /** Takes one event of the run (every one may be offered: the thinning is done here). */
  push(event: TrainingEvent): void {
    switch (event.type) {
      case 'start':
        this.clear();
        this.start = event;
        break;
      case 'epoch':
        this.epochs.push(event);
        break;
      case 'backward':
        this.backwards.push(event);
        break;
      case 'forward':
        this.forward = event;
        break;
      case 'batch':
        this.batch = event;
        break;
      case 'checkpoint':
        this.checkpoint = event;
        break;
      case 'end':
        this.end = event;
        break;
    }
  }

  /**
   * The history as a stream a new page can fold in: start first, then the held events in epoch order (within
   * an epoch: batch, forward, backward, epoch, checkpoint), end last. A fresh array; the events are shared.
   */
  snapshot(): TrainingEvent[] {
    const middle: TrainingEvent[] = [...this.epochs.events(), ...this.backwards.events()];
    for (const event of [this.batch, this.forward, this.checkpoint]) if (event) middle.push(event);
    middle.sort((a, b) => epochOf(a) - epochOf(b) || RANK[a.type] - RANK[b.type]);
    return [...(this.start ? [this.start] : []), ...middle, ...(this.end ? [this.end] : [])];
  }

  /** Forgets everything. */
  clear(): void {
    this.start = null;
    this.epochs.clear();
    this.backwards.clear();
    this.forward = null;
    this.batch = null;
    this.checkpoint = null;
    this.end = null;
  }
}
