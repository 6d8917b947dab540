import type { RunState } from '@deltaflow/trainer';
import type { RunCommand } from '../../shared/run-state.js';

/** The buttons a mode offers: standalone resets, attached stops. */
export type ButtonSet = 'standalone' | 'attached' | 'replay';

const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

/**
 * Play, pause, step and reset (standalone) or stop (attached) buttons, enabled by where the run is: play when
 * paused, pause when running, step when paused (exactly one more epoch). A replay has no buttons.
 * @category Controls
 */
export class RunButtons {
  private readonly play = byId<HTMLButtonElement>('play');
  private readonly pause = byId<HTMLButtonElement>('pause');
  private readonly step = byId<HTMLButtonElement>('step');
  private readonly reset = byId<HTMLButtonElement>('reset');
  private readonly stop = byId<HTMLButtonElement>('stop');
  private last: RunState | null = null;

  constructor(
    private readonly set: ButtonSet,
    handlers: { command(command: RunCommand): void; reset?(): void },
  ) {
    byId('buttons').hidden = set === 'replay';
    this.reset.hidden = set !== 'standalone';
    this.stop.hidden = set !== 'attached';
    this.play.addEventListener('click', () => handlers.command('resume'));
    this.pause.addEventListener('click', () => handlers.command('pause'));
    this.step.addEventListener('click', () => handlers.command('step'));
    this.stop.addEventListener('click', () => handlers.command('stop'));
    this.reset.addEventListener('click', () => handlers.reset?.());
  }

  /** Enables the buttons that make sense in `state`. */
  render(state: RunState): void {
    if (state === this.last) return;
    this.last = state;
    const ended = state === 'ended' || state === 'idle';
    this.play.disabled = ended || state === 'running';
    this.pause.disabled = ended || state === 'paused';
    this.step.disabled = ended || state === 'running';
    this.stop.disabled = ended;
    this.reset.disabled = this.set !== 'standalone';
  }
}
