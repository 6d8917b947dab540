import { SPEEDS } from '../url-state.js';

const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

/** The label of a speed in the selector: "20 epochs/s", or "as fast as possible". */
const label = (speed: number | null): string =>
  speed === null ? 'as fast as possible' : `${speed.toLocaleString('en')} epoch${speed === 1 ? '' : 's'}/s`;

/**
 * The standalone page's speed selector (`#speed`): epochs per second, from 1 to 1000, or as fast as possible.
 * The training worker paces the run (`WorkerRun.setPace` of `@deltaflow/trainer`); the page keeps the choice in its URL.
 *
 * @example
 * ```ts
 * // not-runnable: in the browser
 * import type { StandaloneSource } from '../sources/standalone-source.js';
 *
 * declare const source: StandaloneSource;
 * const speed = new SpeedControl(20, (eps) => source.setSpeed(eps));
 * ```
 * @category Controls
 */
export class SpeedControl {
  private readonly select = byId<HTMLSelectElement>('speed');

  /**
   * @param speed - the speed shown first (one of `SPEEDS`)
   * @param onChange - called with each speed chosen (null: as fast as possible)
   */
  constructor(speed: number | null, onChange: (speed: number | null) => void) {
    this.select.replaceChildren(...SPEEDS.map((s, i) => new Option(label(s), String(i))));
    this.select.value = String(SPEEDS.indexOf(speed));
    byId('speed-label').hidden = false;
    this.select.addEventListener('change', () => onChange(this.value));
  }

  /** The speed chosen, in epochs per second (null: as fast as possible). */
  get value(): number | null {
    return SPEEDS[Number(this.select.value)] ?? null;
  }
}
