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
  /**
   * Whether the last event announcing a boundary (the start event, or an epoch event) was sent while paused, so
   * every subscriber has seen the pause take hold. Subscribers tell 'paused' from the epoch event sent under it.
   */
  announcedPause = true;

  /** Whether the loop may start another epoch now. */
  mayStartEpoch(): boolean {
    return !this.paused || this.steps > 0;
  }

  /**
   * Whether the loop should wait at this epoch boundary: paused with no steps left, and the pause announced. A
   * pause asked for right after an epoch event sent while running lets one more epoch run, so its epoch event
   * carries the pause; otherwise the loop would wait silently and subscribers would still think it runs.
   */
  holdsAtBoundary(): boolean {
    return !this.mayStartEpoch() && this.announcedPause;
  }

  /** Wakes the loop if it is waiting. */
  poke(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
