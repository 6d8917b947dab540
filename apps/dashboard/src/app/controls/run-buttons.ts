import type { RunState } from '@deltaflow/trainer';
import type { RunCommand } from '../../shared/run-state.js';

/** The buttons a mode offers: standalone resets and stops, attached stops, a replay has none. */
export type ButtonSet = 'standalone' | 'attached' | 'replay';

const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

/**
 * Play, pause, step, stop and (standalone) reset buttons, enabled by where the run is: play when paused, pause
 * when running, step when paused (exactly one more epoch per click), stop until the run ended. While the
 * configuration form holds the run ({@link RunButtons.hold}), play, step and reset are disabled with the
 * reason as their title. A replay has no buttons.
 * @category Controls
 */
export class RunButtons {
  private readonly play = byId<HTMLButtonElement>('play');
  private readonly pause = byId<HTMLButtonElement>('pause');
  private readonly step = byId<HTMLButtonElement>('step');
  private readonly reset = byId<HTMLButtonElement>('reset');
  private readonly stop = byId<HTMLButtonElement>('stop');
  private last: RunState | null = null;
  private held: string | null = null;
  private readonly titles = new Map<HTMLButtonElement, string>();

  constructor(
    private readonly set: ButtonSet,
    handlers: { command(command: RunCommand): void; reset?(): void },
  ) {
    byId('buttons').hidden = set === 'replay';
    this.reset.hidden = set !== 'standalone';
    this.stop.hidden = set === 'replay';
    for (const button of [this.play, this.step, this.reset]) this.titles.set(button, button.title);
    this.play.addEventListener('click', () => handlers.command('resume'));
    this.pause.addEventListener('click', () => handlers.command('pause'));
    this.step.addEventListener('click', () => handlers.command('step'));
    this.stop.addEventListener('click', () => handlers.command('stop'));
    this.reset.addEventListener('click', () => handlers.reset?.());
  }

  /** Holds the run (play and step disabled, `reason` as their title), or lets it go again (`null`). */
  hold(reason: string | null): void {
    if (reason === this.held) return;
    this.held = reason;
    for (const [button, title] of this.titles) button.title = reason ?? title;
    const state = this.last;
    this.last = null;
    if (state) this.render(state);
  }

  /** Enables the buttons that make sense in `state`. */
  render(state: RunState): void {
    if (state === this.last) return;
    this.last = state;
    const ended = state === 'ended' || state === 'idle';
    const held = this.held !== null;
    this.play.disabled = ended || held || state === 'running';
    this.pause.disabled = ended || state === 'paused';
    this.step.disabled = ended || held || state === 'running';
    this.stop.disabled = ended;
    this.reset.disabled = held || this.set !== 'standalone';
  }
}
