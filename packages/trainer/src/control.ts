/**
 * Requests from a run controller to the running loop, read between batches and at epoch boundaries.
 * @internal
 */
export class RunControl {
  /** Hold at the next epoch boundary. */
  paused = false;
  /** Epochs still to run while paused (set by step). */
  steps = 0;
  /** End the run after the current batch. */
  stopRequested = false;
  /** A new base learning rate to apply before the next batch. */
  learningRate: number | null = null;
  /** Set by the loop while it waits; called to continue. */
  wake: (() => void) | null = null;

  /** Whether the loop may start another epoch now. */
  mayStartEpoch(): boolean {
    return !this.paused || this.steps > 0;
  }

  /** Wakes the loop if it is waiting. */
  poke(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
