/** The speeds offered, in epochs per second; `'max'`: as fast as possible. */
const SPEEDS = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000] as const;

/** What the playback controls ask for. */
export interface PlaybackHandlers {
  /** A new speed, in epochs per second (`Infinity`: as fast as possible). */
  speed(epochsPerSecond: number): void;
  /** Show the run at this epoch. */
  seek(epoch: number): void;
}

/**
 * The speed that plays `epochs` epochs in about ten seconds: the slowest offered that is fast enough.
 *
 * @example
 * ```ts
 * defaultSpeed(150); // → 100
 * defaultSpeed(1_500_000); // → 1000000
 * ```
 * @category Controls
 */
export function defaultSpeed(epochs: number): number {
  return SPEEDS.find((speed) => speed * 10 >= epochs) ?? Infinity;
}

const label = (speed: number): string =>
  Number.isFinite(speed) ? `${speed.toLocaleString('en')} epochs/s` : 'as fast as possible';

/**
 * A replay's speed box (epochs per second, or as fast as possible) and scrub bar (the epoch shown, from 0 to
 * the recording's last), made in the page's header beside the play, pause and step buttons. The scrub bar
 * follows the playback, except while the user drags it.
 * @category Controls
 */
export class PlaybackControls {
  private readonly speedBox: HTMLSelectElement;
  private readonly scrub: HTMLInputElement;
  private readonly position: HTMLOutputElement;
  private dragging = false;
  private shown = -1;

  constructor(lastEpoch: number, speed: number, handlers: PlaybackHandlers) {
    const box = document.createElement('span');
    box.id = 'playback';
    const speedLabel = document.createElement('label');
    speedLabel.textContent = 'speed ';
    this.speedBox = document.createElement('select');
    this.speedBox.id = 'replay-speed';
    const speeds: number[] = [...SPEEDS, Infinity];
    if (!speeds.includes(speed)) speeds.push(speed);
    speeds.sort((a, b) => a - b);
    for (const value of speeds) {
      const option = document.createElement('option');
      option.value = Number.isFinite(value) ? String(value) : 'max';
      option.textContent = label(value);
      this.speedBox.append(option);
    }
    this.speedBox.value = Number.isFinite(speed) ? String(speed) : 'max';
    speedLabel.append(this.speedBox);

    this.scrub = document.createElement('input');
    this.scrub.id = 'replay-scrub';
    this.scrub.type = 'range';
    this.scrub.min = '0';
    this.scrub.max = String(lastEpoch);
    this.scrub.step = '1';
    this.scrub.value = '0';
    this.scrub.setAttribute('aria-label', 'replay position (epoch)');
    this.position = document.createElement('output');
    this.position.id = 'replay-position';
    this.position.htmlFor.add('replay-scrub');
    box.append(speedLabel, this.scrub, this.position);
    const buttons = document.getElementById('buttons');
    if (buttons) buttons.after(box);
    else document.querySelector('header')?.append(box);

    this.speedBox.addEventListener('change', () => {
      const value = this.speedBox.value;
      handlers.speed(value === 'max' ? Infinity : Number(value));
    });
    this.scrub.addEventListener('pointerdown', () => (this.dragging = true));
    const release = (): void => {
      this.dragging = false;
    };
    this.scrub.addEventListener('pointerup', release);
    this.scrub.addEventListener('change', release);
    this.scrub.addEventListener('input', () => handlers.seek(this.scrub.valueAsNumber));
    this.render(0, lastEpoch);
  }

  /** Moves the scrub bar to `epoch` (unless it is being dragged) and says where the playback is. */
  render(epoch: number, lastEpoch: number): void {
    if (epoch === this.shown) return;
    this.shown = epoch;
    if (!this.dragging) this.scrub.value = String(epoch);
    this.position.textContent = `epoch ${epoch.toLocaleString('en')} of ${lastEpoch.toLocaleString('en')}`;
  }
}
