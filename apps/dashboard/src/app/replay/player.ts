import type { ModelJSON } from '@deltaflow/network';
import type { RunState, TrainingEvent } from '@deltaflow/trainer';
import type { FeedMessage } from '../../shared/feed.js';

/** The epoch an event belongs to: 0 for start, the last epoch for end. */
function epochOf(event: TrainingEvent): number {
  if (event.type === 'start') return 0;
  if (event.type === 'end') return event.epochs;
  return event.epoch;
}

/** Where the model is drawn from: the newest checkpoint or end event before the playback position. */
export interface ModelAt {
  model: ModelJSON;
  epoch: number;
}

/**
 * What a {@link Player} tells the page: feed messages for the store (events, state), and the model to draw
 * when it changes.
 */
export interface PlayerSink {
  apply(message: FeedMessage): void;
  model(model: ModelAt | null): void;
}

/**
 * Plays a recorded run (its events, thinned by the replay server) into the dashboard's store, like a live run
 * at a chosen speed: play and pause, one recorded epoch at a time, or any position at once (the scrub bar).
 * Time is given by {@link Player.tick}, so the playback is exact and testable; the page calls it on a timer.
 *
 * @example
 * ```ts
 * const player = new Player({ apply: (message) => store.apply(message), model: () => undefined });
 * player.load(events);
 * player.speed = 1000; // epochs a second
 * player.play();
 * player.tick(50); // 50 ms later: the events of the next 50 epochs reach the store
 * ```
 * @category Dashboard
 */
export class Player {
  /** Epochs a second; `Infinity`: as fast as possible (the next tick goes to the end). */
  speed = 100;
  private events: TrainingEvent[] = [];
  /** Events applied to the store so far. */
  private applied = 0;
  /** The playback position, in (fractional) epochs. */
  private cursor = 0;
  private playing = false;
  /** The checkpoint or end event whose model the page shows; undefined: the page shows none since a reset. */
  private shownModel: TrainingEvent | null | undefined = undefined;

  constructor(private readonly sink: PlayerSink) {}

  /** Takes the recording (start first) and shows its start, paused. */
  load(events: TrainingEvent[]): void {
    this.events = events;
    this.seek(0);
  }

  /** The last epoch of the recording. */
  get lastEpoch(): number {
    const last = this.events.at(-1);
    return last ? epochOf(last) : 0;
  }

  /** The epoch shown now: the last epoch (or end) event played, as the page's epoch counter says. */
  get epoch(): number {
    for (let i = this.applied - 1; i > 0; i--) {
      const event = this.events[i]!;
      if (event.type === 'epoch' || event.type === 'end') return epochOf(event);
    }
    return 0;
  }

  /** Where the playback is: playing, paused, or at the end. */
  get state(): RunState {
    if (this.atEnd) return 'ended';
    return this.playing ? 'running' : 'paused';
  }

  /** Whether every event has been played. */
  get atEnd(): boolean {
    return this.events.length > 0 && this.applied >= this.events.length;
  }

  /** Plays from where it is (from the start, when at the end). */
  play(): void {
    if (this.atEnd) this.seek(0);
    this.playing = true;
    this.sink.apply({ type: 'state', state: this.state });
  }

  /** Holds where it is. */
  pause(): void {
    this.playing = false;
    this.sink.apply({ type: 'state', state: this.state });
  }

  /** Goes on to the next recorded epoch (its events, up to and including its epoch event), paused. */
  step(): void {
    this.playing = false;
    let to = this.applied;
    while (to < this.events.length) {
      const event = this.events[to++]!;
      if (event.type === 'epoch' || event.type === 'end') break;
    }
    // The events after the epoch event that belong to the same epoch (a checkpoint) come along.
    const epoch = to > 0 ? epochOf(this.events[to - 1]!) : 0;
    while (
      to < this.events.length &&
      this.events[to]!.type === 'checkpoint' &&
      epochOf(this.events[to]!) <= epoch
    )
      to++;
    this.cursor = epoch;
    this.advanceTo(to);
  }

  /** Shows the run as it was at `epoch` (the scrub bar), playing on from there if it was playing. */
  seek(epoch: number): void {
    this.cursor = Math.max(0, Math.min(epoch, this.lastEpoch));
    const to = this.indexAfter(this.cursor);
    if (to < this.applied || this.applied === 0) {
      // Back: the store starts over (the start event resets it) and takes everything up to `to` at once.
      this.applied = 0;
      this.shownModel = undefined;
    }
    this.advanceTo(to);
  }

  /** `ms` milliseconds have passed: while playing, moves on `speed * ms / 1000` epochs. */
  tick(ms: number): void {
    if (!this.playing || this.atEnd) return;
    this.cursor = Number.isFinite(this.speed) ? this.cursor + (this.speed * ms) / 1000 : this.lastEpoch;
    this.advanceTo(this.indexAfter(this.cursor));
  }

  /** The index after the last event of an epoch at most `epoch` (binary search: events are in epoch order). */
  private indexAfter(epoch: number): number {
    let lo = 0;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (epochOf(this.events[mid]!) <= epoch) lo = mid + 1;
      else hi = mid;
    }
    // An end event shares the last epoch's number; it is played once the cursor reaches the last epoch.
    return lo;
  }

  /** Applies the events from where the store is up to index `to` (one message), then the state and model. */
  private advanceTo(to: number): void {
    if (to > this.applied) {
      this.sink.apply({ type: 'events', events: this.events.slice(this.applied, to) });
      this.applied = to;
    }
    if (this.atEnd) this.playing = false;
    this.sink.apply({ type: 'state', state: this.state });
    let model: TrainingEvent | null = null;
    for (let i = this.applied - 1; i >= 0; i--) {
      const event = this.events[i]!;
      if (event.type === 'checkpoint' || event.type === 'end') {
        model = event;
        break;
      }
    }
    if (model !== this.shownModel) {
      this.shownModel = model;
      if (model?.type === 'checkpoint') this.sink.model({ model: model.model, epoch: model.epoch });
      else if (model?.type === 'end') this.sink.model({ model: model.model, epoch: model.epochs });
      else this.sink.model(null);
    }
  }
}
