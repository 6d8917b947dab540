/**
 * Where a controlled run is.
 *
 * @example
 * ```ts
 * run.state$.subscribe((state: RunState) => console.log(state)); // idle, running, paused, ..., ended
 * ```
 * @category Training
 */
export type RunState = 'idle' | 'running' | 'paused' | 'ended';

/**
 * Everything that steers a run, as one immutable value: what `state$` shows and what the loop obeys.
 * @internal
 */
export interface ControlState {
  /** What `state$` shows. */
  readonly status: RunState;
  /** Hold at the next epoch boundary (set by pause and step, cleared by resume and stop). */
  readonly paused: boolean;
  /** Epochs still to run while paused (step sets 1). */
  readonly steps: number;
  /** End the run after the current batch. */
  readonly stopping: boolean;
  /**
   * Whether the last announcement of a boundary (the start event, or an epoch event) was sent while paused with
   * no steps left, i.e. every subscriber has seen the pause take hold.
   */
  readonly announced: boolean;
  /** A new base learning rate for the loop to apply before its next batch, or null. */
  readonly learningRate: number | null;
}

/**
 * What changes a {@link ControlState}: the user's commands (pause, resume, step, stop, learning-rate) and the
 * run's own milestones (start, epoch-finished, lr-applied, ended).
 * @internal
 */
export type ControlCommand =
  | { readonly type: 'start' }
  | { readonly type: 'pause' }
  | { readonly type: 'resume' }
  | { readonly type: 'step' }
  | { readonly type: 'stop' }
  | { readonly type: 'learning-rate'; readonly lr: number }
  | { readonly type: 'lr-applied' }
  | { readonly type: 'epoch-finished' }
  | { readonly type: 'ended' };

/** The state of a run nobody has started or steered. @internal */
export const INITIAL_CONTROL: ControlState = Object.freeze({
  status: 'idle',
  paused: false,
  steps: 0,
  stopping: false,
  announced: false,
  learningRate: null,
});

const EPOCH_FINISHED: ControlCommand = Object.freeze({ type: 'epoch-finished' });

/** Whether the state holds, paused with no step left. */
function holding(state: ControlState): boolean {
  return state.paused && state.steps === 0;
}

/**
 * The run-control state machine: the state after `command`. Pure; every rule of pausing is here.
 *
 * - `start` (the start event is sent): `paused` if a pause was asked before it, else `running`. The start event
 *   announces a pause already asked.
 * - `pause`: hold at the next epoch boundary (`steps` 0). The status does not change yet: see the pause rule.
 * - `resume`: no hold; `running` once started. `step`: hold after exactly one more epoch; `running` once started.
 *   Both clear the announcement: a pause asked after them is announced by the next epoch event.
 * - `stop`: end after the current batch (and no hold, so a paused run ends at once).
 * - `epoch-finished` (the loop is about to send an epoch event): a step is used up; if the run now holds, this epoch
 *   event announces it and the status turns `paused`.
 * - `ended`: `ended`, whatever came before; no command changes an ended run.
 *
 * The pause rule: the loop waits at an epoch boundary only when the pause was announced there, i.e. the last
 * boundary event (start or epoch) was sent while holding. So a pause asked right after an epoch event sent while
 * running lets one more epoch run, and that epoch's event carries the pause (the status turns `paused` with it);
 * otherwise the loop would wait silently while every subscriber still thinks it runs. See
 * {@link holdsAtBoundary}.
 *
 * @example
 * ```ts
 * let state = nextControlState(INITIAL_CONTROL, { type: 'start' }); // running
 * state = nextControlState(state, { type: 'pause' }); // still running: the next epoch event announces it
 * state = nextControlState(state, { type: 'epoch-finished' }); // paused
 * ```
 * @internal
 */
export function nextControlState(state: ControlState, command: ControlCommand): ControlState {
  if (state.status === 'ended') return state;
  const started = state.status !== 'idle';
  switch (command.type) {
    case 'start': {
      if (started) return state;
      const hold = holding(state);
      return { ...state, status: hold ? 'paused' : 'running', announced: hold };
    }
    case 'pause':
      return { ...state, paused: true, steps: 0 };
    // Both let the run go on, so a later pause must be announced anew (else a pause asked before the loop left
    // the boundary would hold it there silently, every subscriber still thinking it runs).
    case 'resume':
      return { ...state, paused: false, steps: 0, announced: false, status: started ? 'running' : 'idle' };
    case 'step':
      return { ...state, paused: true, steps: 1, announced: false, status: started ? 'running' : 'idle' };
    case 'stop':
      return { ...state, stopping: true, paused: false, steps: 0 };
    case 'learning-rate':
      return { ...state, learningRate: command.lr };
    case 'lr-applied':
      return state.learningRate === null ? state : { ...state, learningRate: null };
    case 'epoch-finished': {
      const steps = state.steps > 0 ? state.steps - 1 : 0;
      const announced = state.paused && steps === 0;
      const status = announced ? 'paused' : state.status;
      // The common case, every epoch of a running run: nothing changes, and nothing is allocated.
      if (steps === state.steps && announced === state.announced && status === state.status) return state;
      return { ...state, steps, announced, status };
    }
    case 'ended':
      return { ...state, status: 'ended', paused: false, steps: 0 };
  }
}

/**
 * Whether the loop waits at this epoch boundary: holding (paused, no step left) and the pause announced (the
 * pause rule of {@link nextControlState}).
 * @internal
 */
export function holdsAtBoundary(state: ControlState): boolean {
  return holding(state) && state.announced;
}

/**
 * The one place a run's control state lives: commands go through {@link nextControlState}, and a change of
 * status is reported to `onStatus` (the run controller's `state$`) from here only. Also wakes a waiting loop.
 * @internal
 */
export class RunControl {
  private current: ControlState = INITIAL_CONTROL;
  private wake: (() => void) | null = null;
  /** The last state that an epoch-finished left as it was (a memo of the pure function, for the hot path). */
  private unchangedByEpoch: ControlState | null = null;

  /** @param onStatus - called with the new status each time it changes */
  constructor(private readonly onStatus?: (status: RunState) => void) {}

  /** The current state. */
  get state(): ControlState {
    return this.current;
  }

  /** Applies `command`; reports a new status; wakes a waiting loop when the command may let it go on. */
  send(command: ControlCommand): void {
    const before = this.current;
    const after = nextControlState(before, command);
    if (after === before) {
      if (command.type === 'epoch-finished') this.unchangedByEpoch = before;
      return;
    }
    this.current = after;
    if (after.status !== before.status) this.onStatus?.(after.status);
    if (command.type === 'resume' || command.type === 'step' || command.type === 'stop') this.poke();
  }

  /**
   * `send({ type: 'epoch-finished' })`, every epoch: skips the state machine when it already left this very state
   * unchanged (a running run), which is most epochs.
   */
  epochFinished(): void {
    if (this.current !== this.unchangedByEpoch) this.send(EPOCH_FINISHED);
  }

  /** Whether the loop should wait at this epoch boundary. */
  holdsAtBoundary(): boolean {
    return holdsAtBoundary(this.current);
  }

  /** Registers what continues the loop when a command lets it go on (the loop calls it when it waits). */
  waitWith(wake: () => void): void {
    this.wake = wake;
  }

  /** Forgets a waiting loop (its subscription ended). */
  forget(): void {
    this.wake = null;
  }

  private poke(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
