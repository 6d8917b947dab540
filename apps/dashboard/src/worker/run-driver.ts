import type { RunState, TrainingEvent } from '@deltaflow/trainer';
import type { RunCommand } from '../shared/run-state.js';

/** What the driver steers: a `TrainingRun` of `@deltaflow/trainer` (created paused). @category Worker */
export interface Steerable {
  pause(): void;
  resume(): void;
  step(): void;
  stop(): void;
}

/** The clock and timers the driver paces with (tests pass virtual ones). @category Worker */
export interface PaceTimers {
  now(): number;
  set(work: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const REAL_TIMERS: PaceTimers = {
  now: () => performance.now(),
  set: (work, ms) => setTimeout(work, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** How far a paced run may fall behind its schedule before the schedule restarts from now (no burst to catch up). */
const MAX_LAG_MS = 1000;

/**
 * Drives a standalone run as the page asks, and says where it is (the state the page shows):
 *
 * - **Speed**: at `epochsPerSecond` (null: as fast as possible) epoch k after a resume starts no earlier than
 *   (k - 1) / rate seconds after it. A paced run is held at every epoch boundary and let go one epoch at a time
 *   (`step`), from the epoch event itself when the next epoch is due, else from a timer; an unpaced one simply
 *   runs (`resume`). Pacing never shows as a pause: the state stays 'running'.
 * - **Steps are counted**: every step asked while paused runs one epoch, however fast they come (three clicks,
 *   three epochs); the state stays 'paused', so the step button stays usable.
 * - **Pause** holds at the next epoch boundary: the state turns 'paused' with the epoch event that carries it
 *   (at once when the run was waiting for its next paced epoch).
 *
 * @example
 * ```ts
 * // not-runnable: in the training worker
 * const driver = new RunDriver(run, 30); // 30 epochs per second
 * run.pause();
 * run.events$.subscribe((event) => console.log('state:', driver.event(event)));
 * driver.command('resume');
 * ```
 * @category Worker
 */
export class RunDriver {
  private shown: RunState = 'idle';
  private wantRunning = false;
  /** The run goes on by itself (resumed, unpaced). */
  private free = false;
  /** An epoch the driver let go (a step, or the one that carries a pause) has not ended yet. */
  private inFlight = false;
  private steps = 0;
  private epoch = 0;
  private baseTime = 0;
  private baseEpoch = 0;
  private timer: unknown = null;

  /**
   * @param run - a run created paused (pause it before subscribing)
   * @param rate - epochs per second, or null for as fast as possible
   * @param timers - clock and timers; default `performance.now` and `setTimeout`
   */
  constructor(
    private readonly run: Steerable,
    private rate: number | null = null,
    private readonly timers: PaceTimers = REAL_TIMERS,
  ) {}

  /** Where the run is, as the page shows it. */
  get state(): RunState {
    return this.shown;
  }

  /** Epochs per second (null: as fast as possible); takes effect from the next epoch. */
  setRate(rate: number | null): RunState {
    this.rate = rate;
    if (this.wantRunning && this.shown !== 'ended') this.go();
    return this.shown;
  }

  /** Applies a command of the page; returns the state after it. */
  command(command: RunCommand): RunState {
    if (this.shown === 'ended') return this.shown;
    switch (command) {
      case 'resume':
        this.steps = 0;
        this.wantRunning = true;
        if (this.shown !== 'idle') this.shown = 'running';
        this.go();
        break;
      case 'pause':
        this.hold();
        break;
      case 'step':
        if (this.wantRunning) this.hold();
        else {
          this.steps++;
          if (!this.inFlight) this.letOneGo();
        }
        break;
      case 'stop':
        this.steps = 0;
        this.cancel();
        this.run.stop();
        break;
    }
    return this.shown;
  }

  /** Notes an event of the run; returns the state after it. */
  event(event: TrainingEvent): RunState {
    if (event.type === 'start') this.shown = this.wantRunning ? 'running' : 'paused';
    else if (event.type === 'end') {
      this.cancel();
      this.shown = 'ended';
    } else if (event.type === 'epoch') this.epochDone(event.epoch);
    return this.shown;
  }

  /** Cancels a pending paced epoch (the run is being replaced). */
  dispose(): void {
    this.cancel();
  }

  private epochDone(epoch: number): void {
    this.epoch = epoch;
    if (this.free) return;
    this.inFlight = false;
    if (this.steps > 0) this.steps--;
    if (this.steps > 0) this.letOneGo();
    else if (this.wantRunning) this.pace();
    else this.shown = 'paused';
  }

  /** Runs at the current rate: free when unpaced, else held and let go epoch by epoch from now on. */
  private go(): void {
    this.cancel();
    if (this.rate === null) {
      if (!this.free) this.run.resume();
      this.free = true;
      this.inFlight = false;
      return;
    }
    if (this.free) {
      // The next epoch event carries the hold; from then on, epoch by epoch.
      this.run.pause();
      this.free = false;
      this.inFlight = true;
    }
    this.baseTime = this.timers.now();
    this.baseEpoch = this.epoch;
    this.pace();
  }

  /** Holds at the next epoch boundary, or now when no epoch is under way. */
  private hold(): void {
    this.wantRunning = false;
    this.steps = 0;
    this.cancel();
    if (this.free) {
      this.run.pause();
      this.free = false;
      this.inFlight = true;
    } else if (!this.inFlight && this.shown !== 'idle') this.shown = 'paused';
  }

  /** Lets the next epoch go when it is due, or sets a timer for then. */
  private pace(): void {
    if (!this.wantRunning || this.rate === null || this.inFlight || this.timer !== null) return;
    const interval = 1000 / this.rate;
    const now = this.timers.now();
    let due = this.baseTime + (this.epoch - this.baseEpoch) * interval;
    if (now - due > MAX_LAG_MS) {
      this.baseTime = due = now;
      this.baseEpoch = this.epoch;
    }
    if (due <= now) this.letOneGo();
    else
      this.timer = this.timers.set(() => {
        this.timer = null;
        this.pace();
      }, due - now);
  }

  private letOneGo(): void {
    this.inFlight = true;
    this.run.step();
  }

  private cancel(): void {
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
  }
}
