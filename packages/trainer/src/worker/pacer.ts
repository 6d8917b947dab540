// Pacing of a worker run: epochs per second, by holding the run at epoch boundaries until the next is due.

/** What the pacer steers: the run's pause and resume. @internal */
export interface PacedRun {
  hold(): void;
  release(): void;
}

/** How far a paced run may fall behind its schedule before the schedule restarts from now (no catch-up burst). */
const MAX_LAG_MS = 1000;

/**
 * Paces a run at `rate` epochs per second (null: as fast as possible): after a resume (or a change of rate),
 * epoch k starts no earlier than (k - 1) / rate seconds after it. The pacer decides at each epoch's backward
 * event, before the epoch event, so a hold is announced by that epoch event as a pause would be; `holding` says
 * the current hold is the pacer's (shown as running), not the caller's.
 * @internal
 */
export class Pacer {
  /** The run is held by the pacer, waiting for its next epoch to be due. */
  holding = false;
  private wantRunning = true;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private baseTime = 0;
  private baseEpoch = 0;

  constructor(
    private rate: number | null,
    private readonly run: PacedRun,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The caller paused: a pacing hold becomes the caller's, else the run pauses at the next boundary. */
  pause(): void {
    this.wantRunning = false;
    this.cancel();
    if (this.holding) this.holding = false;
    else this.run.hold();
  }

  /** The caller resumed after `epoch`: the schedule starts now. */
  resume(epoch: number): void {
    this.wantRunning = true;
    this.cancel();
    this.holding = false;
    this.rebase(epoch);
    this.run.release();
  }

  /** The caller stepped: no pacing until the next resume. */
  step(step: () => void): void {
    this.wantRunning = false;
    this.cancel();
    this.holding = false;
    step();
  }

  /** The caller stopped. */
  stop(stop: () => void): void {
    this.wantRunning = false;
    this.cancel();
    this.holding = false;
    stop();
  }

  /** A new rate (null: as fast as possible), from the next epoch on. */
  setRate(rate: number | null, epoch: number): void {
    this.rate = rate;
    this.rebase(epoch);
    if (!this.holding) return;
    this.cancel();
    if (rate === null) this.let();
    else this.wait(this.baseTime);
  }

  /** Epoch `epoch` is ending (its backward event): holds the run when the next epoch is not due yet. */
  beforeEpochEvent(epoch: number): void {
    if (!this.wantRunning || this.rate === null || this.holding) return;
    const now = this.now();
    let due = this.baseTime + (epoch - this.baseEpoch) * (1000 / this.rate);
    if (now - due > MAX_LAG_MS) {
      this.rebase(epoch);
      due = now;
    }
    if (due <= now) return;
    this.holding = true;
    this.run.hold();
    this.wait(due);
  }

  dispose(): void {
    this.cancel();
  }

  private rebase(epoch: number): void {
    this.baseTime = this.now();
    this.baseEpoch = epoch;
  }

  private wait(due: number): void {
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.let();
      },
      Math.max(0, due - this.now()),
    );
  }

  private let(): void {
    this.holding = false;
    this.run.release();
  }

  private cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
