import type { RunState, TrainingEvent } from '@deltaflow/trainer';

/** A command that changes where a run is. @category Control */
export type RunCommand = 'pause' | 'resume' | 'step' | 'stop';

/**
 * Follows where a controlled run is (idle, running, paused, ended) from the commands sent to it and the events
 * it emits: `pause` and `step` take effect at the end of an epoch, so the run counts as paused from the next
 * epoch event on. (The trainer's own `state$` stays 'running' after a step; this tracker does not.)
 *
 * @example
 * ```ts
 * const tracker = new RunStateTracker('paused');
 * tracker.command('step'); // → 'running'
 * tracker.event({ type: 'epoch', epoch: 1, loss: 0.2, metrics: {}, elapsedMs: 5, samplesPerSecond: 800, lr: 0.5 }); // → 'paused'
 * ```
 * @category Control
 */
export class RunStateTracker {
  private current: RunState = 'idle';
  private holdAfterEpoch: boolean;

  /** @param startsAs - the state a start event puts the run in ('running', or 'paused' for a run created paused) */
  constructor(startsAs: 'running' | 'paused' = 'running') {
    this.holdAfterEpoch = startsAs === 'paused';
  }

  /** The state now. */
  get state(): RunState {
    return this.current;
  }

  /** Notes a command; returns the state after it. */
  command(command: RunCommand): RunState {
    if (this.current === 'ended') return this.current;
    if (command === 'pause') this.holdAfterEpoch = true;
    if (command === 'resume') {
      this.holdAfterEpoch = false;
      if (this.current !== 'idle') this.current = 'running';
    }
    if (command === 'step') {
      this.holdAfterEpoch = true;
      if (this.current !== 'idle') this.current = 'running';
    }
    return this.current;
  }

  /** Notes an event of the run; returns the state after it. */
  event(event: TrainingEvent): RunState {
    if (event.type === 'start') this.current = this.holdAfterEpoch ? 'paused' : 'running';
    else if (event.type === 'epoch' && this.holdAfterEpoch && this.current === 'running')
      this.current = 'paused';
    else if (event.type === 'end') this.current = 'ended';
    return this.current;
  }
}
